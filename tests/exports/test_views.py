"""Exports from the outside: who may start, follow and download what."""

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from consultations.models import Consultation
from forums.choices import MeetingStatus
from forums.models import ActionItem, Decision, ForumMeeting
from ogp_portal.core import export_kinds, exports
from ogp_portal.core.models import ExportJob, JobStatus
from plans.models import ActionPlan
from tests.forums.factories import ForumFactory

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


def _start_url(kind, obj):
    ct = ContentType.objects.get_for_model(obj)
    return reverse("exports:start", args=[kind, ct.pk, obj.pk])


def _latest_url(kind, obj):
    return reverse("exports:latest", args=[kind, obj.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- the plan --------------------------------------------------------------------------------


def test_anonymous_people_cannot_export_or_download_a_draft_plan(client, draft_plan):
    assert client.post(_start_url("plan", draft_plan)).status_code == 404
    assert client.get(_latest_url("plan", draft_plan)).status_code == 404
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["citizen", "other_member_civil_servant", "cso_member"])
def test_outsiders_cannot_export_a_draft_plan(client, draft_plan, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.post(_start_url("plan", draft_plan)).status_code == 404
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["civil_servant", "msf_member", "secretariat"])
def test_insiders_and_the_secretariat_export_a_draft_plan(client, draft_plan, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = client.post(_start_url("plan", draft_plan))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.requested_by == user
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'role="status"' in page.content.decode()


def test_a_citizen_cannot_follow_someone_elses_job(client, draft_plan, civil_servant, citizen):
    job = exports.request_export("plan", draft_plan, civil_servant, "en")
    exports.run_export(job)
    client.force_login(citizen)
    for name in ("exports:job-detail", "exports:job-status", "exports:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("exports:job-retry", args=[job.pk])).status_code == 404


JOB_PAGES = ("exports:job-detail", "exports:job-status", "exports:job-download")


def test_a_job_made_from_a_draft_stays_private_after_publication(
    client, draft_plan, secretariat, citizen
):
    # Given the secretariat exported the plan while it was a draft
    draft_job = exports.run_export(exports.request_export("plan", draft_plan, secretariat, "en"))
    assert draft_job.status == JobStatus.DONE, draft_job.error
    assert draft_job.is_public is False

    # When the plan is published
    ActionPlan.objects.filter(pk=draft_plan.pk).update(status="implementation")

    # Then neither anonymous people nor a citizen get the draft's job page or its file
    for name in JOB_PAGES:
        assert client.get(reverse(name, args=[draft_job.pk])).status_code == 404
    client.force_login(citizen)
    for name in JOB_PAGES:
        assert client.get(reverse(name, args=[draft_job.pk])).status_code == 404
    assert client.post(reverse("exports:job-retry", args=[draft_job.pk])).status_code == 404
    client.logout()

    # … while a job asked for after publication is public
    assert client.post(_start_url("plan", draft_plan)).status_code == 302
    public_job = exports.run_export(ExportJob.objects.exclude(pk=draft_job.pk).get())
    assert public_job.is_public is True
    for name in JOB_PAGES:
        assert client.get(reverse(name, args=[public_job.pk])).status_code == 200
    # … and the secretariat still follows its own job
    client.force_login(secretariat)
    assert client.get(reverse("exports:job-download", args=[draft_job.pk])).status_code == 200


def test_a_public_job_is_hidden_again_when_the_plan_goes_back_to_draft(client, published_plan):
    job = exports.run_export(exports.request_export("plan", published_plan, None, "en"))
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 200

    ActionPlan.objects.filter(pk=published_plan.pk).update(status="planning")

    for name in JOB_PAGES:
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_failed_job_announces_its_error_and_the_bar_has_a_name(client, civil_servant, draft_plan):
    job = exports.request_export("plan", draft_plan, civil_servant, "en")
    ExportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error="The document could not be made: it is gone."
    )
    client.force_login(civil_servant)

    page = client.get(reverse("exports:job-detail", args=[job.pk])).content.decode()

    # The live region (what screen readers announce) carries the reason, not only "Failed"
    status = re.search(r'<p id="job-status" role="status" aria-live="polite">(.*?)</p>', page)
    assert status, page
    assert status.group(1) == "Failed: The document could not be made: it is gone."
    # The progress bar is named by its visible label
    progress = re.search(r"<progress [^>]*>", page).group(0)
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', progress).group(1)
    label = re.search(rf'<label [^>]*id="{labelled_by}"[^>]*>(.*?)</label>', page)
    assert label.group(1) == "Progress of the export"


# --- the latest file -------------------------------------------------------------------------


@pytest.fixture
def counted_kind():
    """A document kind that counts how often its HTML is built; `state["text"]` is its
    content (edit it to edit the document)."""
    state: dict[str, Any] = {"builds": 0, "text": "First version"}

    def build(plan, language, progress):
        state["builds"] += 1
        return f"<!DOCTYPE html><html lang='en'><title>Counted</title><p>{state['text']}</p></html>"

    exports.register_export(
        "counted",
        model=ActionPlan,
        build=build,
        can_export=lambda user, plan: True,
        filename=lambda plan, language: f"counted-{plan.pk}.pdf",
    )
    yield state
    export_kinds._REGISTRY.pop("counted", None)


def test_the_latest_file_is_found_without_rebuilding_the_document_on_every_request(
    client, published_plan, counted_kind
):
    first = exports.export_now("counted", published_plan, language="en")
    url = _latest_url("counted", published_plan) + "?language=en"
    assert counted_kind["builds"] == 1

    # Many people download it: the document's HTML is built for the first request only
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
        assert "First version" in pdf_text(_body(response))
    assert counted_kind["builds"] == 2

    # An edit: the file of the old content is served for at most CURRENT_HASH_TTL seconds
    counted_kind["text"] = "Second version"
    assert "First version" in pdf_text(_body(client.get(url)))
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=exports.CURRENT_HASH_TTL + 1), tick=False
    ):
        page = client.get(url)
    assert page.status_code == 200
    assert "Make the PDF" in page.content.decode()
    assert counted_kind["builds"] == 3

    # Once a job made the new file, it is served at once (the job dropped the cached hash)
    counted_kind["text"] = "Third version"
    assert "Second version" not in page.content.decode()
    second = exports.export_now("counted", published_plan, language="en")
    assert second.result_id != first.result_id
    assert "Third version" in pdf_text(_body(client.get(url)))


def test_anyone_downloads_a_published_plan(client, published_plan):
    # Nothing stored yet: the link offers to make it (a GET never starts a render)
    page = client.get(_latest_url("plan", published_plan))
    assert page.status_code == 200
    assert "Make the PDF" in page.content.decode()
    assert not ExportJob.objects.exists()

    # Anonymous people may start the job for a public plan, and follow it
    response = client.post(_start_url("plan", published_plan))
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job.requested_by is None
    exports.run_export(job)
    assert client.get(reverse("exports:job-detail", args=[job.pk])).status_code == 200

    download = client.get(_latest_url("plan", published_plan))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="XV-action-plan-' in download["Content-Disposition"]
    data = _body(download)
    assert data.startswith(b"%PDF")
    assert "Open Justice Plan" in pdf_text(data)


def test_the_stored_file_is_not_served_once_the_plan_changed(client, published_plan):
    exports.export_now("plan", published_plan)
    ActionPlan.objects.filter(pk=published_plan.pk).update(vision="A new vision.")
    page = client.get(_latest_url("plan", published_plan))
    assert page.status_code == 200
    assert "Make the PDF" in page.content.decode()


def test_one_click_from_the_plan_page_to_its_latest_pdf(client, published_plan, citizen):
    """Before any PDF exists the plan page's "Download PDF" starts the job at once (no page
    in between); once a file of the current content exists, it links straight to it.
    (Signed in: an anonymous reader's cached page keeps the button until the cache renews
    it; the job it starts then reuses the stored file.)"""
    client.force_login(citizen)
    page = client.get(published_plan.get_absolute_url()).content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="export-controls">', page)
    assert form
    assert form.group(1) == _start_url("plan", published_plan)
    assert re.search(r'<button type="submit"[^>]*>Download PDF</button>', page)
    response = client.post(form.group(1), {"language": "en"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("exports:job-detail", args=[job.pk])
    exports.run_export(job)

    page = client.get(published_plan.get_absolute_url()).content.decode()
    link = re.search(r'<a href="([^"]+)">Download PDF</a>', page)
    assert link, "the page links the stored file"
    assert "Make the PDF" not in page
    download = client.get(link.group(1).replace("&amp;", "&"))
    assert download.status_code == 200
    assert _body(download).startswith(b"%PDF")


def test_plan_page_offers_the_pdf_to_those_who_may_export_it(client, make_plan, civil_servant):
    published = make_plan(n=1, status="implementation")
    drafting = make_plan(n=1, status="drafting")  # public page, commitments still drafts
    assert "Download PDF" in client.get(published.get_absolute_url()).content.decode()
    assert "Download PDF" not in client.get(drafting.get_absolute_url()).content.decode()
    client.force_login(civil_servant)
    page = client.get(drafting.get_absolute_url()).content.decode()
    assert "Download PDF" in page
    assert _start_url("plan", drafting) in page


def test_anonymous_job_creation_is_rate_limited(client, published_plan, settings):
    settings.EXPORTS_ANONYMOUS_RATE = "2/h"
    ExportJob.objects.all().delete()
    for _ in range(2):
        assert client.post(_start_url("plan", published_plan)).status_code == 302
    response = client.post(_start_url("plan", published_plan))
    assert response.status_code == 429
    assert "Too many exports" in response.content.decode()


def test_wrong_kind_or_content_type_is_not_found(client, published_plan):
    ct = ContentType.objects.get_for_model(Consultation)
    assert (
        client.post(reverse("exports:start", args=["plan", ct.pk, published_plan.pk])).status_code
        == 404
    )
    assert client.post(_start_url("nonsense", published_plan)).status_code == 404
    assert client.get(_start_url("plan", published_plan)).status_code == 405


def test_download_before_the_job_is_done_is_not_found(client, published_plan):
    job = exports.request_export("plan", published_plan, None, "en")
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 404
    state = client.get(reverse("exports:job-status", args=[job.pk])).json()
    assert state == {
        "status": JobStatus.QUEUED,
        "status_label": "Waiting to start",
        "status_text": "Waiting to start",
        "heading": "Preparing your document",
        "progress": 0,
        "step": "",
        "error": "",
        "reused": False,
        "is_stuck": False,
        "download_url": "",
    }


# --- the consultation report -----------------------------------------------------------------


@pytest.fixture
def consultation(published_plan):
    return Consultation.objects.create(
        plan=published_plan,
        title="Ideas for the plan",
        kind="idea_collection",
        description="What should the plan do?",
        notice_published_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        opens_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )


def test_the_consultation_report_follows_the_report_page(client, consultation, civil_servant):
    assert client.post(_start_url("consultation_report", consultation)).status_code == 302
    job = exports.run_export(ExportJob.objects.get())
    assert job.status == JobStatus.DONE, job.error
    data = _body(client.get(reverse("exports:job-download", args=[job.pk])))
    assert "Consultation report: Ideas for the plan" in " ".join(pdf_text(data).split())

    # Not announced yet: only the member's staff see (and export) it
    Consultation.objects.filter(pk=consultation.pk).update(notice_published_at=None)
    assert client.post(_start_url("consultation_report", consultation)).status_code == 404
    client.force_login(civil_servant)
    assert client.post(_start_url("consultation_report", consultation)).status_code == 302


# --- minutes ---------------------------------------------------------------------------------


@pytest.fixture
def meeting(member):
    forum = ForumFactory(member=member)
    meeting = ForumMeeting.objects.create(
        forum=forum,
        title="Spring review",
        starts_at=timezone.now() - dt.timedelta(days=3),
        location="City hall",
        agenda="1. Progress of the plan",
        status=MeetingStatus.HELD,
    )
    Decision.objects.create(meeting=meeting, text="Publish the court data by June.")
    ActionItem.objects.create(
        meeting=meeting, description="Draft the data licence", owner="Ministry of Justice",
        due_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    return meeting


def test_draft_minutes_are_for_the_forum_and_published_minutes_for_everyone(
    client, meeting, civil_servant, citizen
):
    assert client.post(_start_url("minutes", meeting)).status_code == 404
    client.force_login(citizen)
    assert client.post(_start_url("minutes", meeting)).status_code == 404
    client.force_login(civil_servant)
    assert client.post(_start_url("minutes", meeting)).status_code == 302
    assert "Download PDF" in client.get(meeting.get_absolute_url()).content.decode()

    ForumMeeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.MINUTES_PUBLISHED,
        minutes_text="We agreed to publish.",
        minutes_published_at=timezone.now(),
    )
    client.logout()
    assert client.post(_start_url("minutes", meeting)).status_code == 302
    # The civil servant's job was asked for while the minutes were drafts: it is not shared,
    # the anonymous request makes a public job of its own
    job = exports.run_export(ExportJob.objects.get(requested_by=None))
    assert job.is_public
    assert ExportJob.objects.count() == 2
    text = " ".join(
        pdf_text(_body(client.get(reverse("exports:job-download", args=[job.pk])))).split()
    )
    for words in (
        "Spring review",
        "Publish the court data by June.",
        "Draft the data licence",
        "2026-06-01",
        "We agreed to publish.",
    ):
        assert words in text


# --- the job page follows the job's state ----------------------------------------------------


def _heading_and_title(page: str) -> tuple[str, str]:
    heading = re.search(r'<h1 id="job-heading">(.*?)</h1>', page).group(1)
    title = re.search(r"<title>(.*?) · ", page).group(1)
    return heading, title


@pytest.mark.parametrize(
    ("status", "heading"),
    [
        (JobStatus.QUEUED, "Preparing your document"),
        (JobStatus.RUNNING, "Preparing your document"),
        (JobStatus.DONE, "Your document is ready"),
        (JobStatus.FAILED, "The export failed"),
    ],
)
def test_the_job_page_heading_and_title_say_where_the_job_is(
    client, civil_servant, draft_plan, status, heading
):
    job = exports.request_export("plan", draft_plan, civil_servant, "en")
    ExportJob.objects.filter(pk=job.pk).update(status=status)
    client.force_login(civil_servant)

    page = client.get(reverse("exports:job-detail", args=[job.pk])).content.decode()
    state = client.get(reverse("exports:job-status", args=[job.pk])).json()

    assert _heading_and_title(page) == (heading, heading)
    # What the page's script puts in the heading (and the title) when the state changes
    assert state["heading"] == heading


def test_the_status_line_is_formatted_in_the_visitors_language(client, civil_servant, draft_plan):
    job = exports.request_export("plan", draft_plan, civil_servant, "en")
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, step="Pages")
    client.force_login(civil_servant)
    status = r'<p id="job-status" role="status" aria-live="polite">(.*?)</p>'

    english = client.get(reverse("exports:job-detail", args=[job.pk])).content.decode()
    french = client.get(
        reverse("exports:job-detail", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    polled = client.get(
        reverse("exports:job-status", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).json()

    assert re.search(status, english).group(1) == "Running: Pages"
    # French: a non-breaking space before the colon
    assert re.search(status, french).group(1) == "En cours\u00a0: Pages"
    assert polled["status_text"] == "En cours\u00a0: Pages"
    assert polled["heading"] == "Préparation de votre document"
