"""Open data (issue #6): the page, and the plans, commitments, milestones and decisions files
as CSV and JSON, seen from the outside: public records only, formula-safe, streamed, with a
number of queries that does not grow with the rows."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import include, path, reverse
from django.utils import timezone

from commitments.models import Commitment, Milestone
from consultations.choices import ProposalStatus
from consultations.models import Consultation, Proposal, ProposalCommitmentLink, ReasonedResponse
from ogp_portal import urls as root_urls
from ogp_portal.organisations.choices import OrganisationKind
from records import opendata, opendata_files
from tests.factories import (
    CommitmentFactory,
    MemberFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    UserFactory,
)

# Until ogp_portal/urls.py mounts records.urls_opendata at /open-data/, these tests mount it
# themselves on top of the portal's own URLs (and leave them alone once it is mounted).
urlpatterns = list(root_urls.urlpatterns)
if not any(getattr(p, "namespace", None) == "opendata" for p in urlpatterns):
    urlpatterns.insert(0, path("open-data/", include("records.urls_opendata")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

UTC = dt.UTC
DATASETS = ("plans", "commitments", "milestones", "decisions")
FORMULA = '=HYPERLINK("http://evil.example","x")'
DRAFT_MARK = "SECRET-DRAFT"


def _url(dataset: str, fmt: str, **params) -> str:
    url = reverse("opendata:dataset-export", kwargs={"dataset": dataset, "fmt": fmt})
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def _body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def _csv_rows(response) -> list[dict]:
    text = _body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def _json_rows(response) -> list[dict]:
    data = json.loads(_body(response))
    assert isinstance(data, list)
    return data


def _rows(response, fmt: str) -> list[dict]:
    return _csv_rows(response) if fmt == "csv" else _json_rows(response)


def _consultation(plan, title, *, announced=True) -> Consultation:
    return Consultation.objects.create(
        plan=plan,
        title=title,
        kind="idea_collection",
        description="What should the plan do?",
        notice_published_at=dt.datetime(2026, 1, 1, tzinfo=UTC) if announced else None,
        opens_at=dt.datetime(2026, 2, 1, tzinfo=UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=UTC),
    )


def _proposal(consultation, title, *, organisation=None, status="submitted", **response):
    proposal = Proposal.objects.create(
        consultation=consultation,
        author=UserFactory(name="Private Person"),
        organisation=organisation,
        submitter_type="cso" if organisation else "citizen",
        title=title,
        status=status,
        submitted_at=None if status == ProposalStatus.DRAFT else timezone.now(),
    )
    if response:
        reasoned = ReasonedResponse.objects.create(consultation=consultation, **response)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=reasoned.decision if status != ProposalStatus.DRAFT else status,
            response=reasoned,
        )
    return proposal


@pytest.fixture
def world(member):
    """Member A with one plan in implementation (public, with public commitments), one in
    drafting (public page, commitments still internal) and one in planning (internal);
    consultations with decided proposals, some of which are not public yet."""
    public = PlanFactory(member=member, status="implementation", title="Public plan")
    drafting = PlanFactory(member=member, status="drafting", title="Drafting plan")
    internal = PlanFactory(member=member, status="planning", title=f"{DRAFT_MARK} plan")

    commitment = CommitmentFactory(
        plan=public,
        ogp_id="XV0001",
        title="Open contracting",
        irm_assessment={"irm_verifiable": "Yes", "starred": True},
    )
    formula = CommitmentFactory(plan=public, ogp_id="XV0002", title=FORMULA)
    MilestoneFactory(commitment=commitment, description="Publish contracts")
    MilestoneFactory(commitment=formula, description="+SUM(1,2)")
    hidden_in_drafting = CommitmentFactory(
        plan=drafting, ogp_id="XV0003", title=f"{DRAFT_MARK} commitment (drafting)"
    )
    MilestoneFactory(commitment=hidden_in_drafting, description=f"{DRAFT_MARK} milestone")
    hidden_in_planning = CommitmentFactory(
        plan=internal, ogp_id="XV0004", title=f"{DRAFT_MARK} commitment (planning)"
    )
    MilestoneFactory(commitment=hidden_in_planning, description=f"{DRAFT_MARK} milestone 2")

    verified = OrganisationFactory(name="Watchdog A", member=member, kind=OrganisationKind.CSO)
    unverified = OrganisationFactory(name="Unverified Org", member=member, verified_at=None)
    announced = _consultation(public, "Ideas for NAP 1")
    published_at = dt.datetime(2026, 4, 2, 8, 30, tzinfo=UTC)
    accepted = _proposal(
        announced,
        "Open contracts",
        organisation=verified,
        decision=ProposalStatus.ACCEPTED,
        reason="It became commitment XV0001.",
        published_at=published_at,
    )
    ProposalCommitmentLink.objects.create(proposal=accepted, commitment=commitment)
    # A link to a commitment that is not public yet is left out.
    ProposalCommitmentLink.objects.create(proposal=accepted, commitment=hidden_in_drafting)
    _proposal(
        announced,
        "Budget data",
        organisation=unverified,
        decision=ProposalStatus.NOT_ACCEPTED,
        reason=FORMULA,
        published_at=published_at,
    )
    _proposal(
        announced,
        f"{DRAFT_MARK} unpublished decision",
        decision=ProposalStatus.DEFERRED,
        reason=f"{DRAFT_MARK} reason",
        published_at=None,
    )
    _proposal(announced, f"{DRAFT_MARK} undecided")
    _proposal(
        announced,
        f"{DRAFT_MARK} draft proposal",
        status=ProposalStatus.DRAFT,
        decision=ProposalStatus.ACCEPTED,
        reason=f"{DRAFT_MARK} reason 2",
        published_at=published_at,
    )
    not_announced = _consultation(drafting, f"{DRAFT_MARK} consultation", announced=False)
    _proposal(
        not_announced,
        f"{DRAFT_MARK} in unannounced consultation",
        decision=ProposalStatus.ACCEPTED,
        reason="x",
        published_at=published_at,
    )
    return {
        "public": public,
        "drafting": drafting,
        "internal": internal,
        "commitment": commitment,
        "accepted": accepted,
    }


# --- the page -----------------------------------------------------------------------------


def test_page_explains_every_dataset_with_links(client, world):
    response = client.get("/open-data/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Open data</h1>" in html
    for dataset in DATASETS:
        for fmt in ("csv", "json"):
            assert f'href="/open-data/{dataset}.{fmt}"' in html
    for column in ("plan_id", "ogp_id", "commitment_ogp_ids", "reason", "irm_completion"):
        assert f"<code>{column}</code>" in html
    assert opendata.LICENCE_URL in html
    assert "member-a" in html  # the short names to filter by


# --- contents -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_plans_file_holds_published_plans_only(client, world, fmt, settings):
    settings.SITE_URL = "https://ogp.example.org"

    # Downloaded through another name (a proxy, a test client): the links are the portal's
    response = client.get(_url("plans", fmt), HTTP_HOST="internal-proxy.example")

    rows = _rows(response, fmt)
    assert [r["title"] for r in rows] == ["Public plan", "Drafting plan"]
    first = rows[0]
    assert str(first["plan_id"]) == str(world["public"].pk)
    assert first["member_slug"] == "member-a"
    assert first["period_start"] == "2026-01-01"
    assert first["period_end"] == "2027-12-31"
    assert first["status"] == "implementation"
    assert first["url"] == f"https://ogp.example.org/plans/{world['public'].pk}/"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_commitments_file_holds_commitments_of_public_content_only(client, world, fmt):
    response = client.get(_url("commitments", fmt))

    rows = _rows(response, fmt)
    assert [r["ogp_id"] for r in rows] == ["XV0001", "XV0002"]
    first = rows[0]
    assert str(first["plan_id"]) == str(world["public"].pk)
    assert first["title"] == "Open contracting"
    assert first["plan_period"] == "2026-01-01/2027-12-31"
    assert first["start"] == "2026-01-01"
    assert first["irm_verifiable"] == "Yes"
    assert first["starred"] == ("true" if fmt == "csv" else True)
    assert "milestones" not in first  # they have a file of their own


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_milestones_file_links_to_commitments_by_ogp_id(client, world, fmt):
    response = client.get(_url("milestones", fmt))

    rows = _rows(response, fmt)
    assert [(r["ogp_id"], str(r["plan_id"])) for r in rows] == [
        ("XV0001", str(world["public"].pk)),
        ("XV0002", str(world["public"].pk)),
    ]
    assert rows[0]["description"] == "Publish contracts"
    assert rows[0]["end"] == "2027-12-31"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_decisions_file_holds_published_decisions_of_public_proposals(client, world, fmt):
    response = client.get(_url("decisions", fmt))

    rows = _rows(response, fmt)
    assert [r["proposal_title"] for r in rows] == ["Open contracts", "Budget data"]
    accepted, rejected = rows
    assert accepted["proposal_reference"] == world["accepted"].reference
    assert accepted["consultation_title"] == "Ideas for NAP 1"
    assert accepted["organisation"] == "Watchdog A"
    assert accepted["decision"] == "accepted"
    assert accepted["reason"] == "It became commitment XV0001."
    assert accepted["commitment_ogp_ids"] == "XV0001"  # not the drafting plan's XV0003
    assert accepted["published_at"] == "2026-04-02T08:30:00+00:00"
    # An unverified organisation's name, and people's names, are not published.
    assert rejected["organisation"] == ""
    assert "Private Person" not in json.dumps(rows)


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("dataset", DATASETS)
def test_no_draft_reaches_any_file_even_for_insiders(
    client_for, civil_servant, world, dataset, fmt
):
    # Given someone who sees the member's drafts on the site
    client = client_for(civil_servant)

    response = client.get(_url(dataset, fmt))

    # Then the open-data files still hold only what anonymous visitors see
    assert response.status_code == 200
    assert DRAFT_MARK not in _body(response)


@pytest.mark.parametrize("dataset", DATASETS)
def test_csv_header_is_the_documented_column_order(client, world, dataset):
    text = _body(client.get(_url(dataset, "csv")))

    header = next(csv.reader(io.StringIO(text[1:])))
    assert tuple(header) == opendata.DATASETS[dataset].header


@pytest.mark.parametrize("dataset", DATASETS)
def test_json_objects_keep_the_documented_column_order(client, world, dataset):
    rows = _json_rows(client.get(_url(dataset, "json")))

    assert rows
    assert all(tuple(row) == opendata.DATASETS[dataset].header for row in rows)


def test_formula_looking_text_is_neutralised_in_csv_and_kept_in_json(client, world):
    commitments = _csv_rows(client.get(_url("commitments", "csv")))
    milestones = _csv_rows(client.get(_url("milestones", "csv")))
    decisions = _csv_rows(client.get(_url("decisions", "csv")))

    assert commitments[1]["title"] == "'" + FORMULA
    assert milestones[1]["description"] == "'+SUM(1,2)"
    assert decisions[1]["reason"] == "'" + FORMULA
    # JSON is not opened by spreadsheets: the text stays as written.
    assert _json_rows(client.get(_url("commitments", "json")))[1]["title"] == FORMULA


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_files_are_dated_utf8_attachments(client, world, fmt):
    response = client.get(_url("commitments", fmt, member="member-a"))

    today = timezone.localdate().isoformat()
    assert response.status_code == 200
    assert response["Content-Type"] == opendata_content_type(fmt)
    assert response["Content-Disposition"] == (
        f'attachment; filename="ogp-commitments-member-a-{today}.{fmt}"'
    )


def opendata_content_type(fmt: str) -> str:
    return {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}[fmt]


def test_text_outside_ascii_survives(client, world):
    Commitment.objects.filter(ogp_id="XV0001").update(title="Données ouvertes — “café” 開放")

    assert _csv_rows(client.get(_url("commitments", "csv")))[0]["title"] == (
        "Données ouvertes — “café” 開放"
    )
    assert _json_rows(client.get(_url("commitments", "json")))[0]["title"] == (
        "Données ouvertes — “café” 開放"
    )


def test_an_empty_selection_is_still_valid(client, db):
    assert _json_rows(client.get(_url("decisions", "json"))) == []
    assert _csv_rows(client.get(_url("decisions", "csv"))) == []


# --- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", DATASETS)
def test_member_and_plan_filters(client, world, dataset):
    other = MemberFactory(name="Member B", slug="member-b", iso_code="XW")
    other_plan = PlanFactory(member=other, status="implementation", title="Plan of B")
    CommitmentFactory(plan=other_plan, ogp_id="XW0001")

    everything = _json_rows(client.get(_url(dataset, "json")))
    of_a = _json_rows(client.get(_url(dataset, "json", member="member-a")))
    of_public_plan = _json_rows(client.get(_url(dataset, "json", plan=world["public"].pk)))
    of_b_and_a_plan = _json_rows(
        client.get(_url(dataset, "json", member="member-b", plan=world["public"].pk))
    )

    assert len(of_a) > 0
    assert {str(r["plan_id"]) for r in of_public_plan} == {str(world["public"].pk)}
    assert of_b_and_a_plan == []
    if dataset in ("plans", "commitments"):
        assert len(everything) == len(of_a) + 1


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"plan": "abc"}, "plan", "Enter a whole number."),
        ({"plan": "0"}, "plan", "greater than or equal to 1"),
        ({"plan": "1" * 30}, "plan", "less than or equal to"),
        ({"plan": "999999"}, "plan", "No published action plan has the number 999999."),
        ({"member": "nobody"}, "member", "No member has the short name “nobody”."),
        ({"member": "not%20a%20slug"}, "member", "Enter a valid “slug”"),
        ({"member": "a%00b"}, "member", "Null characters are not allowed."),
    ],
)
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_bad_filter_is_a_clear_400(client, world, params, field, message, fmt):
    response = client.get(_url("plans", fmt, **params))

    assert response.status_code == 400
    text = response.content.decode()
    if fmt == "json":
        errors = json.loads(text)["errors"]
        assert any(message in m for m in errors[field])
    else:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert f"{field}: " in text
        assert message in text


def test_an_internal_plan_is_refused_like_a_missing_one(client, world):
    internal = world["internal"].pk

    response = client.get(_url("commitments", "csv", plan=internal))

    assert response.status_code == 400
    assert f"No published action plan has the number {internal}." in response.content.decode()


def test_unknown_dataset_or_format_is_404(client, db):
    assert client.get("/open-data/proposals.csv").status_code == 404
    assert client.get("/open-data/plans.xml").status_code == 404


# --- bounded queries, streamed ------------------------------------------------------------


def _many(member, n: int) -> None:
    """n public commitments with a milestone each, and n published decisions linking to
    them, spread over two plans."""
    plans = [
        PlanFactory(member=member, status="implementation"),
        PlanFactory(member=member, status="adopted"),
    ]
    organisation = OrganisationFactory(member=member)
    consultation = _consultation(plans[0], "Ideas")
    for i in range(n):
        commitment = CommitmentFactory(plan=plans[i % 2], ogp_id=f"XV{i + 1:04d}")
        Milestone.objects.create(
            commitment=commitment,
            description=f"Milestone {i}",
            start_date=commitment.start_date,
            due_date=commitment.end_date,
        )
        proposal = _proposal(
            consultation,
            f"Proposal {i}",
            organisation=organisation,
            decision=ProposalStatus.ACCEPTED,
            reason="Yes.",
            published_at=timezone.now(),
        )
        ProposalCommitmentLink.objects.create(proposal=proposal, commitment=commitment)


@pytest.mark.parametrize("n", [5, 200])
@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize(
    ("dataset", "expected"),
    [("plans", 2), ("commitments", None), ("milestones", None), ("decisions", None)],
)
def test_queries_do_not_grow_with_rows(
    client, member, django_assert_max_num_queries, dataset, expected, fmt, n
):
    _many(member, n)

    with django_assert_max_num_queries(3):
        response = client.get(_url(dataset, fmt, member="member-a"))
        rows = _rows(response, fmt)

    assert len(rows) == (expected or n)


def test_rows_are_generated_one_at_a_time(world):
    """The files are written from a generator over the queryset, not from a list built
    first: nothing is read before the first row is asked for."""
    records = opendata_files.rows(opendata.DATASETS["commitments"], opendata.Filters(), "")
    chunks = opendata_files.write_json(records)

    assert next(chunks) == "["
    assert json.loads(next(chunks).lstrip(",\n"))["ogp_id"] == "XV0001"
