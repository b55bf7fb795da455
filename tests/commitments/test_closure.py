"""Closing a plan from the outside: the completion level replaces "In progress" on an ended
plan's commitments; only the lead or the member's civil servants set it; staff import the
IRM's published assessments from a strictly read CSV and the commitment page shows them; an
unfinished commitment is carried into the successor plan with a link both ways."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Commitment
from ogp_portal.core.models import AuditEvent
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_plan(member):
    return PlanFactory(
        member=member,
        status="ended",
        title="Ended Plan",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2023, 12, 31),
    )


@pytest.fixture
def commitment(ended_plan):
    commitment = CommitmentFactory(
        plan=ended_plan,
        status="in_progress",
        title="Open court records",
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2023, 12, 31),
    )
    MilestoneFactory(
        commitment=commitment,
        description="Publish the first records",
        status="complete",
        start_date=dt.date(2022, 2, 1),
        due_date=dt.date(2022, 6, 30),
    )
    MilestoneFactory(
        commitment=commitment,
        description="Publish every record",
        status="in_progress",
        start_date=dt.date(2022, 7, 1),
        due_date=dt.date(2023, 6, 30),
    )
    return commitment


def _page(client, commitment) -> str:
    response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_ended_plans_commitment_no_longer_reads_in_progress(client, commitment, ended_plan):
    page = _page(client, commitment)
    assert "In progress</strong>" not in page
    assert "completion not assessed yet" in page
    plan_page = client.get(ended_plan.get_absolute_url()).content.decode()
    assert "completion not assessed yet" in plan_page


def test_the_lead_records_the_completion_level_which_everyone_then_sees(
    client, commitment, civil_servant
):
    client.force_login(civil_servant)
    url = reverse("commitments:commitment-completion", args=[commitment.ogp_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "level": "substantial",
            "note": "Most court records are online.",
            "evidence_url": "https://courts.example.org/records",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="commitments.commitment.completion_assessed")
    assert event.actor == civil_servant
    assert event.data["to_state"] == "substantial"

    client.logout()
    page = _page(client, commitment)
    assert "Completion: Substantial" in page
    assert "Most court records are online." in page
    assert "https://courts.example.org/records" in page


def test_a_completion_without_a_note_is_refused_with_what_was_typed(
    client, commitment, civil_servant
):
    client.force_login(civil_servant)
    url = reverse("commitments:commitment-completion", args=[commitment.ogp_id])
    response = client.post(url, {"level": "limited", "note": ""})
    assert response.status_code in (200, 400, 409, 422)
    commitment.refresh_from_db()
    assert commitment.completion_level == ""


def test_completion_is_refused_before_the_plans_end(client, member, civil_servant):
    commitment = CommitmentFactory(plan=PlanFactory(member=member, status="drafting"))
    client.force_login(civil_servant)
    url = reverse("commitments:commitment-completion", args=[commitment.ogp_id])
    response = client.post(url, {"level": "complete", "note": "Done."})
    assert response.status_code != 302
    commitment.refresh_from_db()
    assert commitment.completion_level == ""


@pytest.mark.parametrize("who", ["citizen", "cso_member", "other_member_civil_servant"])
def test_outsiders_cannot_set_completion(client, commitment, request, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("commitments:commitment-completion", args=[commitment.ogp_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"level": "complete", "note": "Done."}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.completion_level == ""


def test_anonymous_visitors_are_sent_to_sign_in(client, commitment):
    url = reverse("commitments:commitment-completion", args=[commitment.ogp_id])
    response = client.post(url, {"level": "complete", "note": "Done."})
    assert response.status_code == 302
    assert "login" in response["Location"]


# --- the IRM's assessments ------------------------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("irm.csv", text.encode(), content_type="text/csv")


def test_staff_import_the_irms_assessments_shown_on_the_commitment(
    client, commitment, ended_plan, civil_servant
):
    client.force_login(civil_servant)
    url = reverse("commitments:irm-import", args=[ended_plan.pk])
    data = (
        "ogp_id,potential_for_results,completion,early_results,report_url\n"
        f"{commitment.ogp_id},substantial,limited,moderate,https://irm.example.org/report\n"
    )
    response = client.post(url, {"file": _csv(data)})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.irm_assessment["irm_completion"] == "limited"
    assert AuditEvent.objects.filter(
        action="commitments.commitment.irm_assessment_imported"
    ).exists()

    client.logout()
    page = _page(client, commitment)
    assert "The IRM’s published assessment" in page
    assert "Potential for results" in page
    assert "Substantial" in page
    assert "https://irm.example.org/report" in page

    # Importing the same file again changes nothing
    client.force_login(civil_servant)
    client.post(url, {"file": _csv(data)})
    assert (
        AuditEvent.objects.filter(action="commitments.commitment.irm_assessment_imported").count()
        == 1
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("ogp_id,completion\n{id},mostly\n", "is not one of"),
        ("ogp_id,completion,stars\n{id},limited,5\n", "unknown columns"),
        ("completion\nlimited\n", "no ogp_id column"),
        ("ogp_id,completion\nXV9999,limited\n", "is not a commitment of this plan"),
        ('ogp_id,completion\n{id},"limited\n', "Line"),
        ("ogp_id,completion\n{id},limited,extra\n", "cells"),
        ("ogp_id,completion\n{id},limited\n{id},complete\n", "appears twice"),
    ],
)
def test_a_faulty_irm_file_is_refused_whole(
    client, commitment, ended_plan, civil_servant, text, problem
):
    client.force_login(civil_servant)
    url = reverse("commitments:irm-import", args=[ended_plan.pk])
    response = client.post(url, {"file": _csv(text.format(id=commitment.ogp_id))})
    assert response.status_code != 302
    assert problem in response.content.decode()
    commitment.refresh_from_db()
    assert commitment.irm_assessment == {}


@pytest.mark.parametrize("who", ["citizen", "cso_member", "commitment_lead"])
def test_only_staff_import_irm_assessments(client, commitment, ended_plan, request, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse("commitments:irm-import", args=[ended_plan.pk])
    response = client.post(url, {"file": _csv(f"ogp_id,completion\n{commitment.ogp_id},limited\n")})
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.irm_assessment == {}


def test_the_secretariat_may_import_irm_assessments(client, commitment, ended_plan, secretariat):
    client.force_login(secretariat)
    url = reverse("commitments:irm-import", args=[ended_plan.pk])
    response = client.post(url, {"file": _csv(f"ogp_id,completion\n{commitment.ogp_id},limited\n")})
    assert response.status_code == 302


# --- carry-over -----------------------------------------------------------------------------


def test_an_unfinished_commitment_is_carried_into_the_successor_with_links_both_ways(
    client, commitment, member, civil_servant
):
    successor = PlanFactory(
        member=member,
        status="drafting",
        title="Next Plan",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    client.force_login(civil_servant)
    page = _page(client, commitment)
    assert "Carry into “Next Plan”" in page

    response = client.post(reverse("commitments:commitment-carry-over", args=[commitment.ogp_id]))

    new = Commitment.objects.get(plan=successor)
    assert response.status_code == 302
    assert response["Location"] == new.get_absolute_url()
    assert new.carried_from == commitment
    assert new.ogp_id != commitment.ogp_id
    assert new.title == commitment.title
    # Only the unfinished milestone comes along
    assert [m.description for m in new.milestones.all()] == ["Publish every record"]
    assert "Carried over from:" in _page(client, new)
    old_page = _page(client, commitment)
    assert "Carried into the next plan as:" in old_page
    assert new.ogp_id in old_page
    # Twice is refused
    client.post(reverse("commitments:commitment-carry-over", args=[commitment.ogp_id]))
    assert Commitment.objects.filter(plan=successor).count() == 1
    assert AuditEvent.objects.filter(action="commitments.commitment.carried_over").count() == 1


def test_carry_over_without_a_successor_is_refused(client, commitment, civil_servant):
    client.force_login(civil_servant)
    response = client.post(
        reverse("commitments:commitment-carry-over", args=[commitment.ogp_id]), follow=True
    )
    assert "no next plan" in response.content.decode()
    assert Commitment.objects.count() == 1


def test_a_citizen_cannot_carry_a_commitment_over(client, commitment, member, citizen):
    PlanFactory(
        member=member,
        status="drafting",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31),
    )
    client.force_login(citizen)
    url = reverse("commitments:commitment-carry-over", args=[commitment.ogp_id])
    assert client.post(url).status_code == 403
    assert Commitment.objects.count() == 1
