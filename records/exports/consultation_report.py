"""The consultation report as a PDF: input by channel and sector, every published proposal
with its decision and reason, and the answers to the guiding questions. Same visibility as
the report page (the consultation's own visibility)."""

import datetime as dt
import zoneinfo
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import WindowState
from consultations.models import Consultation
from consultations.selectors import consultation_report
from consultations.services.windows import member_tz
from ogp_portal.core.exports import Progress
from ogp_portal.core.languages import text_direction

from . import render_document

KIND = "consultation_report"
MODEL = Consultation
TEMPLATE = "pdf/consultation_report.html"


def can_export(user, consultation: Consultation) -> bool:
    return Consultation.objects.visible_to(user).filter(pk=consultation.pk).exists()


def filename(consultation: Consultation, language: str) -> str:
    return f"consultation-{consultation.pk}-report-{language}.pdf"


def _local(moment: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> str:
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def consultation_report_for_export(consultation: Consultation, language: str) -> dict[str, Any]:
    """The report's content in a fixed number of queries, read through the consultation
    report selector, so the PDF shows what the report page shows."""
    consultation = Consultation.objects.select_related("plan__member").get(pk=consultation.pk)
    tz = member_tz(consultation.plan)
    report = consultation_report(consultation, live=True)
    return {
        "consultation": consultation,
        "plan": consultation.plan,
        "member": consultation.plan.member,
        "state_label": WindowState(consultation.window_state()).label,
        "opens": _local(consultation.opens_at, tz),
        "closes": _local(consultation.closes_at, tz),
        "notice": _local(consultation.notice_published_at, tz),
        "proposals": list(report.proposals),
        # answers_count, comments_count, events (with channel_label and sector_counts),
        # sectors, by_sector and offline_by_sector, as on the report page.
        **report.figures,
        "decided": report.figures["proposals_decided"],
        "questions": list(report.questions),
        "language": language,
        "direction": text_direction(language),
    }


def build(consultation: Consultation, language: str, progress: Progress) -> str:
    progress(10, _("Reading the consultation's input"))
    context = consultation_report_for_export(consultation, language)
    progress(25, _("Writing the document"))
    return render_document(TEMPLATE, context)
