"""The consultation report as a PDF: input by channel and sector, every published proposal
with its decision and reason, and the answers to the guiding questions. Same visibility as
the report page (the consultation's own visibility)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import Channel, ModerationState, SubmitterType, WindowState
from consultations.models import (
    Answer,
    Comment,
    Consultation,
    GuidingQuestion,
    Proposal,
    ProposalCommitmentLink,
)
from consultations.services.offline import SECTORS
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


def _local(moment, tz) -> str:
    return timezone.localtime(moment, tz).strftime("%Y-%m-%d %H:%M %Z") if moment else ""


def consultation_report_for_export(consultation: Consultation, language: str) -> dict:
    """The report's content in a fixed number of queries (selector)."""
    consultation = Consultation.objects.select_related("plan__member").get(pk=consultation.pk)
    tz = member_tz(consultation.plan)
    links = ProposalCommitmentLink.objects.select_related("commitment").order_by(
        "commitment__ogp_id"
    )
    proposals = list(
        Proposal.objects.published()
        .filter(consultation=consultation)
        .select_related("response", "organisation")
        .prefetch_related(Prefetch("commitment_links", queryset=links))
        .order_by("pk")
    )
    answers_count = Answer.objects.filter(question__consultation=consultation).count()
    comments_count = Comment.objects.filter(
        consultation=consultation,
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
    ).count()
    events = list(consultation.offline_events.order_by("held_on", "pk"))
    sector_codes = [code for code, _label in SECTORS]
    channel_labels = dict(Channel.choices)
    for event in events:
        event.channel_label = channel_labels.get(event.channel, event.channel)
        event.sector_counts = [
            int(event.participants_by_sector.get(code) or 0) for code in sector_codes
        ]
    submitted_as = dict.fromkeys(SubmitterType.values, 0)
    for proposal in proposals:
        submitted_as[proposal.submitter_type] = submitted_as.get(proposal.submitter_type, 0) + 1
    questions = list(
        GuidingQuestion.objects.filter(consultation=consultation)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("response", "organisation").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("position", "pk")
    )
    return {
        "consultation": consultation,
        "plan": consultation.plan,
        "member": consultation.plan.member,
        "state_label": WindowState(consultation.window_state()).label,
        "opens": _local(consultation.opens_at, tz),
        "closes": _local(consultation.closes_at, tz),
        "notice": _local(consultation.notice_published_at, tz),
        "proposals": proposals,
        "decided": sum(1 for p in proposals if p.response_id and p.response.published_at),
        "answers_count": answers_count,
        "comments_count": comments_count,
        "events": events,
        "sectors": [label for _code, label in SECTORS],
        "by_sector": [(label, submitted_as[code]) for code, label in SubmitterType.choices],
        "offline_by_sector": [
            (label, sum(e.sector_counts[i] for e in events))
            for i, (_code, label) in enumerate(SECTORS)
        ],
        "questions": questions,
        "language": language,
        "direction": text_direction(language),
    }


def build(consultation: Consultation, language: str, progress: Progress) -> str:
    progress(10, _("Reading the consultation's input"))
    context = consultation_report_for_export(consultation, language)
    progress(25, _("Writing the document"))
    return render_document(TEMPLATE, context)
