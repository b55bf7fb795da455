"""Members' action plans and their policy areas.

This is the first cut that the demo data needs; the plan cycle, its rules and the
narrative template sections come with the action-plans issue.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.models import Member

from .choices import DRAFT_STATUSES, PlanStatus, StandardsVersion


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionPlanQuerySet":
        """Published plans for everyone; drafts only for the member's civil servants and
        forum members, and for the secretariat."""
        access = access_for(user)
        if access.is_secretariat:
            return self
        insiders = [
            m for m, role in access.member_roles if role in (Role.CIVIL_SERVANT, Role.FORUM_MEMBER)
        ]
        return self.filter(~Q(status__in=DRAFT_STATUSES) | Q(member_id__in=insiders))


class ActionPlan(models.Model):
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="action_plans", verbose_name=_("member")
    )
    sequence_no = models.PositiveSmallIntegerField(_("number"), help_text=_("1st, 2nd, …"))
    title = models.CharField(_("title"), max_length=250)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    standards_version = models.CharField(
        _("rule set"),
        max_length=4,
        choices=StandardsVersion.choices,
        default=StandardsVersion.V2021,
    )
    status = models.CharField(
        _("status"), max_length=30, choices=PlanStatus.choices, default=PlanStatus.PLANNING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["member__name", "-period_start"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["member", "sequence_no"], name="plan_unique_sequence"),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="plan_period_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status in DRAFT_STATUSES


class PolicyArea(models.Model):
    """A theme of a plan (Access to Justice, Digital Governance, …)."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="policy_areas", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["plan", "position", "name"]
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="policyarea_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
