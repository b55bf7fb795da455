"""Meetings of the forum or a working group, with attendance, decisions, action items and
minutes."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.choices import MeetingKind, MeetingStatus, Sector
from plans.models import ActionPlan

from .forum import Forum
from .groups import WorkingGroup


class ForumMeetingQuerySet(models.QuerySet["ForumMeeting"]):
    def with_published_minutes(self) -> "ForumMeetingQuerySet":
        """Meetings that count as evidence (ogp-domain.md §2.6)."""
        return self.filter(status=MeetingStatus.MINUTES_PUBLISHED)


class ForumMeeting(models.Model):
    """A meeting of the forum or of one of its working groups."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("forum")
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("working group"),
    )
    plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_meetings",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=40, choices=MeetingKind.choices, default=MeetingKind.REGULAR
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingStatus.choices,
        default=MeetingStatus.SCHEDULED,
    )
    minutes_text = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to="forums/minutes/%Y/", blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published at"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ForumMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("forum meeting")
        verbose_name_plural = _("forum meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""),
                name="meeting_has_place_or_link",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingStatus.MINUTES_PUBLISHED)
                | (
                    Q(minutes_published_at__isnull=False)
                    & (~Q(minutes_text="") | ~Q(minutes_file=""))
                ),
                name="meeting_published_minutes_exist",
            ),
        ]
        indexes = [
            # The reminder scans: scheduled meetings starting soon, held ones without minutes.
            models.Index(fields=["status", "starts_at"], name="meeting_status_starts"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:meeting-detail", args=[self.pk])

    @property
    def minutes_are_published(self) -> bool:
        return self.status == MeetingStatus.MINUTES_PUBLISHED


class MeetingAttendance(models.Model):
    """How many people of each sector attended, so parity is visible."""

    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("meeting"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    count = models.PositiveSmallIntegerField(_("people present"))

    class Meta:
        ordering = ["meeting", "sector"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "sector"], name="attendance_unique_sector")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_sector_display()} {self.count}"


class ActionItem(models.Model):
    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.CASCADE,
        related_name="action_items",
        verbose_name=_("meeting"),
    )
    description = models.TextField(_("action"))
    owner = models.CharField(_("owner"), max_length=200)
    due_on = models.DateField(_("due on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["meeting", "due_on", "pk"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.description[:80]
