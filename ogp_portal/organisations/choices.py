from django.db import models
from django.utils.translation import gettext_lazy as _


class MemberType(models.TextChoices):
    NATIONAL = "national", _("National government")
    LOCAL = "local", _("Local government")


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    UNDER_PROCEDURAL_REVIEW = "under_procedural_review", _("Under procedural review")
    INACTIVE = "inactive", _("Inactive")
    SUSPENDED = "suspended", _("Suspended")


class OrganisationKind(models.TextChoices):
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    CSO = "cso", _("Civil-society organisation")
    ACADEMIA = "academia", _("Academia")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    PARLIAMENT = "parliament", _("Parliament")
    MULTILATERAL = "multilateral", _("Multilateral organisation")


# Kinds of organisation that may speak in a member's consultations and forum: civil society
# and the other non-government stakeholders. A government agency, parliament or multilateral
# body does not submit proposals "on behalf of" itself in a member's co-creation.
ACTING_KINDS: frozenset[str] = frozenset(
    {OrganisationKind.CSO, OrganisationKind.ACADEMIA, OrganisationKind.PRIVATE_SECTOR}
)


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")


class Role(models.TextChoices):
    """Roles granted per member; the secretariat is the one portal-wide role."""

    CIVIL_SERVANT = "civil_servant", _("Civil servant")
    COMMITMENT_LEAD = "commitment_lead", _("Commitment lead")
    FORUM_MEMBER = "forum_member", _("Forum member")
    MODERATOR = "moderator", _("Moderator")
    SECRETARIAT = "secretariat", _("Secretariat")


class OrganisationSize(models.TextChoices):
    """Staff and regular volunteers (issue #18: who is missing)."""

    MICRO = "micro", _("Fewer than 10 people")
    SMALL = "small", _("10 to 49 people")
    MEDIUM = "medium", _("50 to 249 people")
    LARGE = "large", _("250 people or more")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    OTHER = "other", _("In another way")
    UNSAID = "unsaid", _("Prefer not to say")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("Under 25")
    FROM_25 = "25_39", _("25 to 39")
    FROM_40 = "40_59", _("40 to 59")
    FROM_60 = "60_plus", _("60 or over")
    UNSAID = "unsaid", _("Prefer not to say")
