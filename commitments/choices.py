from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CommitmentStatus(models.TextChoices):
    """Implementation status (ogp-domain.md §2.2), derived from milestones where it can be."""

    NOT_STARTED = "not_started", pgettext_lazy("implementation", "Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class MilestoneStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("implementation", "Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


# The four OGP values: (field prefix, label).
OGP_VALUES = (
    ("access_to_information", _("Access to information")),
    ("civic_participation", _("Civic participation")),
    ("public_accountability", _("Public accountability")),
    ("technology_innovation", _("Technology and innovation for transparency and accountability")),
)


class CompletionLevel(models.TextChoices):
    """How far a commitment got by the plan's end (the IRM's completion scale, ogp-domain.md
    §1.10), as the government assesses it at closure."""

    NOT_STARTED = "not_started", pgettext_lazy("completion", "Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", pgettext_lazy("completion", "Complete")
