"""Coalitions: the proposing organisation invites other verified organisations of the member
to co-sponsor its proposal; each answers for itself."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import CosponsorStatus, ProposalStatus
from consultations.models import Proposal, ProposalCosponsor
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.rules import organisation_refusal
from ogp_portal.users.models import User


@transaction.atomic
def cosponsor_invite(
    proposal: Proposal, *, actor: User, organisation: Organisation
) -> ProposalCosponsor:
    """Invite `organisation` to co-sponsor `proposal`. The actor must be able to act for the
    proposing organisation; the invited one must be able to take part in the member's
    processes (verified, of the member) and not be the proposer. Inviting again an
    organisation that declined asks it again; one already invited or in is left as it is."""
    if not actor.has_perm("consultations.invite_cosponsor", proposal):
        raise DomainError(_("Only the proposing organisation may invite co-sponsors."))
    if proposal.status == ProposalStatus.DRAFT:
        raise DomainError(_("Submit the proposal before inviting co-sponsors."))
    if organisation.pk == proposal.organisation_id:
        raise DomainError(_("The proposing organisation is already behind this proposal."))
    reason = organisation_refusal(organisation, proposal.consultation.plan.member_id)
    if reason:
        raise DomainError(reason)
    invitation, created = ProposalCosponsor.objects.get_or_create(
        proposal=proposal, organisation=organisation, defaults={"invited_by": actor}
    )
    if not created and invitation.status == CosponsorStatus.DECLINED:
        ProposalCosponsor.objects.filter(pk=invitation.pk).update(
            status=CosponsorStatus.INVITED, invited_by=actor, answered_by=None, answered_at=None
        )
        invitation.refresh_from_db()
        created = True
    if created:
        record_event(
            actor, "consultations.cosponsor.invited", proposal, organisation=organisation.pk
        )
    return invitation


def _answer(invitation: ProposalCosponsor, *, actor: User, to: str) -> ProposalCosponsor:
    if not actor.has_perm("consultations.answer_cosponsorship", invitation):
        raise DomainError(
            _("Only members of %(org)s may answer for it.") % {"org": invitation.organisation}
        )
    # Compare-and-set: two answers at once, only the first counts.
    answered = ProposalCosponsor.objects.filter(
        pk=invitation.pk, status=CosponsorStatus.INVITED
    ).update(status=to, answered_by=actor, answered_at=timezone.now())
    if not answered:
        raise DomainError(_("This invitation was already answered."))
    invitation.refresh_from_db()
    record_event(
        actor, f"consultations.cosponsor.{to}", invitation.proposal,
        organisation=invitation.organisation_id,
        from_state=CosponsorStatus.INVITED, to_state=to,
    )  # fmt: skip
    return invitation


@transaction.atomic
def cosponsorship_accept(invitation: ProposalCosponsor, *, actor: User) -> ProposalCosponsor:
    """The invited organisation joins the coalition behind the proposal."""
    return _answer(invitation, actor=actor, to=CosponsorStatus.ACCEPTED)


@transaction.atomic
def cosponsorship_decline(invitation: ProposalCosponsor, *, actor: User) -> ProposalCosponsor:
    """The invited organisation does not co-sponsor the proposal."""
    return _answer(invitation, actor=actor, to=CosponsorStatus.DECLINED)
