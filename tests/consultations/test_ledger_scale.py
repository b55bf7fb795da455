"""The ledger page at national scale (issue #15): thousands of entries of every kind, many
answered by published responses that shaped commitments, some by drafts; page 1, the last
page and every filter stay within a fixed number of queries, for the public and for staff."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import InputEntry, ReasonedResponse
from tests.factories import CommitmentFactory, PlanFactory, PolicyAreaFactory

from .test_services import make_consultation

pytestmark = pytest.mark.django_db

ENTRIES = 3000
KINDS = ["proposal", "answer", "comment", "offline", "forum"]


@pytest.fixture
def big_ledger(member, civil_servant):
    plan = PlanFactory(member=member, status="reasoned_response")
    areas = [PolicyAreaFactory(plan=plan) for _ in range(4)]
    commitments = [CommitmentFactory(plan=plan) for _ in range(6)]
    windows = [make_consultation(plan, is_open=False, title=f"Window {n}") for n in range(3)]
    now = timezone.now()
    responses = ReasonedResponse.objects.bulk_create(
        ReasonedResponse(
            plan=plan,
            status="published" if n % 5 else "draft",
            decision=["accepted", "partially_accepted", "not_accepted", "out_of_scope"][n % 4],
            reason=f"Reason {n}",
            responder=civil_servant,
            published_at=now if n % 5 else None,
        )
        for n in range(200)
    )
    responses = list(ReasonedResponse.objects.filter(plan=plan).order_by("pk"))
    for n, response in enumerate(responses):
        response.commitments.set(commitments[n % 3 : n % 3 + 2])
    InputEntry.objects.bulk_create(
        InputEntry(
            plan=plan,
            consultation=windows[n % 3],
            kind=KINDS[n % 5],
            channel="online" if n % 5 < 3 else "paper",
            policy_area=areas[n % 4],
            commitment=commitments[n % 6] if n % 5 == 2 else None,
            title=f"Input {n}",
            text="…",
            response=responses[n % 200] if n % 3 else None,
            is_public=n % 50 != 0,
        )
        for n in range(ENTRIES)
    )
    return {"plan": plan, "area": areas[1], "window": windows[2]}


QUERIES = [
    {},
    {"page": "last"},
    {"page": "30"},
    {"kind": "answer"},
    {"kind": "offline", "decision": "none"},
    {"decision": "accepted"},
    {"decision": "partially_accepted", "kind": "answer", "page": "last"},
    {"policy_area": "AREA"},
    {"consultation": "WINDOW", "kind": "forum"},
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_the_ledger_pages_in_bounded_queries(
    client, client_for, civil_servant, big_ledger, query, django_assert_max_num_queries
):
    plan = big_ledger["plan"]
    params = {
        k: (
            big_ledger["area"].pk
            if v == "AREA"
            else big_ledger["window"].pk
            if v == "WINDOW"
            else v
        )
        for k, v in query.items()
    }
    url = reverse("ledger:input-list", args=[plan.pk])
    with django_assert_max_num_queries(14):
        public = client.get(url, params)
    assert public.status_code == 200
    assert "Input " in public.content.decode()
    staff_client = client_for(civil_servant)
    with django_assert_max_num_queries(18):
        staff = staff_client.get(url, params)
    assert staff.status_code == 200
    assert "Respond to the selected inputs" in staff.content.decode()
