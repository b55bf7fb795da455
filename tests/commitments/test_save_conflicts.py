"""Saving twice with the same version is one save; a real conflict says who, when and what."""

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from commitments.models import Commitment, Milestone
from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import Role
from plans.choices import PlanStatus as S
from plans.models import ActionPlan
from tests.commitments.test_commitments import plan_edit_data
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plan(member):
    return PlanFactory(
        member=member, status=S.DRAFTING, period_start=D(2026, 1, 1), period_end=D(2027, 12, 31)
    )


@pytest.fixture
def colleague(member):
    user = UserFactory(email="colleague@example.org", name="Amina Colleague")
    grant(user, Role.CIVIL_SERVANT, member)
    return user


def commitment_data(**overrides):
    data = {
        "title": "Open court data",
        "summary": "Courts publish how long cases take.",
        "start_date": "2026-01-01",
        "end_date": "2027-06-30",
        "lead_institution": "Ministry of Justice",
        "problem": "Nobody knows how long cases take.",
        "access_to_information": "on",
        "access_to_information_explanation": "Publishes court data.",
    }
    return data | overrides


def edits(action):
    return AuditEvent.objects.filter(action=action).count()


def test_a_double_clicked_save_is_one_save(client_for, civil_servant, plan):
    # Given a commitment at version 1, and its form sent twice (a double click)
    commitment = CommitmentFactory(plan=plan, title="Original")
    url = reverse("commitments:commitment-edit", args=[commitment.ogp_id])
    client = client_for(civil_servant)
    data = commitment_data(title="Open court data, monthly", version=1)
    versions_before = commitment.history.count()

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    # Then both succeed, there is one new version and one audit event, and no conflict
    assert first.status_code == 302
    assert second.status_code == 200
    assert second.redirect_chain[-1][0] == commitment.get_absolute_url()
    page = second.content.decode()
    assert "The commitment is saved." in page
    assert "saved this page" not in page
    commitment.refresh_from_db()
    assert commitment.title == "Open court data, monthly"
    assert commitment.version == 2
    assert commitment.history.count() == versions_before + 1
    assert edits("commitments.commitment.edited") == 1


def test_a_double_clicked_milestone_save_is_one_save(client_for, civil_servant, plan):
    commitment = CommitmentFactory(plan=plan, start_date=D(2026, 1, 1), end_date=D(2027, 6, 30))
    milestone = MilestoneFactory(commitment=commitment, description="Draft")
    url = reverse("commitments:milestone-edit", args=[milestone.pk])
    data = {
        "description": "Publish the data",
        "start_date": "2026-02-01",
        "due_date": "2026-10-31",
        "status": "not_started",
        "version": milestone.version,
    }
    client = client_for(civil_servant)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    milestone.refresh_from_db()
    assert milestone.version == 2
    assert Milestone.history.filter(id=milestone.pk).count() == 2
    assert edits("commitments.milestone.edited") == 1


def test_a_double_clicked_plan_save_is_one_save(client_for, civil_servant, plan):
    url = reverse("plans:plan-edit", args=[plan.pk])
    data = plan_edit_data(plan)
    client = client_for(civil_servant)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    stored = ActionPlan.objects.get(pk=plan.pk)
    assert stored.version == plan.version + 1
    assert edits("plans.plan.edited") == 1


def test_the_same_person_saving_other_text_on_a_stale_form_is_still_a_conflict(
    client_for, civil_servant, plan
):
    # Two tabs of the same person: not the same save, so it must not overwrite silently
    commitment = CommitmentFactory(plan=plan)
    url = reverse("commitments:commitment-edit", args=[commitment.ogp_id])
    client = client_for(civil_servant)
    assert client.post(url, commitment_data(title="Tab one", version=1)).status_code == 302
    response = client.post(url, commitment_data(title="Tab two", version=1))
    assert response.status_code == 409
    assert Commitment.objects.get(pk=commitment.pk).title == "Tab one"


def test_a_real_conflict_names_who_and_when_and_shows_the_difference(
    client_for, civil_servant, colleague, plan
):
    # Given two civil servants who opened the same commitment at version 1
    commitment = CommitmentFactory(plan=plan, title="Original")
    url = reverse("commitments:commitment-edit", args=[commitment.ogp_id])
    saved_at = dt.datetime(2026, 3, 4, 14, 5, tzinfo=dt.UTC)
    with time_machine.travel(saved_at, tick=False):
        theirs = commitment_data(title="Open court data", problem="Cases take years.", version=1)
        assert client_for(colleague).post(url, theirs).status_code == 302

    # When the other one saves what they typed on the form at version 1
    mine = commitment_data(
        title="Open court data", problem="Cases take months, nobody knows.", version=1
    )
    response = client_for(civil_servant).post(url, mine)

    # Then the save is refused (409), naming who saved and when...
    assert response.status_code == 409
    page = response.content.decode()
    assert "Amina Colleague saved this page at" in page
    assert formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT") in page
    # ...showing the changed field, their words against mine, and only that field...
    conflict = page[page.index('class="conflict"') :].split("</section>")[0]
    assert "What problem does the commitment address?" in conflict
    assert "Cases take <del>years</del>." in conflict
    assert "Cases take <ins>months, nobody knows</ins>." in conflict
    assert "Lead institution" not in conflict
    # ...with my text still in the form, the form now at their version
    assert "Cases take months, nobody knows.</textarea>" in page
    assert re.search(r'name="version" value="2"', page)
    commitment.refresh_from_db()
    assert commitment.problem == "Cases take years."

    # And saving again after comparing replaces their version
    again = client_for(civil_servant).post(url, mine | {"version": 2})
    assert again.status_code == 302
    commitment.refresh_from_db()
    assert commitment.problem == "Cases take months, nobody knows."
    assert commitment.version == 3


@pytest.mark.django_db(transaction=True)
def test_a_double_click_racing_itself_is_still_one_save(civil_servant, plan):
    # Given the same form sent twice at the same moment (two requests in flight)
    commitment = CommitmentFactory(plan=plan, title="Original")
    url = reverse("commitments:commitment-edit", args=[commitment.ogp_id])
    data = commitment_data(title="Open court data, weekly", version=1)
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(civil_servant)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send(c):
        start.wait()
        try:
            statuses.append(c.post(url, data).status_code)
        finally:
            connection.close()  # each thread's own database connection

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # Then both answer as saved, and there is one new version
    assert statuses == [302, 302]
    commitment.refresh_from_db()
    assert commitment.version == 2
    assert commitment.history.count() == 2
    assert edits("commitments.commitment.edited") == 1
