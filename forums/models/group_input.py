"""Input to a working group from people outside it: applications to join, and comments on
the group's drafts (issue #16: working groups take input from registered non-members)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from forums.choices import GroupApplicationStatus, Sector

from .groups import WorkingGroup


class GroupApplication(models.Model):
    """A registered person asks to join a working group, with a short motivation."""

    group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("working group"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("applicant"),
    )
    sector = models.CharField(
        _("sector"), max_length=20, choices=Sector.choices, default=Sector.CIVIL_SOCIETY
    )
    motivation = models.TextField(_("motivation"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GroupApplicationStatus.choices,
        default=GroupApplicationStatus.PENDING,
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "-created_at"]
        verbose_name = _("application to a working group")
        verbose_name_plural = _("applications to working groups")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "applicant"],
                condition=Q(status=GroupApplicationStatus.PENDING),
                name="groupapplication_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.group}"

    def get_absolute_url(self) -> str:
        return reverse("forums:group-detail", args=[self.group_id])


class GroupDraft(models.Model):
    """A text the group is writing (a position, a draft commitment), open for comment."""

    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="drafts", verbose_name=_("group")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["group", "-created_at"]
        verbose_name = _("working group draft")
        verbose_name_plural = _("working group drafts")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:group-draft-detail", args=[self.pk])


class DraftComment(models.Model):
    """A comment on a group's draft; the convenor may hide it with a published reason."""

    draft = models.ForeignKey(
        GroupDraft, on_delete=models.CASCADE, related_name="comments", verbose_name=_("draft")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["draft", "created_at"]
        verbose_name = _("comment on a draft")
        verbose_name_plural = _("comments on drafts")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"

    def get_absolute_url(self) -> str:
        return f"{self.draft.get_absolute_url()}#draft-comment-{self.pk}"
