"""Commitments in the OGP template, their milestones and progress updates."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.models import Organisation
from plans.choices import PUBLIC_CONTENT_STATUSES, PlanStatus
from plans.models import ActionPlan, PolicyArea, insider_member_ids

from .choices import OGP_VALUES, CommitmentStatus, CompletionLevel, MilestoneStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ogp_id_validator = RegexValidator(
    r"^[A-Z]{2}[0-9]{4}$", _("An OGP commitment ID is two capital letters and four digits.")
)


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CommitmentQuerySet":
        """Commitments of plans past drafting for everyone; working drafts only for the
        member's civil servants and forum members, and the secretariat."""
        if access_for(user).is_secretariat:
            return self
        return self.filter(
            Q(plan__status__in=PUBLIC_CONTENT_STATUSES)
            | Q(plan__member_id__in=insider_member_ids(user))
        )


class Commitment(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("plan")
    )
    ogp_id = models.CharField(
        _("OGP ID"), max_length=6, unique=True, validators=[ogp_id_validator], editable=False
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=250)
    summary = models.CharField(
        _("plain-language summary"),
        max_length=280,
        help_text=_("One or two short sentences anyone can understand. Shown first."),
    )
    brief_description = models.TextField(_("brief description"), blank=True)
    problem = models.TextField(_("what problem does the commitment address?"), blank=True)
    causes = models.TextField(_("what are the causes of the problem?"), blank=True)
    done_so_far = models.TextField(_("what has been done so far?"), blank=True)
    solution = models.TextField(_("what is the commitment (the solution)?"), blank=True)
    expected_results = models.TextField(_("what results do we expect?"), blank=True)
    # Relevance to each OGP value, with an explanation.
    access_to_information = models.BooleanField(_("access to information"), default=False)
    access_to_information_explanation = models.TextField(
        _("how (access to information)"), blank=True
    )
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    civic_participation_explanation = models.TextField(_("how (civic participation)"), blank=True)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    public_accountability_explanation = models.TextField(
        _("how (public accountability)"), blank=True
    )
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    technology_innovation_explanation = models.TextField(
        _("how (technology and innovation)"), blank=True
    )
    lead_institution = models.CharField(_("lead institution"), max_length=250)
    # The organisation that leads, as a record: its approved members who hold the commitment
    # lead role report progress. Empty when the text above names no organisation of the
    # member; the text stays for display and for imports.
    lead_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_commitments",
        verbose_name=_("lead organisation"),
    )
    supporting_organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="supported_commitments",
        verbose_name=_("supporting organisations"),
    )
    support_government = models.TextField(_("supporting government actors"), blank=True)
    support_civil_society = models.TextField(_("supporting civil-society actors"), blank=True)
    support_other = models.TextField(
        _("other supporting actors"),
        blank=True,
        help_text=_("Parliament, private sector, multilaterals, working groups."),
    )
    policy_area = models.ForeignKey(
        PolicyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("policy area"),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    budget = models.TextField(_("budget"), blank=True)
    links_to_other_plans = models.TextField(
        _("links to other plans"), blank=True, help_text=_("National development plan, SDGs, …")
    )
    status = models.CharField(
        _("implementation status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.NOT_STARTED,
    )
    withdrawn_reason = models.TextField(_("why it was withdrawn"), blank=True)
    # IRM assessment and legacy fields as imported (ogp-domain.md §5 schema), kept verbatim.
    irm_assessment = models.JSONField(_("IRM assessment"), default=dict, blank=True)
    # Closure (issue #17): the government's completion assessment at the plan's end.
    completion_level = models.CharField(
        _("completion level"),
        max_length=20,
        choices=CompletionLevel.choices,
        blank=True,
        default="",
        db_default="",  # the national-scale seeder inserts rows without naming these columns
    )
    completion_note = models.TextField(_("completion note"), blank=True, default="", db_default="")
    completion_evidence_url = models.URLField(
        _("completion evidence"), max_length=500, blank=True, default="", db_default=""
    )
    completion_assessed_at = models.DateTimeField(
        _("completion assessed at"), null=True, blank=True
    )
    # An unfinished commitment carried into the successor plan: the new one points back here.
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_into",
        verbose_name=_("carried over from"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "created_at", "position"])
    objects = CommitmentQuerySet.as_manager()

    translatable_fields = (
        "title",
        "summary",
        "brief_description",
        "problem",
        "causes",
        "done_so_far",
        "solution",
        "expected_results",
        "access_to_information_explanation",
        "civic_participation_explanation",
        "public_accountability_explanation",
        "technology_innovation_explanation",
    )

    class Meta:
        ordering = ["plan", "position", "ogp_id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="commitment_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["plan", "position"])]

    def __str__(self) -> str:
        return f"{self.ogp_id} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:commitment-detail", args=[self.ogp_id])

    @property
    def status_label(self) -> str:
        """The status a reader sees: once the plan has ended, the completion level instead of
        an implementation status that no longer moves ("In progress" would be untrue)."""
        if self.status == CommitmentStatus.WITHDRAWN or self.plan.status not in (
            PlanStatus.ENDED,
            PlanStatus.ARCHIVED,
        ):
            return str(self.get_status_display())
        if self.completion_level:
            return _("Completion: %(level)s") % {"level": self.get_completion_level_display()}
        return str(_("Plan ended; completion not assessed yet"))

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        # getattr: an unsaved plan object (an import being checked) counts too.
        plan = getattr(self, "plan", None)
        if plan and self.start_date and not plan.period_start <= self.start_date <= plan.period_end:
            errors["start_date"] = _(
                "The start date must lie inside the plan period (%(start)s – %(end)s)."
            ) % {"start": plan.period_start, "end": plan.period_end}
        if plan and self.end_date and not plan.period_start <= self.end_date <= plan.period_end:
            errors["end_date"] = _(
                "The end date must lie inside the plan period (%(start)s – %(end)s)."
            ) % {"start": plan.period_start, "end": plan.period_end}
        if (
            self.policy_area_id
            and plan
            and self.policy_area
            and self.policy_area.plan_id != plan.pk
        ):
            errors["policy_area"] = _("Choose a policy area of this plan.")
        lead = self.lead_organisation if self.lead_organisation_id else None
        if lead and plan and lead.member_id != plan.member_id:
            errors["lead_organisation"] = _("Choose an organisation of this plan's member.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_editable(self) -> bool:
        return self.plan.is_editable

    @property
    def ogp_values(self) -> list:
        """The OGP values this commitment is relevant to, with their explanations."""
        return [
            (label, getattr(self, f"{name}_explanation"))
            for name, label in OGP_VALUES
            if getattr(self, name)
        ]


class Milestone(models.Model):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("commitment"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    description = models.TextField(_("milestone"))
    expected_output = models.TextField(_("expected output"), blank=True)
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("expected completion date"))
    responsible_actors = models.TextField(_("responsible stakeholders"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.NOT_STARTED,
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", "position"])
    translatable_fields = ("description", "expected_output", "responsible_actors")

    class Meta:
        ordering = ["commitment", "position", "due_date", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="milestone_due_after_start",
            ),
        ]
        indexes = [
            # The reminder scan: milestones not complete, due within a window of dates.
            models.Index(
                fields=["due_date"],
                condition=~Q(status=MilestoneStatus.COMPLETE),
                name="milestone_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def is_editable(self) -> bool:
        return self.commitment.plan.is_editable

    def clean(self) -> None:
        errors: dict[str, StrOrPromise] = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = _("The completion date is before the start date.")
        commitment = getattr(self, "commitment", None)
        if commitment:
            window = {"start": commitment.start_date, "end": commitment.end_date}
            for name in ("start_date", "due_date"):
                value = getattr(self, name)
                if value and not commitment.start_date <= value <= commitment.end_date:
                    errors[name] = (
                        _(
                            "Milestone dates must lie inside the commitment's dates "
                            "(%(start)s – %(end)s)."
                        )
                        % window
                    )
        if errors:
            raise ValidationError(errors)


def evidence_upload_to(instance, filename: str) -> str:
    return f"evidence/{instance.commitment.ogp_id}/{filename}"


class ProgressUpdate(models.Model):
    """A dated report from a commitment lead: what happened, with evidence."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="progress_updates",
        verbose_name=_("commitment"),
    )
    milestone = models.ForeignKey(
        Milestone,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="progress_updates",
        verbose_name=_("milestone"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    milestone_status = models.CharField(
        _("milestone status"), max_length=20, choices=MilestoneStatus.choices, blank=True
    )
    narrative = models.TextField(_("what happened"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=evidence_upload_to, blank=True)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.commitment.ogp_id} {self.created_at:%Y-%m-%d}"


class CommitmentImport(models.Model):
    """An import previewed and waiting for its confirmation: the rows read from the uploaded
    file, kept in the database (not in the session or a stored file) so the confirmation
    works from any web process, survives a cache outage, needs no writable upload folder,
    and is checked against the person and the plan it was previewed for. `plan_digest` is
    a hash of the plan's commitments as they were previewed against; the confirmation
    applies nothing if they changed since. Expired previews are deleted by the next one."""

    token = models.UUIDField(_("token"), unique=True, editable=False)
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("previewed by"),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    rows = models.JSONField(_("rows"))
    plan_digest = models.CharField(_("plan digest"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("previewed import")
        verbose_name_plural = _("previewed imports")

    def __str__(self) -> str:
        return f"{self.file_name} → {self.plan_id}"


class CommitmentImportLock(models.Model):
    """One row per plan that imports take (an upsert, held until their transaction ends),
    so two imports into the same plan run one after the other: on PostgreSQL the row lock
    makes the second wait, on SQLite the write lock does."""

    plan = models.OneToOneField(
        ActionPlan, on_delete=models.CASCADE, related_name="+", verbose_name=_("plan")
    )
    taken_at = models.DateTimeField(_("taken at"))

    class Meta:
        verbose_name = _("import lock")
        verbose_name_plural = _("import locks")

    def __str__(self) -> str:
        return str(self.plan_id)


class CommitmentPartner(models.Model):
    """A civil-society organisation on a commitment's team: beside the lead organisation, it
    co-owns the milestones, and its approved members report progress and evidence."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="partners", verbose_name=_("commitment")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitment_partnerships",
        verbose_name=_("organisation"),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["commitment", "organisation__name", "pk"]
        verbose_name = _("commitment team partner")
        verbose_name_plural = _("commitment team partners")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"], name="commitment_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment.ogp_id} · {self.organisation.name}"


def assessment_upload_to(instance, filename: str) -> str:
    return f"shadow/{instance.commitment.ogp_id}/{filename}"


class ShadowAssessment(models.Model):
    """A civil-society organisation's own, public assessment of a commitment's implementation,
    shown beside the government's. One per organisation and commitment; publishing again
    replaces it (the audit trail keeps each publication)."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="shadow_assessments",
        verbose_name=_("commitment"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shadow_assessments",
        verbose_name=_("organisation"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("implementation status as we see it"), max_length=20, choices=CommitmentStatus.choices
    )
    note = models.TextField(_("our assessment"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to=assessment_upload_to, blank=True)
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["commitment", "-published_at", "pk"]
        verbose_name = _("shadow assessment")
        verbose_name_plural = _("shadow assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "organisation"], name="shadow_assessment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment.ogp_id} · {self.organisation.name}: {self.status}"

    @property
    def differs(self) -> bool:
        """Whether civil society sees the implementation otherwise than the government."""
        return self.status != self.commitment.status
