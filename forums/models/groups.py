"""Working groups and commitment teams of the forum, and the people in them."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from plans.models import PolicyArea

from .forum import Forum, SeatHolder


class WorkingGroup(models.Model):
    """A thematic working group or commitment team of the forum."""

    forum = models.ForeignKey(
        Forum, on_delete=models.CASCADE, related_name="working_groups", verbose_name=_("forum")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    policy_area = models.ForeignKey(
        PolicyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forum_working_groups",
        verbose_name=_("policy area"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["forum", "name"]
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        constraints = [
            models.UniqueConstraint(fields=["forum", "name"], name="workinggroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:group-detail", args=[self.pk])


class WorkingGroupMember(SeatHolder):
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.CASCADE, related_name="members", verbose_name=_("group")
    )
    # The convenor runs the group day to day: decides on applications, moderates comments.
    is_convenor = models.BooleanField(_("convenor"), default=False)

    class Meta:
        ordering = ["group", "sector", "name"]
        verbose_name = _("working group member")
        verbose_name_plural = _("working group members")
        constraints = [
            models.UniqueConstraint(fields=["group", "name"], name="workinggroupmember_unique")
        ]

    def __str__(self) -> str:
        return self.name
