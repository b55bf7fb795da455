"""Members (governments), organisations, who belongs to them, and the roles people hold."""

import zoneinfo
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import (
    MembershipStatus,
    MemberStatus,
    MemberType,
    OrganisationKind,
    OrganisationSize,
    Role,
)
from .profiles import PersonProfile, Region  # noqa: F401 -- models of this app

iso_code_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two-letter ISO 3166 code in capitals, for example FR or XK.")
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class Member(models.Model):
    """A national or local government taking part in OGP."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    member_type = models.CharField(
        _("type"), max_length=20, choices=MemberType.choices, default=MemberType.NATIONAL
    )
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=2,
        validators=[iso_code_validator],
        help_text=_("Commitment IDs start with it, for example XK0018."),
    )
    languages = models.JSONField(
        _("administrative languages"),
        default=list,
        blank=True,
        help_text=_('Language codes, primary first, for example ["fr", "en"].'),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    status = models.CharField(
        _("status"), max_length=30, choices=MemberStatus.choices, default=MemberStatus.ACTIVE
    )
    website_url = models.URLField(_("OGP website"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["member_type", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:member-detail", args=[self.slug])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The time zone the member's people read and type times in; deadlines fall on its
        calendar."""
        return zoneinfo.ZoneInfo(self.time_zone)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def verified(self) -> "OrganisationQuerySet":
        return self.filter(verified_at__isnull=False)

    def may_take_part_for(
        self, member_id: int | None, *, kinds: Collection[str]
    ) -> "OrganisationQuerySet":
        """Organisations that may be spoken for in a process of `member_id` (see
        rules.organisation_refusal, the same rule for one object)."""
        if member_id is None:
            return self.none()
        return self.verified().filter(member_id=member_id, kind__in=list(kinds))


class Organisation(models.Model):
    """A government agency, CSO, university, company, parliament or multilateral body."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("member"),
        help_text=_("Leave empty for an international organisation."),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
        verbose_name=_("region"),
    )
    size = models.CharField(_("size"), max_length=10, choices=OrganisationSize.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    website_url = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # The secretariat's refusal of a pending organisation, and why (the admin is told).
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True, db_default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "name"], name="organisation_unique_name_per_member"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:organisation-detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class OrganisationMembership(models.Model):
    """A person belongs to an organisation once its admin (or the secretariat) approves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    is_admin = models.BooleanField(
        _("organisation admin"), default=False, help_text=_("Approves colleagues who ask to join.")
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PENDING,
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # Why a request was declined; the person is told.
    decision_reason = models.TextField(_("reason for the decision"), blank=True, db_default="")

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class RoleGrant(models.Model):
    """A role a person holds for one member, or the portal-wide secretariat role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("user"),
    )
    member = models.ForeignKey(
        Member,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_grants",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        ordering = ["member__name", "role", "user__email"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [
            # The secretariat is portal-wide; every other role belongs to one member.
            models.CheckConstraint(
                condition=(Q(role=Role.SECRETARIAT) & Q(member__isnull=True))
                | (~Q(role=Role.SECRETARIAT) & Q(member__isnull=False)),
                name="rolegrant_secretariat_is_portal_wide",
            ),
            models.UniqueConstraint(
                fields=["user", "member", "role"],
                condition=Q(member__isnull=False),
                name="rolegrant_unique_per_member",
                violation_error_message=_("This person already holds this role."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(member__isnull=True),
                name="rolegrant_unique_portal_wide",
                violation_error_message=_("This person already holds this role."),
            ),
        ]

    def __str__(self) -> str:
        where = self.member or _("portal-wide")
        return f"{self.user}: {self.get_role_display()} ({where})"
