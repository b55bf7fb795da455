"""Coalitions: several verified CSOs co-sponsor one proposal. The proposing organisation
invites the others; each invited organisation accepts or declines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consultations.choices import CosponsorStatus
from ogp_portal.organisations.models import Organisation

from .proposals import Proposal


class ProposalCosponsor(models.Model):
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="cosponsors", verbose_name=_("proposal")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cosponsorships",
        verbose_name=_("organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CosponsorStatus.choices, default=CosponsorStatus.INVITED
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "organisation__name", "pk"]
        verbose_name = _("co-sponsor")
        verbose_name_plural = _("co-sponsors")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="proposal_cosponsor_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.proposal.reference} · {self.organisation.name} ({self.status})"
