"""Who is speaking (issue #18, "who is missing"): a member's regions, and a person's optional
profile. Region, kind and size of organisation are ordinary profile fields; gender and age
band are kept only with explicit consent (a separate checkbox, recorded with its time),
revocable: withdrawing consent or deleting the account erases them. The portal shows them
only as aggregates with small counts suppressed (records/dashboard/)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AgeBand, Gender


class Region(models.Model):
    """A region of a member, for "regions with no input" and the capital's share."""

    member = models.ForeignKey(
        "organisations.Member",
        on_delete=models.CASCADE,
        related_name="regions",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=120)
    is_capital = models.BooleanField(_("capital region"), default=False)

    class Meta:
        ordering = ["member", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="region_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonProfile(models.Model):
    """A person's optional profile. `gender` and `age_band` are blank unless `consent_at`."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person_profile",
        verbose_name=_("user"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
        verbose_name=_("region"),
    )
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    age_band = models.CharField(_("age band"), max_length=10, choices=AgeBand.choices, blank=True)
    consent_at = models.DateTimeField(
        _("consent to use gender and age band given at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("person profile")
        verbose_name_plural = _("person profiles")

    def __str__(self) -> str:
        return str(self.user)

    def withdraw_consent(self) -> None:
        """Forget gender and age band (the caller saves)."""
        self.gender = ""
        self.age_band = ""
        self.consent_at = None
