"""The consultation report: the figures (consultations/selectors.py), every proposal with its
decision and every answer, as a page and as a CSV."""

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from consultations import selectors
from consultations.models import Consultation
from consultations.pagination import BoundedPaginator
from consultations.services import windows as services
from ogp_portal.core import page_cache
from ogp_portal.core.spreadsheets import csv_stream

from .windows import link_or_none, visible_consultations, window_facts

# --- the consultation report ----------------------------------------------------------------


REPORT_PROPOSALS_PER_PAGE = 50


def _report_context(consultation: Consultation, page_number) -> dict:
    """The report page: the summary figures (aggregates) and one page of the proposals with
    their decisions; the CSV (and the PDF export) carry the full list."""
    # Oldest first: new proposals join the last page, earlier pages stay where they are.
    report = selectors.consultation_report(consultation)
    paginator = BoundedPaginator(
        report.proposals,
        REPORT_PROPOSALS_PER_PAGE,
        order=("submitted_at", "pk"),
    )
    page = paginator.get_page(page_number)
    for proposal in page.object_list:
        proposal.url = link_or_none(proposal)
        proposal.commitments = [link.commitment for link in proposal.commitment_links.all()]
    return {
        "consultation": consultation,
        "plan": consultation.plan,
        "window": window_facts(consultation),
        "tz": services.member_tz(consultation.plan),
        **report.figures,
        "page_obj": page,
        "proposals": page.object_list,
        "questions": list(report.questions),
    }


def consultation_report(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_object_or_404(visible_consultations(request.user), pk=pk)
    page_cache.valid_until(request, consultation.opens_at, consultation.closes_at)
    return render(
        request,
        "consultations/report.html",
        _report_context(consultation, request.GET.get("page")),
    )


CSV_HEADER = (
    "reference",
    "title",
    "submitter_type",
    "organisation",
    "status",
    "decision",
    "reason",
    "response_date",
    "commitment_ids",
)


def consultation_report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """Every published proposal with its decision, streamed: UTF-8 with a byte-order mark so
    spreadsheet programs read accents right. Codes (not translated labels) for status and
    decision, so files from different languages compare."""
    consultation = get_object_or_404(visible_consultations(request.user), pk=pk)
    tz = services.member_tz(consultation.plan)

    def rows():
        # The commitments of every proposal in one query up front (a few thousand links at
        # most), the proposals themselves in one server-side cursor: a bounded number of
        # queries for any size of consultation.
        commitment_ids = selectors.report_commitment_ids(consultation)
        proposals = selectors.consultation_report(consultation).proposals.prefetch_related(None)
        for p in proposals.iterator(chunk_size=2000):
            response = p.response if p.response and p.response.published_at else None
            yield [
                p.reference,
                p.title,
                p.submitter_type,
                p.organisation.name if p.organisation else "",
                p.status,
                response.decision if response else "",
                response.reason if response else "",
                timezone.localtime(response.published_at, tz).isoformat(timespec="minutes")
                if response
                else "",
                " ".join(commitment_ids.get(p.pk, ())),
            ]

    response = StreamingHttpResponse(
        csv_stream(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="consultation-{consultation.pk}-proposals.csv"'
    )
    return response
