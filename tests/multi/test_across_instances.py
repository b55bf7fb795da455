"""Issue #20 item 6: the portal on several hosts. Two gunicorn instances behind HAProxy
(tests/multi/conftest.py) share one database and one Redis; whatever a person does through
one instance holds on the other: their session, the public pages, the rate limits, their
uploads and their exports."""

import datetime as dt

import pytest
import requests
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commitments.models import ProgressUpdate
from tests.conftest import wait_for
from tests.consultations.test_services import make_consultation, make_proposal
from tests.exports.conftest import pdf_text
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

from .conftest import Visitor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def proposal(member, cso_member):
    return make_proposal(
        cso_member, make_consultation(PlanFactory(member=member, status="co_creation"))
    )


def test_the_balancer_spreads_requests_over_both_instances(instances):
    # Requests that do not ask for an instance (every real visitor's) go round-robin
    answered_by = [
        requests.get(instances.url + "/health/", timeout=30).headers["X-OGP-Instance"]
        for _ in range(4)
    ]
    assert sorted(answered_by) == ["a", "a", "b", "b"]


def test_a_session_made_on_one_instance_is_valid_on_the_other(instances, member, civil_servant):
    workspace = reverse("organisations:member-workspace", args=[member.slug])
    person, stranger = Visitor(instances), Visitor(instances)

    # Given a civil servant who signs in through instance A
    person.sign_in("a", civil_servant)

    # Then instance B shows them their member's workspace, and a stranger the sign-in page
    page = person.get("b", workspace)
    assert page.status_code == 200
    assert member.name in page.text
    assert reverse("account_login") in stranger.get("b", workspace).headers["Location"]

    # And signing out through B signs them out on A as well
    assert person.post("b", reverse("account_logout"), {}).status_code == 302
    assert reverse("account_login") in person.get("a", workspace).headers["Location"]


def test_a_page_cached_by_one_instance_shows_a_write_made_through_the_other(
    instances, proposal, citizen
):
    reader, writer = Visitor(instances), Visitor(instances)
    page = proposal.get_absolute_url()

    # Given the public proposal page stored by instance B and served from there by A
    assert reader.get("b", page).headers["X-Page-Cache"] == "miss"
    served = reader.get("a", page)
    assert served.headers["X-Page-Cache"] == "hit"
    assert "Seen from everywhere" not in served.text

    # When a person comments through instance A
    writer.sign_in("a", citizen)
    posted = writer.post(
        "a",
        reverse("consultations:comment-create"),
        {"proposal": proposal.pk, "body": "Seen from everywhere"},
    )
    assert posted.status_code == 302

    # Then a reader of instance B sees the comment at once
    after = reader.get("b", page)
    assert after.status_code == 200
    assert "Seen from everywhere" in after.text


def test_a_rate_limit_counts_requests_to_every_instance(instances, proposal, citizen):
    # COMMENT_RATE_PER_IP is 3 per hour for these instances (conftest.py)
    person = Visitor(instances)
    person.sign_in("a", citizen)
    url = reverse("consultations:comment-create")

    def comment(on, text):
        return person.post(on, url, {"proposal": proposal.pk, "body": text}).status_code

    # When one address posts four comments, alternating between the instances
    statuses = [comment(on, f"Comment {i}") for i, on in enumerate("abab")]

    # Then the fourth is refused: each instance counted the other's comments
    assert statuses == [302, 302, 302, 429]
    # And the limit is the address's, as the balancer passed it on: another address may post
    person.address = "203.0.113.99"
    assert comment("a", "From another network") == 302
    assert proposal.comments.count() == 4


def test_a_file_uploaded_through_one_instance_downloads_from_the_other(
    instances, member, commitment_lead
):
    plan = PlanFactory(member=member, status="implementation")
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    evidence = b"%PDF-1.7\n% evidence posted through instance A\n"
    lead = Visitor(instances)
    lead.sign_in("a", commitment_lead)

    # When the commitment lead posts progress with an evidence file through instance A
    posted = lead.post(
        "a",
        reverse("commitments:progress-create", args=[commitment.ogp_id]),
        {"milestone": milestone.pk, "milestone_status": "complete", "narrative": "Online."},
        files={"evidence_file": ("report.pdf", evidence, "application/pdf")},
    )
    assert posted.status_code == 302, posted.text[:2000]

    # Then anyone downloads the same file from instance B
    update = ProgressUpdate.objects.get(commitment=commitment)
    download = Visitor(instances).get(
        "b", reverse("commitments:evidence-download", args=[update.pk])
    )
    assert download.status_code == 200
    assert download.content == evidence


def test_an_export_requested_on_one_instance_downloads_from_the_other(
    instances, member, civil_servant
):
    plan = PlanFactory(
        member=member, status="implementation", title="Plan Across Hosts",
        period_start=dt.date(2026, 1, 1), period_end=dt.date(2027, 12, 31),
    )  # fmt: skip
    CommitmentFactory(plan=plan, title="Open the land registry")
    person = Visitor(instances)
    person.sign_in("a", civil_servant)
    content_type = ContentType.objects.get_for_model(plan)

    # When they ask for the plan's PDF on instance A (the worker renders it)
    started = person.post(
        "a", reverse("exports:start", args=["plan", content_type.pk, plan.pk]), {}
    )
    assert started.status_code == 302
    job_page = started.headers["Location"]
    job_id = job_page.rstrip("/").rsplit("/", 1)[-1]

    # Then instance B follows the job to its end and hands out the file
    status_url = reverse("exports:job-status", args=[job_id])
    wait_for(lambda: person.get("b", status_url).json().get("status") == "done", timeout=120)
    download = person.get("b", reverse("exports:job-download", args=[job_id]))
    assert download.status_code == 200
    assert download.content[:4] == b"%PDF"
    text = pdf_text(download.content)
    assert "Plan Across Hosts" in text
    assert "Open the land registry" in text
