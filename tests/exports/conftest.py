"""Export fixtures: a plan with commitments and milestones, and PDF reading helpers."""

import datetime as dt
import io

import pypdf
import pytest

from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_font_names(data: bytes) -> set[str]:
    """The BaseFont of every font the pages use, without the subset prefix and hyphens
    ("ABCDEF+Noto-Sans-Arabic" → "NotoSansArabic")."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            name = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(name.split("+", 1)[-1].replace("-", ""))
    return names


def read_file(generated) -> bytes:
    with generated.file.open("rb") as handle:
        return handle.read()


@pytest.fixture
def make_plan(member):
    """A plan of member A with `n` commitments of two milestones each."""

    def _make(n=2, status="implementation", **fields):
        plan = PlanFactory(
            member=member,
            status=status,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2027, 12, 31),
            **fields,
        )
        for i in range(n):
            commitment = CommitmentFactory(plan=plan, position=i, title=f"Open register {i}")
            MilestoneFactory(
                commitment=commitment,
                position=0,
                description=f"Publish the data {i}",
                start_date=dt.date(2026, 2, 1),
                due_date=dt.date(2026, 6, 30),
            )
            MilestoneFactory(
                commitment=commitment,
                position=1,
                description=f"Report on use {i}",
                start_date=dt.date(2026, 7, 1),
                due_date=dt.date(2027, 3, 31),
            )
        return plan

    return _make


@pytest.fixture
def published_plan(make_plan):
    return make_plan(n=2, status="implementation", title="Open Justice Plan")


@pytest.fixture
def draft_plan(make_plan):
    return make_plan(n=1, status="planning", title="Secret Draft Plan")
