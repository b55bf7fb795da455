"""Coalitions: invite co-sponsors to a proposal, and answer an invitation."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consultations.models import ProposalCosponsor
from consultations.services.coalitions import (
    cosponsor_invite,
    cosponsorship_accept,
    cosponsorship_decline,
)
from ogp_portal.core.form_views import require, run_action

from .coalition_page import CosponsorInviteForm
from .proposal_page import visible_proposal


@require_POST
def proposal_cosponsor_invite(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = visible_proposal(request, pk)
    require(request, "consultations.invite_cosponsor", proposal)
    form = CosponsorInviteForm(request.POST, proposal=proposal)
    if not form.is_valid():
        messages.error(request, _("Choose an organisation to invite."))
        return redirect(proposal.get_absolute_url() + "#coalition")
    organisation = form.cleaned_data["organisation"]
    _invitation, error = run_action(
        request,
        lambda: cosponsor_invite(proposal, actor=request.user, organisation=organisation),  # type: ignore[arg-type]
    )
    if error is None:
        messages.success(
            request,
            _("%(org)s is invited to co-sponsor this proposal.") % {"org": organisation.name},
        )
    return redirect(proposal.get_absolute_url() + "#coalition")


@require_POST
def cosponsorship_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline (action=accept|decline) an invitation to co-sponsor."""
    invitation = get_object_or_404(
        ProposalCosponsor.objects.select_related("organisation", "proposal"), pk=pk
    )
    proposal = visible_proposal(request, invitation.proposal_id)
    invitation.proposal = proposal
    require(request, "consultations.answer_cosponsorship", invitation)
    accept = request.POST.get("action") == "accept"
    service = cosponsorship_accept if accept else cosponsorship_decline
    _answered, error = run_action(
        request,
        lambda: service(invitation, actor=request.user),  # type: ignore[arg-type]
    )
    if error is None:
        messages.success(
            request,
            _("%(org)s co-sponsors this proposal.") % {"org": invitation.organisation.name}
            if accept
            else _("%(org)s declined to co-sponsor this proposal.")
            % {"org": invitation.organisation.name},
        )
    return redirect(proposal.get_absolute_url() + "#coalition")
