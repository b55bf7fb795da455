"""A long run of text without spaces (a pasted URL, a string of 4,400 characters) wraps on
the page in every PDF instead of being drawn as one line that leaves the page."""

import datetime as dt
import io
import string

import pypdf
import pytest

from ogp_portal.core.exports import export_now
from ogp_portal.core.models import JobStatus
from tests.consultations.test_services import make_consultation
from tests.exports.conftest import read_file
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory
from tests.forums.factories import ForumFactory, published_meeting

pytestmark = pytest.mark.django_db

ALPHABET = string.ascii_lowercase + string.digits
RUN = (ALPHABET * 130)[:4400]
# The text area of an A4 page with the stylesheet's margins is 174 mm (493 pt) wide; no
# glyph of the run is narrower than a quarter of an em, so even at 8 pt a line that fits
# holds fewer than 250 characters. A run drawn off the page is one line of 4,400.
MOST_CHARACTERS_THAT_FIT = 250


def drawn_lines(data: bytes) -> list[str]:
    """Every piece of text the PDF draws, one per line of the layout (WeasyPrint draws each
    line box with its own text operation), page after page."""
    lines: list[str] = []

    def visit(text, _cm, _tm, _font, _size):
        if text.strip():
            lines.append(text.strip())

    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=visit)
    return lines


def assert_wraps(data: bytes, *runs: str) -> None:
    lines = drawn_lines(data)
    longest = max(lines, key=len)
    assert len(longest) < MOST_CHARACTERS_THAT_FIT, f"a line of {len(longest)} characters"
    # Nothing is lost in the wrapping: each run reads whole from its lines, in order (page
    # headers and footers between them left out).
    flowing = "".join(line for line in lines if set(line) <= set(ALPHABET))
    for run in runs:
        assert run in flowing


def exported(kind: str, target) -> bytes:
    job = export_now(kind, target, language="en")
    assert job.status == JobStatus.DONE, job.error
    data = read_file(job.result)
    assert data.startswith(b"%PDF")
    return data


def test_a_long_run_in_a_commitment_wraps_in_the_plan_pdf(member):
    # Given a commitment with runs without spaces in its title, a table cell (the lead
    # institution in "At a glance"), a text block and a milestone
    plan = PlanFactory(
        member=member,
        status="implementation",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )
    commitment = CommitmentFactory(
        plan=plan, title=RUN[:250], lead_institution=RUN[:250], problem=RUN
    )
    MilestoneFactory(
        commitment=commitment,
        description=RUN[:1000],
        start_date=dt.date(2026, 2, 1),
        due_date=dt.date(2026, 6, 30),
    )

    # Then every line of the PDF fits on the page, and each run is there in full
    assert_wraps(exported("plan", plan), RUN, RUN[:1000])


def test_a_long_run_wraps_in_the_minutes_pdf(member):
    forum = ForumFactory(member=member)
    meeting = published_meeting(forum, dt.datetime(2026, 3, 4, 10, tzinfo=dt.UTC), agenda=RUN[:500])
    meeting.minutes_text = RUN
    meeting.save(update_fields=["minutes_text"])
    assert_wraps(exported("minutes", meeting), RUN, RUN[:500])


def test_a_long_run_wraps_in_the_consultation_report_pdf(member):
    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan, description=RUN)
    assert_wraps(exported("consultation_report", consultation), RUN)
