"""The proposals section of an organisation's public page (organisations.profile registry):
its proposals, those it co-sponsors in a coalition, and, for its own members, invitations
to co-sponsor that wait for an answer."""

from django.db.models import Q
from django.utils.translation import gettext as _

from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.profile import ProfileSection
from ogp_portal.organisations.rules import may_act_for
from ogp_portal.users.types import AnyUser

from .choices import CosponsorStatus, ProposalStatus
from .models import Consultation, Proposal, ProposalCosponsor

SHOWN = 20


def proposals_by(organisation: Organisation, user: AnyUser):
    """Published proposals the organisation submitted or co-sponsors, in consultations the
    viewer may see: the one rule behind the list and its counts."""
    return (
        Proposal.objects.published()
        .filter(consultation__in=Consultation.objects.visible_to(user))
        .filter(
            Q(organisation=organisation)
            | Q(
                cosponsors__organisation=organisation,
                cosponsors__status=CosponsorStatus.ACCEPTED,
            )
        )
        .distinct()
    )


def proposals_section(organisation: Organisation, user: AnyUser) -> ProfileSection | None:
    proposals = proposals_by(organisation, user)
    total = proposals.count()
    invitations = []
    if may_act_for(user, organisation, organisation.member_id):
        invitations = list(
            ProposalCosponsor.objects.filter(
                organisation=organisation, status=CosponsorStatus.INVITED
            )
            .exclude(proposal__status=ProposalStatus.DRAFT)
            .select_related("proposal__organisation")
        )
    if not total and not invitations:
        return None
    in_coalition = proposals.exclude(organisation=organisation).count() if total else 0
    shown = list(
        proposals.select_related("organisation", "consultation").order_by("-submitted_at", "-pk")[
            :SHOWN
        ]
    )
    return ProfileSection(
        title=_("Proposals"),
        template="consultations/includes/_organisation_proposals.html",
        context={
            "organisation": organisation,
            "proposals": shown,
            "total": total,
            "in_coalition": in_coalition,
            "invitations": invitations,
        },
    )
