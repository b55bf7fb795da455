"""Consultation windows, their documents, guiding questions with their answers, and offline
events."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.choices import Audience, ConsultationKind, WindowState
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.models import Organisation
from plans.models import ActionPlan, insider_member_ids


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsultationQuerySet":
        """Announced consultations (notice published) of visible plans for everyone; the
        member's insiders also see those still being prepared."""
        plans = ActionPlan.objects.visible_to(user)
        if access_for(user).is_secretariat:
            return self.filter(plan__in=plans)
        return self.filter(plan__in=plans).filter(
            Q(notice_published_at__isnull=False) | Q(plan__member_id__in=insider_member_ids(user))
        )

    def open_at(self, moment) -> "ConsultationQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Consultation(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=30, choices=ConsultationKind.choices)
    audience = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.VERIFIED_USERS,
    )
    description = models.TextField(_("what we are asking and why"))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    summary_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]
        indexes = [
            # The reminder scans: windows opening, closing soon, or closed some days ago.
            models.Index(fields=["closes_at"], name="consultation_closes_at"),
            models.Index(fields=["opens_at"], name="consultation_opens_at"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:consultation-detail", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """Consultation.objects.visible_to(user) for this one loaded consultation (with its
        plan), without a query: for the comment post, which asks it hundreds of times a
        second. Kept next to the queryset so the two say the same (tests compare them)."""
        if not self.plan.is_visible_to(user):
            return False
        if access_for(user).is_secretariat:
            return True
        return self.notice_published_at is not None or self.plan.member_id in insider_member_ids(
            user
        )

    def window_state(self, moment=None) -> str:
        """Computed from the times, never stored: nothing has to open or close on time."""
        moment = moment or timezone.now()
        if moment < self.opens_at:
            return WindowState.SCHEDULED
        if moment < self.closes_at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def is_open(self) -> bool:
        return self.window_state() == WindowState.OPEN


class NoticeChange(models.Model):
    """A change to a consultation whose notice was already public (MR 3.1): what changed, from
    what to what, and whether the notice clock restarted. Public on the consultation page, so
    nobody can move the dates of an announced window without a trace."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="notice_changes"
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    # {field name: [before, after]}, as shown to people (times in the member's zone).
    changes = models.JSONField(_("changes"), default=dict)
    restarted_notice = models.BooleanField(_("the notice period started again"), default=False)
    previous_notice_at = models.DateTimeField(_("previous notice"), null=True, blank=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("notice change")
        verbose_name_plural = _("notice changes")

    def __str__(self) -> str:
        return f"{self.consultation_id} {self.changed_at:%Y-%m-%d %H:%M}"


class ConsultationDocument(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="consultations/documents/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")

    def __str__(self) -> str:
        return self.title


class GuidingQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["consultation", "position", "pk"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text[:80]


class Answer(models.Model):
    question = models.ForeignKey(GuidingQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("answer"))
    response = models.ForeignKey(
        "ReasonedResponse",  # consultations/models/proposals.py, which imports this module
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text=_("One response may cover a group of similar answers."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["question", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.body[:80]


class OfflineEvent(models.Model):
    """An in-person meeting or workshop staff record, so offline voices count too."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="offline_events"
    )
    channel = models.CharField(_("channel"), max_length=20)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=250)
    participants_by_sector = models.JSONField(_("participants by sector"), default=dict)
    summary = models.TextField(_("summary of what was said"))
    minutes = models.FileField(_("minutes"), upload_to="consultations/minutes/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("offline event")
        verbose_name_plural = _("offline events")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def participant_count(self) -> int:
        return sum(int(n) for n in self.participants_by_sector.values())
