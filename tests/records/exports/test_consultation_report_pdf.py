"""What the consultation report PDF says: the same figures, proposals and answers as the
report page (consultations.selectors.consultation_report), in a bounded number of queries."""

import re

import pytest

from consultations.models import Consultation
from ogp_portal.core.exports import build_html, get_export
from tests.consultations.test_report import _many

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _build(consultation: Consultation, language: str = "en") -> str:
    spec = get_export("consultation_report")
    fresh = Consultation.objects.get(pk=consultation.pk)  # nothing cached on the instance
    return build_html(spec, fresh, language, lambda _percent, _step: None)


def test_the_pdf_has_the_report_figures_proposals_and_answers(consultation, known_inputs):
    # When the report of the known inputs is built
    text = _text(_build(consultation))

    # Then its summary has the figures the report page shows
    assert "2 of 6 published proposals have a published reasoned response." in text
    assert "Online: 6 proposals, 4 answers to guiding questions and 3 comments." in text
    assert "Civil-society organisation 3 Citizen 2 Academia 1 Private sector 0" in text
    assert "Government 4 Civil society 17 Academia 3 Private sector 0 Parliament 0 Other 1" in text
    # the offline events with their participants by sector, in date order
    assert text.index("2026-02-10 · Town hall") < text.index("2026-02-12 · Town hall")
    # every published proposal with its decision and commitments, drafts left out
    assert "It became commitment XV0101." in text
    assert "XV0101" in text
    assert "Unsent draft" not in text
    # and the answers to the guiding questions
    assert all(f"Answer {i}" in text for i in range(4))


@pytest.mark.parametrize("n", [5, 300])
def test_building_the_report_runs_a_bounded_number_of_queries(
    consultation, django_assert_max_num_queries, n
):
    _many(consultation, n)
    with django_assert_max_num_queries(12):
        html = _build(consultation)
    assert html.count("Proposal ") >= n
