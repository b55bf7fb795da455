"""What the proposal page shows about a proposal's coalition (co-sponsors, invitations) and
the form that invites a co-sponsor."""

from typing import cast

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from consultations.choices import CosponsorStatus, ProposalStatus
from consultations.models import Proposal, ProposalCosponsor
from ogp_portal.organisations.choices import ACTING_KINDS
from ogp_portal.organisations.models import Organisation


class CosponsorInviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Invite a co-sponsor"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["organisation"])
        field.queryset = (
            Organisation.objects.may_take_part_for(
                proposal.consultation.plan.member_id, kinds=ACTING_KINDS
            )
            .exclude(pk__in=[proposal.organisation_id])
            .exclude(
                cosponsorships__proposal=proposal,
                cosponsorships__status__in=[CosponsorStatus.INVITED, CosponsorStatus.ACCEPTED],
            )
            .order_by("name")
        )


def coalition_context(
    request: HttpRequest, proposal: Proposal, cosponsors: list[ProposalCosponsor]
) -> dict:
    """What the proposal page shows about its coalition, and the buttons for who may act.
    `cosponsors`: the proposal's, by organisation name, each with its organisation and the
    proposal loaded (proposal_page_sql.page_relations)."""
    user = request.user
    can_invite = proposal.status != ProposalStatus.DRAFT and user.has_perm(
        "consultations.invite_cosponsor", proposal
    )
    return {
        "coalition": [c.organisation for c in cosponsors if c.status == CosponsorStatus.ACCEPTED],
        "invited": [c for c in cosponsors if c.status == CosponsorStatus.INVITED],
        "my_invitations": [
            c
            for c in cosponsors
            if c.status == CosponsorStatus.INVITED
            and user.has_perm("consultations.answer_cosponsorship", c)
        ],
        "can_invite": can_invite,
        "invite_form": CosponsorInviteForm(proposal=proposal) if can_invite else None,
    }
