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


class InfluenceLevel(models.TextChoices):
    """The IAP2 spectrum of public participation, as the IRM uses it (ogp-domain.md §1.10),
    lowest first: the order is what "at least" compares."""

    INFORM = "inform", _("Inform")
    CONSULT = "consult", _("Consult")
    INVOLVE = "involve", _("Involve")
    COLLABORATE = "collaborate", _("Collaborate")
    EMPOWER = "empower", _("Empower")


class InfluencePhase(models.TextChoices):
    CO_CREATION = "co_creation", _("Co-creation")
    IMPLEMENTATION = "implementation", _("Implementation")


# A plan in planning is an internal draft: only the member's civil servants, forum members
# and the secretariat see it. Once its notice is published the plan page stays public for
# good (a public record does not disappear); what is drafted later (commitments during
# drafting) stays internal until the draft plan goes out for comment.
DRAFT_STATUSES = (PlanStatus.PLANNING,)

# From the draft plan's public comment on, its commitments are public; before that they are
# working drafts even when the plan page itself (timeline, themes) is public.
PUBLIC_CONTENT_STATUSES = (
    PlanStatus.DRAFT_PUBLIC_COMMENT,
    PlanStatus.REASONED_RESPONSE,
    PlanStatus.ADOPTED,
    PlanStatus.IMPLEMENTATION,
    PlanStatus.ENDED,
    PlanStatus.ARCHIVED,
)


class StandardsVersion(models.TextChoices):
    V2017 = "2017", _("2017 Participation and Co-Creation Standards")
    V2021 = "2021", _("2021 Participation and Co-Creation Standards")
