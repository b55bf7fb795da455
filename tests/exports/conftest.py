"""Export fixtures: a plan with commitments and milestones, and PDF reading helpers."""

import datetime as dt
import io

import pypdf
import pytest

from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory, PolicyAreaFactory


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
    """A plan of member A with `n` commitments of two milestones each; with `areas=True`
    each commitment is in a policy area of its own."""

    def _make(n=2, status="implementation", areas=False, **fields):
        plan = PlanFactory(
            member=member,
            status=status,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2027, 12, 31),
            **fields,
        )
        for i in range(n):
            area = PolicyAreaFactory(plan=plan, position=i, name=f"Area {i}") if areas else None
            commitment = CommitmentFactory(
                plan=plan, position=i, title=f"Open register {i}", policy_area=area
            )
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


@pytest.fixture
def export_runs():
    """Waits for run_export_task to finish in the worker, without reading the database
    meanwhile. (Polling the job row while the worker writes it makes the in-memory SQLite
    test database answer "table is locked" to one of them now and then.)"""
    import threading

    from celery.signals import task_postrun

    finished = []
    changed = threading.Condition()

    def on_postrun(sender=None, **_kwargs):
        if getattr(sender, "name", "").endswith("run_export_task"):
            with changed:
                finished.append(sender.name)
                changed.notify_all()

    task_postrun.connect(on_postrun, weak=False)

    def wait(count=1, timeout=60.0):
        with changed:
            if not changed.wait_for(lambda: len(finished) >= count, timeout=timeout):
                raise AssertionError("timed out waiting for the export job")

    yield wait
    task_postrun.disconnect(on_postrun)
