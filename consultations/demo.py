"""Demo consultations: an open idea collection for Valdoria's sixth plan (proposals, comments,
supports, a guiding question, some proposals already answered) and the closed 2020
consultation on the fourth plan, every proposal answered, with its report."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from commitments.models import Commitment
from ogp_portal.organisations.models import Organisation
from plans.models import PolicyArea

from .choices import (
    RESPONSE_DECISION_OF_STATUS,
    Audience,
    ConsultationKind,
    ProposalStatus,
    ResponseStatus,
)
from .models import (
    Answer,
    Comment,
    Consultation,
    GuidingQuestion,
    InputEntry,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
    Support,
)
from .text import render_user_text

UTC = dt.UTC

# (title, author e-mail, organisation or None, area, problem, solution, decision, reason, ids)
OPEN_PROPOSALS = [
    (
        "Publish court decisions within 30 days",
        "cso@demo.example.org",
        "Transparency Watch Valdoria",
        "Access to Justice",
        "Only 4% of first-instance decisions are published, months late.",
        "Publish every anonymised decision within 30 days in a searchable database.",
        None,
        "",
        (),
    ),
    (
        "Legal aid desks in rural libraries",
        "forum.member@demo.example.org",
        "Legal Aid Network",
        "Access to Justice",
        "People outside cities travel two hours for free legal advice.",
        "Weekly legal aid desks in 60 rural libraries, with video advice in between.",
        ProposalStatus.DEFERRED,
        "A good idea that needs a pilot budget first; the Ministry of Justice will run a pilot in "
        "2027 and we will table it for the seventh plan.",
        (),
    ),
    (
        "Open data on school meals",
        "citizen@demo.example.org",
        None,
        "Digital Governance",
        "Parents cannot see what schools spend on meals or who supplies them.",
        "Publish school meal contracts and menus as open data.",
        ProposalStatus.OUT_OF_SCOPE,
        "School meals are run by municipalities, not by the national government. We have passed "
        "the proposal to the Association of Municipalities and to Port Lumen's OGP Local team.",
        (),
    ),
    (
        "Participatory budgeting for youth",
        "cso.unverified@demo.example.org",
        None,
        "Fiscal Transparency",
        "Young people have no say in regional investment.",
        "Reserve 10% of participatory budgets for projects chosen by people under 25.",
        None,
        "",
        (),
    ),
    (
        "Lobbying register",
        "cso@demo.example.org",
        "Transparency Watch Valdoria",
        "Fight against Corruption",
        "Nobody knows who meets ministers about draft laws.",
        "A mandatory, public register of lobbying meetings with ministers and senior officials.",
        ProposalStatus.ACCEPTED,
        "Accepted: it becomes commitment XV0014. The register will cover ministers, state "
        "secretaries and heads of agencies from 2027.",
        ("XV0014",),
    ),
]

CLOSED_PROPOSALS = [
    (
        "One website for legal aid",
        "cso@demo.example.org",
        "Transparency Watch Valdoria",
        "Access to Justice",
        ProposalStatus.ACCEPTED,
        "Accepted and extended to a free phone line: see XV0001.",
        ("XV0001",),
    ),
    (
        "Open contracting for roads",
        "cso@demo.example.org",
        "Transparency Watch Valdoria",
        "Fiscal Transparency",
        ProposalStatus.MERGED,
        "Merged with the broader open contracting proposal for all public works: see XV0006.",
        ("XV0006",),
    ),
    (
        "Citizens' budget in three languages",
        "citizen@demo.example.org",
        None,
        "Fiscal Transparency",
        ProposalStatus.PARTIALLY_ACCEPTED,
        "The citizens' budget will be published every year (XV0005); translations into minority "
        "languages need funding we do not have yet.",
        ("XV0005",),
    ),
    (
        "Abolish all fees for court documents",
        "citizen@demo.example.org",
        None,
        "Access to Justice",
        ProposalStatus.NOT_ACCEPTED,
        "Court fees are set by law and outside this plan; free legal aid (XV0001) covers people "
        "on low incomes.",
        (),
    ),
]


# How an organisation of each kind submits (SubmitterType); civil society otherwise.
SUBMITTER_OF_KIND = {"academia": "academia", "private_sector": "private"}


def _user(email):
    return get_user_model().objects.filter(email=email).first()


def _organisation(name):
    return Organisation.objects.filter(name=name).first() if name else None


def load(plans: dict) -> dict:
    plan6, plan4 = plans["valdoria-6"], plans["valdoria-4"]
    civil_servant = _user("civil.servant@demo.example.org")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    open_consultation, created = Consultation.objects.get_or_create(
        plan=plan6,
        title="Ideas for the Sixth National Action Plan",
        defaults={
            "kind": ConsultationKind.IDEA_COLLECTION,
            "audience": Audience.VERIFIED_USERS,
            "description": "What should the government commit to in 2026–2028? Propose a "
            "commitment, answer the guiding question, comment on and support other proposals. "
            "Every proposal gets a published, reasoned response.",
            "channels": ["online", "workshop", "email"],
            "notice_published_at": now - dt.timedelta(days=35),
            "opens_at": now - dt.timedelta(days=14),
            "closes_at": now + dt.timedelta(days=21),
            "created_by": civil_servant,
        },
    )
    if created:
        _fill_open(open_consultation, plan6, civil_servant)
    closed_consultation, created = Consultation.objects.get_or_create(
        plan=plan4,
        title="Proposals for the Fourth National Action Plan",
        defaults={
            "kind": ConsultationKind.IDEA_COLLECTION,
            "audience": Audience.VERIFIED_USERS,
            "description": "Idea collection for the 2020–2022 plan, online and in 9 regional "
            "workshops.",
            "channels": ["online", "workshop"],
            "notice_published_at": dt.datetime(2020, 1, 15, 9, tzinfo=UTC),
            "opens_at": dt.datetime(2020, 2, 1, 9, tzinfo=UTC),
            "closes_at": dt.datetime(2020, 4, 30, 17, tzinfo=UTC),
            "summary_published_at": dt.datetime(2020, 8, 20, 9, tzinfo=UTC),
            "created_by": civil_servant,
        },
    )
    if created:
        _fill_closed(closed_consultation, plan4, civil_servant)
        _ledger(plan4, closed_consultation, civil_servant, answer_all=True)
    if open_consultation.input_entries.count() == 0:
        _ledger(plan6, open_consultation, civil_servant, answer_all=False)
    _coalition(open_consultation)
    return {"consultations": {"open": open_consultation, "closed": closed_consultation}}


def _proposal(consultation, plan, title, email, org_name, area, *, days=2, **extra):
    """A proposal submitted `days` after the consultation opened."""
    organisation = _organisation(org_name)
    submitter = SUBMITTER_OF_KIND.get(organisation.kind, "cso") if organisation else "citizen"
    return Proposal.objects.create(
        consultation=consultation,
        author=_user(email),
        organisation=organisation,
        submitter_type=submitter,
        title=title,
        policy_area=PolicyArea.objects.filter(plan=plan, name=area).first(),
        status=ProposalStatus.SUBMITTED,
        submitted_at=consultation.opens_at + dt.timedelta(days=days),
        **extra,
    )


def _decide(proposal, decision, reason, ogp_ids, responder, when):
    response = ReasonedResponse.objects.create(
        plan_id=proposal.consultation.plan_id,
        consultation=proposal.consultation,
        status=ResponseStatus.PUBLISHED,
        decision=RESPONSE_DECISION_OF_STATUS[ProposalStatus(decision)],
        reason=reason,
        responder=responder,
        published_at=when,
    )
    proposal.status, proposal.response = decision, response
    proposal.save(update_fields=["status", "response"])
    for ogp_id in ogp_ids:
        commitment = Commitment.objects.filter(ogp_id=ogp_id).first()
        if commitment:
            ProposalCommitmentLink.objects.get_or_create(proposal=proposal, commitment=commitment)


def _fill_open(consultation, plan, civil_servant):
    # The commitment the lobbying-register proposal became (a working draft of plan 6).
    Commitment.objects.get_or_create(
        ogp_id="XV0014",
        defaults={
            "plan": plan,
            "title": "A public register of lobbying meetings",
            "summary": "Everyone will see who meets ministers and senior officials, and why.",
            "lead_institution": "Anti-Corruption Commission",
            "policy_area": PolicyArea.objects.filter(
                plan=plan, name="Fight against Corruption"
            ).first(),
            "start_date": dt.date(2026, 9, 1),
            "end_date": dt.date(2028, 8, 31),
            "public_accountability": True,
        },
    )
    citizen = _user("citizen@demo.example.org")
    supporters = list(get_user_model().objects.filter(email__endswith="@demo.example.org"))
    for index, (title, email, org, area, problem, solution, decision, reason, ids) in enumerate(
        OPEN_PROPOSALS
    ):
        proposal = _proposal(
            consultation, plan, title, email, org, area, problem=problem,
            proposed_solution=solution, civic_participation=True,
        )  # fmt: skip
        for user in supporters[: 2 + index]:
            Support.objects.create(proposal=proposal, user=user)
        proposal.support_count = min(len(supporters), 2 + index)
        body = f"We support this. In our region **{index + 3} in 10** people we asked agreed."
        comment = Comment.objects.create(
            consultation=consultation, proposal=proposal, author=citizen, body=body,
            body_html=render_user_text(body),
        )  # fmt: skip
        reply = "Thank you: could you share the survey so we can cite it in the response?"
        Comment.objects.create(
            consultation=consultation, proposal=proposal, parent=comment,
            author=_user(email), body=reply, body_html=render_user_text(reply),
        )  # fmt: skip
        proposal.comment_count = 2
        proposal.save(update_fields=["support_count", "comment_count"])
        if decision:
            _decide(proposal, decision, reason, ids, civil_servant, timezone.now())
    # A draft the CSO saved and has not submitted: only its author sees it, on the
    # consultation page and the proposal list ("Your drafts").
    Proposal.objects.create(
        consultation=consultation,
        author=_user("cso@demo.example.org"),
        organisation=_organisation("Transparency Watch Valdoria"),
        submitter_type="cso",
        title="Open contracting data for municipal procurement",
        problem="Municipal contracts are published as scanned PDFs, months late.",
        status=ProposalStatus.DRAFT,
    )
    question = GuidingQuestion.objects.create(
        consultation=consultation,
        text="What are the main barriers to accessing public information digitally?",
    )
    for body in (
        "Many documents are scanned PDFs that screen readers cannot read.",
        "Mobile data is expensive in rural areas, so large downloads are out of reach.",
        "Scanned documents without text are useless for blind users.",
    ):
        Answer.objects.create(question=question, author=citizen, body=body)
    OfflineEvent.objects.create(
        consultation=consultation,
        channel="workshop",
        held_on=(consultation.opens_at + dt.timedelta(days=5)).date(),
        place="Regional library, Northport",
        participants_by_sector={"government": 4, "civil_society": 17, "academia": 3},
        summary="Participants asked for legal aid desks in libraries and plain-language court "
        "letters; three proposals were written together on the day.",
        recorded_by=civil_servant,
    )


def _fill_closed(consultation, plan, civil_servant):
    when = dt.datetime(2020, 8, 20, 9, tzinfo=UTC)
    for title, email, org, area, decision, reason, ids in CLOSED_PROPOSALS:
        proposal = _proposal(
            consultation, plan, title, email, org, area,
            problem="Raised at the regional workshops.", proposed_solution=title + ".",
        )  # fmt: skip
        _decide(proposal, decision, reason, ids, civil_servant, when)
    for place, participants in (
        ("City hall, Valdoria", {"government": 6, "civil_society": 22, "academia": 2}),
        ("Youth centre, Eastbridge", {"civil_society": 31, "other": 5}),
    ):
        OfflineEvent.objects.create(
            consultation=consultation, channel="workshop", held_on=dt.date(2020, 3, 10),
            place=place, participants_by_sector=participants,
            summary="Discussion of access to justice and the budget.", recorded_by=civil_servant,
        )  # fmt: skip


TYPED_INPUTS = (
    ("offline", "paper", "A paper form: court letters should say what happens next."),
    ("offline", "phone", "A phone call: the library in Eastbridge needs longer hours."),
    ("offline", "email", "An e-mail: publish the budget of every commitment."),
    ("forum", "meeting", "The forum asked for a yearly public report on each commitment."),
)


GROUP_REASON = (
    "Taken into the plan where it fits a commitment; the rest goes to the ministry "
    "concerned, which will answer in its annual report."
)


def _ledger(
    plan,
    consultation,
    civil_servant,
    *,
    answer_all: bool,
    typed=TYPED_INPUTS,
    workshop_topic="legal aid desks in libraries",
    group_reason=GROUP_REASON,
) -> None:
    """Every kind of input in the plan's ledger. The adopted plan is fully answered; the plan
    being co-created has a published response, a draft one and inputs still waiting."""
    from .services.ledger import entry_for_answer, entry_for_comment, entry_for_proposal

    for proposal in consultation.proposals.exclude(status=ProposalStatus.DRAFT):
        entry_for_proposal(proposal)
    for answer in Answer.objects.filter(question__consultation=consultation):
        entry_for_answer(answer)
    commitment = Commitment.objects.filter(plan=plan).order_by("ogp_id").first()
    if commitment is not None:
        body = "Please add a milestone on training the staff who will use this."
        comment = Comment.objects.create(
            consultation=consultation, commitment=commitment,
            author=_user("citizen@demo.example.org"), body=body, body_html=render_user_text(body),
        )  # fmt: skip
        entry_for_comment(comment)
    received = (consultation.opens_at + dt.timedelta(days=3)).date()
    for event in consultation.offline_events.all():
        InputEntry.objects.create(
            plan=plan, consultation=consultation, kind="offline", channel="workshop",
            offline_event=event, title=f"{event.place}: {workshop_topic}",
            text=event.summary, received_on=event.held_on, recorded_by=civil_servant,
        )  # fmt: skip
    for kind, channel, text in typed:
        InputEntry.objects.create(
            plan=plan, consultation=consultation if kind == "offline" else None, kind=kind,
            channel=channel, title=text.split(":")[0], text=text, received_on=received,
            recorded_by=civil_servant, author_name="A resident" if kind == "offline" else "",
            source_label="Forum meeting" if kind == "forum" else "",
        )  # fmt: skip
    waiting = list(InputEntry.objects.filter(plan=plan, response__isnull=True).order_by("pk"))
    if not answer_all:
        # One published group answer, one draft (not public), the rest still waiting.
        waiting = waiting[:2]
    when = consultation.closes_at if answer_all else timezone.now()
    published = ReasonedResponse.objects.create(
        plan=plan, consultation=consultation, status=ResponseStatus.PUBLISHED,
        decision="partially_accepted", responder=civil_servant, published_at=when,
        reviewed_by=civil_servant, reviewed_at=when, reason=group_reason,
    )  # fmt: skip
    if commitment is not None:
        published.commitments.add(commitment)
    InputEntry.objects.filter(pk__in=[e.pk for e in waiting]).update(response=published)
    if not answer_all:
        draft = ReasonedResponse.objects.create(
            plan=plan, consultation=consultation, status=ResponseStatus.DRAFT,
            decision="not_accepted", responder=civil_servant,
            reason="Draft: outside what this plan can do.",
        )  # fmt: skip
        later = InputEntry.objects.filter(plan=plan, response__isnull=True).order_by("pk")[:1]
        InputEntry.objects.filter(pk__in=list(later.values_list("pk", flat=True))).update(
            response=draft
        )


def _coalition(consultation) -> None:
    """Three verified CSOs co-sponsor one proposal (#16): Transparency Watch proposed it;
    Legal Aid Network and the Open Budget Initiative joined."""
    from .choices import CosponsorStatus
    from .models import ProposalCosponsor

    proposal = consultation.proposals.filter(title="Publish court decisions within 30 days").first()
    if proposal is None:
        return
    for name in ("Legal Aid Network", "Open Budget Initiative Valdoria"):
        organisation = _organisation(name)
        if organisation:
            ProposalCosponsor.objects.get_or_create(
                proposal=proposal,
                organisation=organisation,
                defaults={
                    "status": CosponsorStatus.ACCEPTED,
                    "invited_by": proposal.author,
                    "answered_at": proposal.submitted_at,
                },
            )


def date_before_posting_limit() -> None:
    """Date the demo's comments one posting window earlier than now, when they were written:
    else the demo citizen, author of ten of them, was at the per-account limit (10 comments in
    5 minutes) for the first minutes after `make demo`, and her first comment was refused as
    "posting very fast". Still inside the 15 minutes in which their authors may edit them."""
    window = dt.timedelta(seconds=settings.COMMENT_LIMIT_WINDOW_SECONDS + 1)
    Comment.objects.filter(created_at__gte=timezone.now() - window).update(
        created_at=F("created_at") - window
    )
