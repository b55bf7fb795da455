from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """ogp-domain.md §1.9."""

    CONSULTATION_DOCUMENT = "consultation_document", _("Consultation document")
    CO_CREATION_TIMELINE = "co_creation_timeline", _("Co-creation timeline")
    ACTION_PLAN = "action_plan", _("Action plan")
    COMMITMENT_EVIDENCE = "commitment_evidence", _("Progress evidence")
    MEETING_MINUTES = "meeting_minutes", _("Meeting minutes")
    REASONED_RESPONSE = "reasoned_response", _("Reasoned response")
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    IRM_REPORT = "irm_report", _("IRM report")
    FORUM_RULES = "forum_rules", _("Forum rules")
    OUTREACH = "outreach", _("Outreach activity")
    OTHER = "other", _("Other")
