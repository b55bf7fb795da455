"""The secretariat exports a draft plan as PDF in the browser: the job page follows a real
worker's progress without reloading, then the PDF downloads."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_secretariat_exports_a_plan_and_downloads_the_pdf(
    page, live_server, celery_worker_thread, member, secretariat
):
    plan = PlanFactory(member=member, status="drafting", title="Draft Plan for Export")
    for i in range(3):
        commitment = CommitmentFactory(plan=plan, position=i, title=f"Open register {i}")
        MilestoneFactory(commitment=commitment, description=f"Publish the data {i}")
    sign_in(page, live_server, secretariat)

    page.goto(plan.get_absolute_url())
    page.get_by_role("button", name="Download PDF").click()

    expect(page).to_have_url(re.compile(r"/exports/jobs/[0-9a-f-]+/$"))
    progress = page.get_by_label("Progress of the export")
    # The page updates itself (no reload) until the worker is done
    expect(progress).to_have_attribute("value", "100", timeout=60_000)
    expect(page.get_by_role("status")).to_have_text("The document is ready.")
    download_link = page.get_by_role("link", name="Download the PDF")
    expect(download_link).to_be_visible()
    assert_no_serious_axe_violations(page)

    with page.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
