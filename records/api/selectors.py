"""What the API shows: the public records, as the site's public pages read them.

Each function starts from the querysets the pages use (`visible_to(AnonymousUser())`,
`published()`, the open-data selectors), so a draft plan, a commitment still being drafted, a
consultation not yet announced, a draft proposal, an unpublished response, unpublished minutes
or an unverified organisation never reaches the API. Related rows each list shows are loaded
with `select_related`/`prefetch_related`, so a page of results costs a fixed number of queries.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from commitments.models import Commitment, Milestone, ProgressUpdate
from consultations.models import (
    Answer,
    Consultation,
    InputEntry,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from forums.models import Decision, Forum, ForumMeeting, ForumSeat
from ogp_portal.organisations.models import Member, Organisation
from plans.models import ActionPlan, PolicyArea
from records.opendata import public_commitments, public_plans


def _anonymous() -> AnonymousUser:
    return AnonymousUser()


def api_members() -> QuerySet[Member]:
    """Every member: members are public (the members page lists them all)."""
    return Member.objects.all()


def api_organisations() -> QuerySet[Organisation]:
    """Verified organisations only, as on the organisations page."""
    return Organisation.objects.verified().select_related("member")


def api_plans() -> QuerySet[ActionPlan]:
    """Plans past their internal draft (the plan pages' own rule)."""
    return public_plans().select_related("member")


def api_policy_areas() -> QuerySet[PolicyArea]:
    """The policy areas of public plans (shown on the plan page)."""
    return PolicyArea.objects.filter(plan__in=public_plans()).select_related("plan")


def api_commitments() -> QuerySet[Commitment]:
    """Commitments of plans whose content is public (from the draft plan's public comment on),
    with the supporting organisations that are verified."""
    return (
        public_commitments()
        .select_related("plan__member")
        .prefetch_related(
            Prefetch(
                "supporting_organisations",
                queryset=Organisation.objects.verified().only("pk"),
            )
        )
    )


def api_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(commitment__in=public_commitments()).select_related(
        "commitment"
    )


def api_progress_updates() -> QuerySet[ProgressUpdate]:
    """Progress reported on public commitments; never who posted it."""
    return ProgressUpdate.objects.filter(commitment__in=public_commitments()).select_related(
        "commitment"
    )


def api_consultations() -> QuerySet[Consultation]:
    """Announced consultations of public plans (the consultation pages' rule)."""
    return Consultation.objects.visible_to(_anonymous())


def _published_responses() -> QuerySet[ReasonedResponse]:
    return ReasonedResponse.objects.filter(published_at__isnull=False)


def api_proposals() -> QuerySet[Proposal]:
    """Submitted proposals of announced consultations, each with its response when that is
    published, the verified organisation it was submitted for, and the public commitments it
    became part of. Never its author."""
    public_links = ProposalCommitmentLink.objects.filter(
        commitment__in=public_commitments()
    ).select_related("commitment")
    return (
        Proposal.objects.published()
        .filter(consultation__in=api_consultations())
        .select_related("response", "organisation")
        .prefetch_related(Prefetch("commitment_links", queryset=public_links))
    )


def api_answers() -> QuerySet[Answer]:
    """Answers to the guiding questions of announced consultations, each with its response
    when that is published. Never their author.

    Every input of any kind is also in `/api/v1/inputs/` (api_inputs)."""
    return Answer.objects.filter(question__consultation__in=api_consultations()).select_related(
        "question", "response", "organisation"
    )


def api_inputs() -> QuerySet[InputEntry]:
    """The ledger of every public plan (issue #15): every public input of any kind and
    channel, with its response once published. Hidden or deleted comments are not public
    entries; who gave an input (account, name typed by staff, way to reach them, who typed
    it) is never shown, only a verified organisation."""
    return (
        InputEntry.objects.public()
        .filter(plan__in=public_plans())
        .select_related("response", "organisation", "policy_area", "cluster")
        .order_by("pk")
    )


def api_forums() -> QuerySet[Forum]:
    """Every member's forum with its seats per sector (the forum pages are public)."""
    return Forum.objects.select_related("member").prefetch_related("seat_allocations")


def api_meetings() -> QuerySet[ForumMeeting]:
    """Every meeting (the meeting pages are public), with attendance per sector; decisions and
    minutes only once the minutes are published (serializers check the status)."""
    return ForumMeeting.objects.select_related("forum__member").prefetch_related(
        "attendance", "decisions"
    )


def api_decisions() -> QuerySet[Decision]:
    """Decisions of meetings whose minutes are published: before that they are a draft."""
    return Decision.objects.filter(
        meeting__in=ForumMeeting.objects.with_published_minutes()
    ).select_related("meeting")


def api_seats() -> QuerySet[ForumSeat]:
    """Who sits on each forum today, as the forum page shows it: name, organisation, sector,
    role and term. Never their portal account."""
    return ForumSeat.objects.current(timezone.localdate()).select_related("organisation", "forum")
