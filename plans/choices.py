from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """The OGP action-plan cycle (ogp-domain.md §2.1)."""

    PLANNING = "planning", _("Planning")
    NOTICE = "notice", _("Notice period")
    CO_CREATION = "co_creation", _("Co-creation")
    DRAFTING = "drafting", _("Drafting")
    DRAFT_PUBLIC_COMMENT = "draft_public_comment", _("Draft open for public comment")
    REASONED_RESPONSE = "reasoned_response", _("Reasoned response")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTATION = "implementation", _("Implementation")
    ENDED = "ended", _("Ended")
    ARCHIVED = "archived", _("Archived")


# States in which a plan is still an internal draft: only the member's civil servants,
# forum members and the secretariat see it.
DRAFT_STATUSES = (PlanStatus.PLANNING, PlanStatus.DRAFTING)


class StandardsVersion(models.TextChoices):
    V2017 = "2017", _("2017 Participation and Co-Creation Standards")
    V2021 = "2021", _("2021 Participation and Co-Creation Standards")
