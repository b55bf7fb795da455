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
