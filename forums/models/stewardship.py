"""Who steers the forum besides its chair(s): the technical secretariat, and the co-chairs'
signatures on the minutes (issue #16)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forums.choices import Sector
from ogp_portal.organisations.models import Organisation

from .forum import Forum
from .meetings import ForumMeeting


class TechnicalSecretariatMember(models.Model):
    """A named person of the forum's technical secretariat, from government or civil society.
    They keep the forum's record with the chair(s): meetings, agendas, minutes, motions."""

    forum = models.ForeignKey(
        Forum,
        on_delete=models.CASCADE,
        related_name="secretariat_members",
        verbose_name=_("forum"),
    )
    # An account is required: being on the secretariat is a right to act on the portal.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("portal account"),
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["forum", "sector", "name"]
        verbose_name = _("technical secretariat member")
        verbose_name_plural = _("technical secretariat members")
        constraints = [
            models.UniqueConstraint(fields=["forum", "user"], name="secretariat_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_sector_display()})"


class MinutesSignature(models.Model):
    """A co-chair's signature on a meeting's drafted minutes."""

    meeting = models.ForeignKey(
        ForumMeeting,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("meeting"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signed by"),
    )
    # Kept as signed: the record stays readable when the account or the seat goes.
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    signed_at = models.DateTimeField(_("signed at"))

    class Meta:
        ordering = ["meeting", "signed_at", "pk"]
        verbose_name = _("minutes signature")
        verbose_name_plural = _("minutes signatures")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="minutes_signature_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.name}"
