"""Shared records: the audit trail of every state change, and the scheduler heartbeat."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did what to which record, and why: part of the public evidence OGP asks for."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100)
    target_id = models.CharField(_("target id"), max_length=64)
    target_repr = models.CharField(_("target"), max_length=300)
    data = models.JSONField(_("details"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"


class Heartbeat(models.Model):
    """Last time a background process checked in (beat's periodic task writes it)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    seen_at = models.DateTimeField(_("seen at"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class Translation(models.Model):
    """One field of one record in one more language (the record itself holds the primary
    language). A single table serves every translatable model, so a page fetches all the
    translations it shows in one query, and edits are versioned like the originals."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    language = models.CharField(_("language"), max_length=10)
    field = models.CharField(_("field"), max_length=64)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "language", "field"],
                name="translation_unique_field_language",
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.field} [{self.language}]"


class FormSubmission(models.Model):
    """A create form's one-time token and what it created: a double submit (double click,
    reload, retry) returns the record already made instead of making a second one."""

    token = models.UUIDField(_("token"), unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("object id"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return str(self.token)


class Delivery(models.TextChoices):
    """How a user wants one kind of notification by e-mail (the inbox always gets it)."""

    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In a daily digest")
    OFF = "off", _("Not by e-mail")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    DIGEST = "digest", _("waiting for the daily digest")
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("not sent (switched off)")
    FAILED = "failed", _("failed")


class Notification(models.Model):
    """One event for one recipient: shown in their inbox and, by their preference, e-mailed
    at once, in the daily digest, or not at all. Subject and body are rendered in the
    recipient's language when the event happens."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.CASCADE
    )
    target_id = models.PositiveBigIntegerField(_("target id"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_status = models.CharField(
        _("e-mail"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_status", "created_at"], name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return self.subject


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=64)
    delivery = models.CharField(_("e-mail"), max_length=10, choices=Delivery.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class EmailFailure(models.Model):
    """An e-mail that could not be delivered after every retry; shown to the secretariat so a
    wrong or dead address is noticed and fixed."""

    address = models.EmailField(_("address"))
    kind = models.CharField(_("kind"), max_length=64, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    error = models.TextField(_("error"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    failed_at = models.DateTimeField(_("failed at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-failed_at", "-pk"]
        verbose_name = _("e-mail failure")
        verbose_name_plural = _("e-mail failures")

    def __str__(self) -> str:
        return f"{self.address}: {self.error[:60]}"

    @property
    def kind_label(self):
        """The label of the notification kind, as the preferences page names it (a lookup in
        the registry, no query); the key itself for a kind nobody registers any more."""
        from .notifications import get_kind  # notifications imports these models

        return get_kind(self.kind).label if self.kind else ""


class ReminderLog(models.Model):
    """A reminder already sent: one per recipient, kind, object and deadline. The unique
    constraint (not a check) keeps a scan that runs twice at once, or is retried after a
    crash, from sending it twice; a moved deadline is a new key, so it fires again."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("target id"))
    deadline = models.DateTimeField(_("deadline"))
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "target_type", "target_id", "deadline"],
                name="reminder_once_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type_id}:{self.target_id} @ {self.deadline:%Y-%m-%d}"


class GeneratedFile(models.Model):
    """A rendered document (a plan PDF, a report), stored once per content hash: asking again
    while nothing changed reuses it; an edit changes the hash and a new file is made."""

    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("target id"))
    language = models.CharField(_("language"), max_length=10)
    content_hash = models.CharField(_("content hash"), max_length=64)
    file = models.FileField(_("file"), upload_to="generated/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    render_seconds = models.FloatField(_("render time (s)"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "language", "content_hash"],
                name="generated_file_once_per_content",
            )
        ]

    def __str__(self) -> str:
        return self.filename


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportJob(models.Model):
    """One request to export a document: the job page follows its progress, then links the
    file. Runs in Celery; a failure keeps its message and can be retried."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    target_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField(_("target id"))
    language = models.CharField(_("language"), max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.ForeignKey(
        GeneratedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    reused = models.BooleanField(_("reused a stored file"), default=False)
    # Whether anyone could export the document when the job was asked for: a job run while
    # the plan was a draft holds the draft's PDF and stays private after publication.
    is_public = models.BooleanField(_("public when requested"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # When its message was last sent (first queued, re-queued or sent again by the sweeper):
    # a queued job not started long after is presumed to have lost its message.
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # A running job's worker writes it as progress moves and every few seconds; a job whose
    # heartbeat stopped lost its worker (core/exports.py: sweeper, "Try again").
    heartbeat_at = models.DateTimeField(_("heartbeat at"), null=True, blank=True)
    # How many times a worker claimed the job. Each run writes only while the job still
    # holds its number, so a run presumed dead and replaced can no longer change the job.
    attempt = models.PositiveIntegerField(_("attempt"), default=0)
    # Runs the sweeper restarted after their worker was lost, since the job was asked for
    # (or tried again): a document that kills its worker every time fails after a few.
    restarts = models.PositiveSmallIntegerField(_("automatic restarts"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        indexes = [
            models.Index(fields=["kind", "target_type", "target_id", "status"]),
            # The sweeper's scan: only the few queued or running jobs, however many are done.
            models.Index(
                fields=["status"],
                name="core_exportjob_active_idx",
                condition=models.Q(status__in=["queued", "running"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.target_type_id}:{self.target_id} ({self.status})"


class OutboxMessage(models.Model):
    """A Celery task to publish, written in the transaction of the change it belongs to
    (ogp_portal/core/outbox.py): a committed change always gets its task, a rolled-back one
    never does, and no request waits on the broker. The relay claims a row by a conditional
    UPDATE, publishes it and stamps `published_at`."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Not to be tried before this instant: now when written; a claim pushes it forward by
    # the lease, so a publisher that died holding a row gives it back when the lease ends.
    available_at = models.DateTimeField(_("available at"))
    claim = models.UUIDField(_("claim"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("last error"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            # The relay's scan: unpublished rows that are due, oldest first.
            models.Index(
                fields=["available_at"],
                condition=models.Q(published_at__isnull=True),
                name="core_outbox_due",
            ),
            models.Index(fields=["claim"], name="core_outbox_claim"),
        ]

    def __str__(self) -> str:
        state = "published" if self.published_at else "waiting"
        return f"{self.task}{tuple(self.args)} ({state})"
