"""The public read API from the outside: what an anonymous client gets over HTTP."""

import base64
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.core.test_page_cache_crowd import crowd_get

from .conftest import SECRET

pytestmark = pytest.mark.django_db

COLLECTIONS = {
    # collection: the field a record is named by in its address
    "members": "slug",
    "organisations": "id",
    "plans": "id",
    "policy-areas": "id",
    "commitments": "ogp_id",
    "milestones": "id",
    "progress-updates": "id",
    "consultations": "id",
    "proposals": "id",
    "answers": "id",
    "inputs": "id",
    "forums": "id",
    "meetings": "id",
    "decisions": "id",
    "seats": "id",
}
PRIVATE_KEYS = {
    "email", "contact_email", "author", "user", "responder", "created_by", "author_name",
    "contact", "recorded_by",
}  # fmt: skip


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def crawl(client):
    """Every answer of the API: each collection page by page (two records a page, so the
    cursors are followed), then each record's own address."""
    bodies = {}
    for name, lookup in COLLECTIONS.items():
        url = f"/api/v1/{name}/?page_size=2"
        records = []
        while url:
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            bodies[url] = response.content.decode()
            page = response.json()
            records += page["results"]
            url = page["next"]
        for record in records:
            detail = f"/api/v1/{name}/{record[lookup]}/"
            response = client.get(detail)
            assert response.status_code == 200, detail
            bodies[detail] = response.content.decode()
    return bodies


def test_every_collection_holds_the_public_record(client, api_record):
    bodies = crawl(client)
    everything = "\n".join(bodies.values())
    for text in (
        "Public plan", "Open justice", api_record.commitment.ogp_id, "Publish the data",
        "Half done", "Public consultation", "Public proposal", "Public reason",
        "Public answer reason", "Public forum", "Public meeting", "Public minutes",
        "Public decision", "Public seat holder", "Watchdog A", "member-a",
        "Public paper input", "Public typed text", "Public ledger reason",
    ):  # fmt: skip
        assert text in everything, text


def test_no_draft_or_private_field_leaks(client, api_record):
    # Given drafts and private data beside the public record (conftest.api_record)
    # When an anonymous client reads every answer of the API
    bodies = crawl(client)
    # Then none of them holds a draft, an unpublished text, an e-mail or a private field
    for url, body in bodies.items():
        assert SECRET.lower() not in body.lower(), (url, body[:500])
        for email in api_record.emails:
            assert email not in body, (url, email)
        assert "@" not in body, url
        assert not PRIVATE_KEYS & set(_keys(json.loads(body))), url


def test_the_unpublished_response_and_draft_decisions_read_as_absent(client, api_record):
    proposals = {p["title"]: p for p in client.get("/api/v1/proposals/").json()["results"]}
    assert set(proposals) == {"Public proposal", "Undecided proposal"}
    assert proposals["Undecided proposal"]["response"] is None
    assert proposals["Public proposal"]["response"]["reason"] == "Public reason"
    meetings = {m["title"]: m for m in client.get("/api/v1/meetings/").json()["results"]}
    assert meetings["Held meeting"]["decisions"] == []
    assert meetings["Held meeting"]["minutes_text"] is None
    assert [d["text"] for d in meetings["Public meeting"]["decisions"]] == ["Public decision"]


def test_a_draft_is_not_found_at_its_own_address(client, api_record, member):
    from commitments.models import Commitment
    from plans.models import ActionPlan

    draft_plan = ActionPlan.objects.get(title__startswith=SECRET)
    drafted = Commitment.objects.get(title__startswith=SECRET)
    assert client.get(f"/api/v1/plans/{draft_plan.pk}/").status_code == 404
    assert client.get(f"/api/v1/commitments/{drafted.ogp_id}/").status_code == 404
    assert client.get(f"/api/v1/plans/{api_record.plan.pk}/").status_code == 200


def test_a_signed_in_insider_still_reads_the_public_record_only(client, api_record, civil_servant):
    # The API has no sign-in: a session cookie changes nothing.
    client.force_login(civil_servant)
    titles = [p["title"] for p in client.get("/api/v1/plans/").json()["results"]]
    assert "Public plan" in titles
    assert not [t for t in titles if SECRET in t]


def test_records_are_found_by_ogp_id_and_slug(client, api_record):
    commitment = client.get(f"/api/v1/commitments/{api_record.commitment.ogp_id}/").json()
    assert commitment["title"] == "Open the registers"
    assert commitment["member"] == "member-a"
    assert commitment["url"].endswith(f"/commitments/{api_record.commitment.ogp_id}/")
    assert client.get("/api/v1/members/member-a/").json()["name"] == "Member A"
    proposal = client.get(f"/api/v1/proposals/{api_record.proposal.pk}/").json()
    assert proposal["organisation"]["name"] == "Watchdog A"
    assert proposal["response"]["decision"] == "accepted"


def test_filters_work_like_the_site(client, api_record, other_member):
    from tests.factories import CommitmentFactory, PlanFactory

    other_plan = PlanFactory(member=other_member, status="adopted")
    CommitmentFactory(plan=other_plan, title="Budget data", status="complete")

    def titles(query):
        response = client.get(f"/api/v1/commitments/?{query}")
        assert response.status_code == 200, response.content
        return [c["title"] for c in response.json()["results"]]

    assert titles("member=member-a") == ["Open the registers"]
    assert titles("member=member-b") == ["Budget data"]
    assert titles("status=complete") == ["Budget data"]
    assert titles("value=access_to_information") == []
    assert titles(f"plan={other_plan.pk}") == ["Budget data"]
    assert client.get("/api/v1/commitments/?status=nonsense").status_code == 400
    plans = client.get("/api/v1/plans/?member=member-b").json()["results"]
    assert [p["id"] for p in plans] == [other_plan.pk]
    assert client.get("/api/v1/proposals/?status=draft").status_code == 400


def test_cursor_pagination_walks_every_record_once(client, member):
    from tests.factories import PlanFactory

    plans = [PlanFactory(member=member, status="adopted") for _ in range(5)]
    seen = []
    url = "/api/v1/plans/?page_size=2"
    while url:
        page = client.get(url).json()
        seen += [p["id"] for p in page["results"]]
        url = page["next"]
    assert seen == [p.pk for p in plans]
    assert client.get("/api/v1/plans/?cursor=not-a-cursor").status_code == 404
    # A cursor a client made up, with a position that is no id, is not valid either.
    for position in ("abc", str(2**70)):
        made_up = base64.b64encode(f"p={position}".encode()).decode()
        response = client.get("/api/v1/plans/", {"cursor": made_up})
        assert response.status_code == 404
        assert response.json() == {"detail": "Invalid cursor"}


def test_unknown_addresses_answer_in_json_and_a_missing_slash_is_added(client, member):
    missing = client.get("/api/v1/nothing-here/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found."}
    redirect = client.get("/api/v1/members?member_type=national")
    assert redirect.status_code == 301
    assert redirect["Location"] == "/api/v1/members/?member_type=national"


def test_a_conditional_get_with_the_etag_is_not_modified(client, api_record):
    first = client.get("/api/v1/commitments/")
    etag = first["ETag"]
    assert etag
    again = client.get("/api/v1/commitments/", headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    # A change gives a new ETag, so the client reads it again.
    api_record.commitment.title = "Open every register"
    api_record.commitment.save()
    changed = client.get("/api/v1/commitments/", headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_anonymous_clients_are_rate_limited_per_address(client, settings, member):
    settings.API_ANON_RATE = "3/min"
    for _ in range(3):
        assert client.get("/api/v1/members/").status_code == 200
    refused = client.get("/api/v1/members/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address has its own count.
    assert client.get("/api/v1/members/", REMOTE_ADDR="192.0.2.7").status_code == 200


def test_cors_allows_reading_from_any_origin_without_credentials(client, member):
    origin = {"origin": "https://research.example"}
    response = client.get("/api/v1/members/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options(
        "/api/v1/members/",
        headers={**origin, "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 200
    allowed = {m.strip() for m in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    # Only the API: the site's pages send no CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/", headers=origin)


def test_the_api_is_read_only(client, member):
    assert client.post("/api/v1/members/", {}).status_code == 405
    assert client.delete("/api/v1/members/member-a/").status_code == 405


def test_the_schema_and_its_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", headers={"accept": "application/json"})
    assert schema.status_code == 200
    document = json.loads(schema.content)
    assert document["openapi"].startswith("3.")
    for name, lookup in COLLECTIONS.items():
        assert f"/api/v1/{name}/" in document["paths"]
        assert f"/api/v1/{name}/{{{lookup}}}/" in document["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    for name, lookup in COLLECTIONS.items():
        assert f"<code>/api/v1/{name}/</code>" in html
        assert f"<code>/api/v1/{name}/{{{lookup}}}/</code>" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[-1]
    assert "https://" not in html.replace("https://research", "")


def test_the_api_root_lists_every_collection(client):
    root = Client().get("/api/v1/").json()
    assert set(root) == set(COLLECTIONS)


def test_a_list_page_read_again_comes_from_the_cache_without_a_query(
    client, api_record, django_assert_num_queries
):
    first = client.get("/api/v1/commitments/?page_size=200")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = client.get("/api/v1/commitments/?page_size=200")
    assert again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    # The stored page answers a conditional GET too.
    assert (
        client.get(
            "/api/v1/commitments/?page_size=200", headers={"if-none-match": first["ETag"]}
        ).status_code
        == 304
    )


def test_a_proposal_changed_shows_at_once_in_its_consultations_list(client, api_record):
    proposal = api_record.proposal
    url = f"/api/v1/proposals/?consultation={proposal.consultation_id}"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    proposal.title = "Open the procurement registers"
    proposal.save()
    titles = [row["title"] for row in client.get(url).json()["results"]]
    assert "Open the procurement registers" in titles
    assert "Public proposal" not in titles


@pytest.mark.django_db(transaction=True)
def test_a_crowd_on_a_list_page_not_kept_yet_has_it_rendered_once(api_record):
    answers = crowd_get("/api/v1/commitments/?page_size=200")
    assert sorted(page["X-Page-Cache"] for page in answers) == ["hit"] * 7 + ["miss"]
    assert len({page["ETag"] for page in answers}) == 1
    assert all(page.json() == answers[0].json() for page in answers)
    assert "Open the registers" in [row["title"] for row in answers[0].json()["results"]]


def test_a_proposal_changed_after_its_list_expired_shows_at_once(client, api_record):
    proposal = api_record.proposal
    url = f"/api/v1/proposals/?consultation={proposal.consultation_id}"
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client.get(url)
        traveller.shift(61)  # expired: its copy is kept a little longer, for a crowd
        proposal.title = "Open the procurement registers"
        proposal.save()
        page = client.get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Open the procurement registers" in [row["title"] for row in page.json()["results"]]


def test_lists_that_change_with_the_clock_are_never_kept(client, api_record):
    # A consultation's window_state moves from "scheduled" to "open" to "closed" with no write.
    client.get("/api/v1/consultations/")
    assert client.get("/api/v1/consultations/").get("X-Page-Cache") is None
