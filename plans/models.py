"""Members' action plans, their narrative sections and their policy areas."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_portal.core.languages import CONTENT_LANGUAGE_CHOICES
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.models import Member

from .choices import (
    DRAFT_STATUSES,
    PUBLIC_CONTENT_STATUSES,
    InfluenceLevel,
    PlanStatus,
    StandardsVersion,
)

# Roles that see a member's drafts (with the secretariat).
INSIDER_ROLES = (Role.CIVIL_SERVANT, Role.FORUM_MEMBER)


def insider_member_ids(user) -> set[int]:
    access = access_for(user)
    return {m for m, role in access.member_roles if role in INSIDER_ROLES}


class ActionPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ActionPlanQuerySet":
        """Published plans for everyone; drafts only for the member's civil servants and
        forum members, and for the secretariat."""
        if access_for(user).is_secretariat:
            return self
        return self.filter(
            ~Q(status__in=DRAFT_STATUSES) | Q(member_id__in=insider_member_ids(user))
        )


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
    primary_language = models.CharField(
        _("primary language"),
        max_length=10,
        choices=CONTENT_LANGUAGE_CHOICES,
        default="en",
        help_text=_("The language the plan is written in; translations may be added."),
    )
    # Narrative sections of the OGP action plan template.
    vision = models.TextField(
        _("introduction and long-term vision"),
        blank=True,
        help_text=_("The country's grand challenges and where open government should lead."),
    )
    efforts_to_date = models.TextField(_("open government efforts to date"), blank=True)
    development_process = models.TextField(
        _("development process"),
        blank=True,
        help_text=_("How the plan was co-created: who took part, how, and how input was used."),
    )
    co_creation_timeline = models.TextField(
        _("co-creation timeline and ways to take part"),
        blank=True,
        help_text=_("Published at the start of the notice period (OGP minimum requirement 3.1)."),
    )
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "created_at"])
    objects = ActionPlanQuerySet.as_manager()

    translatable_fields = (
        "title",
        "vision",
        "efforts_to_date",
        "development_process",
        "co_creation_timeline",
    )

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

    def is_visible_to(self, user) -> bool:
        """ActionPlan.objects.visible_to(user) for this one loaded plan, without a query (kept
        next to it so the two say the same; tests/plans compares them)."""
        if access_for(user).is_secretariat:
            return True
        return not self.is_draft or self.member_id in insider_member_ids(user)

    @property
    def is_editable(self) -> bool:
        return self.status != PlanStatus.ARCHIVED

    @property
    def translation_languages(self) -> list[str]:
        """The member's other languages and English: what the content may be translated into."""
        wanted = dict.fromkeys([*self.member.languages, "en"])
        return [code for code in wanted if code != self.primary_language]

    @property
    def commitments_are_public(self) -> bool:
        return self.status in PUBLIC_CONTENT_STATUSES


class PolicyArea(models.Model):
    """A theme of a plan (Access to Justice, Digital Governance, …), optionally with components."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="policy_areas", verbose_name=_("plan")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    components = models.TextField(
        _("components"), blank=True, help_text=_("One component per line (optional).")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()
    translatable_fields = ("name", "description", "components")

    class Meta:
        ordering = ["plan", "position", "name"]
        verbose_name = _("policy area")
        verbose_name_plural = _("policy areas")
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="policyarea_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_editable(self) -> bool:
        return self.plan.is_editable

    @property
    def component_list(self) -> list[str]:
        return [line.strip() for line in self.components.splitlines() if line.strip()]


class PlanInfluence(models.Model):
    """The plan's self-assessed level of public influence (IAP2), for co-creation and for
    implementation, each with what supports it: links to records, or a reasoned note."""

    plan = models.OneToOneField(
        ActionPlan, on_delete=models.CASCADE, related_name="influence", verbose_name=_("plan")
    )
    co_creation_level = models.CharField(
        _("level of public influence during co-creation"),
        max_length=20,
        choices=InfluenceLevel.choices,
        blank=True,
    )
    co_creation_support = models.TextField(
        _("what supports it (co-creation)"),
        blank=True,
        help_text=_("Links to the records that show it (one per line), or a reasoned note."),
    )
    implementation_level = models.CharField(
        _("level of public influence during implementation"),
        max_length=20,
        choices=InfluenceLevel.choices,
        blank=True,
    )
    implementation_support = models.TextField(
        _("what supports it (implementation)"),
        blank=True,
        help_text=_("Links to the records that show it (one per line), or a reasoned note."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("level of public influence")
        verbose_name_plural = _("levels of public influence")

    def __str__(self) -> str:
        return f"{self.plan}: {self.co_creation_level} / {self.implementation_level}"
