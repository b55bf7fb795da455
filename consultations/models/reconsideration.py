"""Reconsideration (issue #15, item 4): the author of an input asks, once and within
settings.OGP_RECONSIDERATION_DAYS of its response's publication, for the decision to be
reconsidered; staff answer publicly. The request keeps the decision and reasoning it was
about, so a changed decision leaves its history in the record."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .ledger import InputEntry
from .proposals import ReasonedResponse


class ReconsiderationOutcome(models.TextChoices):
    UPHELD = "upheld", _("Decision upheld")
    CHANGED = "changed", _("Decision changed")


class ReconsiderationRequest(models.Model):
    # One per input: the author may ask once.
    entry = models.OneToOneField(
        InputEntry, on_delete=models.CASCADE, related_name="reconsideration"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("why the decision should be reconsidered"))
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    # The response asked about, as it stood (history when the decision changes).
    response = models.ForeignKey(
        ReasonedResponse, null=True, on_delete=models.SET_NULL, related_name="reconsiderations"
    )
    previous_decision = models.CharField(_("decision asked about"), max_length=30)
    previous_reason = models.TextField(_("reasoning asked about"))
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=ReconsiderationOutcome.choices, blank=True
    )
    answer = models.TextField(_("public answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reconsideration request")
        verbose_name_plural = _("reconsideration requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(outcome=""),
                name="reconsideration_answer_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.reason[:60]}"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
