"""The commitment list from the outside: the policy area is a list to choose from, and the
filtered list downloads as CSV or JSON (every match, the same filters, bounded queries)."""

import csv
import io
import json
import re

import pytest

from tests.factories import CommitmentFactory, PlanFactory, PolicyAreaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def commitments(member):
    plan = PlanFactory(member=member, status="implementation")
    older = PlanFactory(member=member, status="ended")
    justice = PolicyAreaFactory(plan=plan, name="Access to Justice")
    old_justice = PolicyAreaFactory(plan=older, name="Access to Justice")
    fiscal = PolicyAreaFactory(plan=plan, name="Fiscal Transparency")
    for n in range(30):  # more than one page of the list (25)
        CommitmentFactory(plan=plan, policy_area=justice, title=f"Open court {n}")
    CommitmentFactory(plan=older, policy_area=old_justice, title="Old court")
    CommitmentFactory(plan=plan, policy_area=fiscal, title="Open budget")
    hidden_plan = PlanFactory(member=member, status="planning")
    secret = PolicyAreaFactory(plan=hidden_plan, name="Secret Area")
    CommitmentFactory(plan=hidden_plan, policy_area=secret, title="Hidden")


def test_policy_area_is_a_list_of_the_areas_one_can_see(client, commitments):
    page = client.get("/commitments/").content.decode()
    select = re.search(r'<select name="policy_area"[^>]*>(.*?)</select>', page, re.S)
    assert select, "the policy area is a select list, not a text box"
    options = re.findall(r'<option value="([^"]*)"', select.group(1))
    assert options == ["", "Access to Justice", "Fiscal Transparency"]  # once each, no draft's
    found = client.get("/commitments/", {"policy_area": "Fiscal Transparency"})
    assert "1 commitment found." in found.content.decode()
    assert "Open budget" in found.content.decode()


def test_the_filtered_list_downloads_as_csv_and_json(
    client, commitments, django_assert_max_num_queries
):
    page = client.get("/commitments/", {"policy_area": "Access to Justice"}).content.decode()
    links = {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="(\?[^"]*format=\w+)" download>(\w+)</a>', page)
    }
    assert links == {
        "CSV": "?policy_area=Access+to+Justice&format=csv",
        "JSON": "?policy_area=Access+to+Justice&format=json",
    }
    with django_assert_max_num_queries(8):
        response = client.get("/commitments/" + links["CSV"])
        body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="commitments.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 31  # every match, not one page; the draft plan's stays hidden
    assert {row["policy_area"] for row in rows} == {"Access to Justice"}
    assert "Old court" in {row["title"] for row in rows}

    with django_assert_max_num_queries(8):
        response = client.get("/commitments/" + links["JSON"])
        data = json.loads(b"".join(response.streaming_content))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert len(data) == 31
    assert set(data[0]) == {
        "ogp_id", "title", "member", "plan", "policy_area", "lead_institution", "status"
    }  # fmt: skip
    assert not any(item["title"] == "Hidden" for item in data)
