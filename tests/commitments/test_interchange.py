"""Importing commitments from CSV/JSON files and exporting them, through the pages."""

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.interchange import COLUMNS
from commitments.models import Commitment, Milestone
from ogp_portal.core.models import AuditEvent
from ogp_portal.core.translations import translations_save
from plans.models import ActionPlan, PolicyArea

# The interchange schema of ogp-domain.md §5, in its order.
SCHEMA_COLUMNS = [
    "ogp_id", "member_iso2", "plan_period", "title", "brief_description", "problem", "causes",
    "solution", "expected_results", "lead_institution", "support_gov", "support_cso",
    "support_other", "policy_areas", "values_flags", "start", "end", "milestones", "status",
    "irm_verifiable", "irm_lens", "irm_potential_for_results", "irm_completion",
    "irm_early_results", "legacy_specificity", "legacy_potential_impact", "legacy_dig",
    "starred",
]  # fmt: skip

AREAS = ["Anti-Corruption", "Digital Governance", "Access to Justice", "Fiscal Openness"]

SUBJECTS = [
    ("Beneficial ownership register", "Ministry of Justice", "Anti-Corruption"),
    ("Open contracting for public works", "Public Procurement Agency", "Fiscal Openness"),
    ("Publication of court decisions", "Judicial Council", "Access to Justice"),
    ("Citizens' budget", "Ministry of Finance", "Fiscal Openness"),
    ("Open data portal for municipalities", "Digital Agency", "Digital Governance"),
    ("Asset declarations of senior officials online", "Anti-Corruption Agency", "Anti-Corruption"),
    ("Free legal aid hotline", "Ministry of Justice", "Access to Justice"),
    ("Lobbying register", "Parliament Secretariat", "Anti-Corruption"),
    ("Participatory budgeting in five cities", "Association of Municipalities", "Fiscal Openness"),
    ("Accessible e-services for persons with disabilities", "Digital Agency", "Digital Governance"),
    ("Whistleblower protection guidance", "Anti-Corruption Agency", "Anti-Corruption"),
    ("Open extractive industry payments", "Ministry of Mining", "Fiscal Openness"),
    ("Plain-language court summonses", "Judicial Council", "Access to Justice"),
    ("Algorithm register for public services", "Digital Agency", "Digital Governance"),
    ("Publication of public health procurement", "Ministry of Health", "Fiscal Openness"),
    ("Open parliament committee hearings", "Parliament Secretariat", "Anti-Corruption"),
    ("Right to information training", "Information Commissioner", "Access to Justice"),
    ("Digital identity with privacy safeguards", "Digital Agency", "Digital Governance"),
    ("Public audit follow-up tracker", "Supreme Audit Institution", "Fiscal Openness"),
    ("Open land registry", "Cadastre Agency", "Access to Justice"),
]  # fmt: skip

VALUES = [
    "access_to_information|civic_participation",
    "transparency",  # the older name of access to information
    "public_accountability|technology_innovation",
    "civic_participation",
]


def make_plan(member, *, sequence_no=4, status="drafting", areas=AREAS):
    plan = ActionPlan.objects.create(
        member=member,
        sequence_no=sequence_no,
        title=f"{member.name} Action Plan 2024–2025",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31),
        status=status,
    )
    for position, name in enumerate(areas):
        PolicyArea.objects.create(plan=plan, name=name, position=position)
    return plan


@pytest.fixture
def plan(member):
    return make_plan(member)


def milestones_for(subject, lead, n):
    data = [
        {
            "description": f"Consult users and civil society on the {subject.lower()}",
            "expected_output": "Consultation report published online",
            "start": "2024-02-01",
            "end": "2024-05-31",
            "responsible": f"{lead} with partner CSOs",
            "status": "not_started",
        },
        {
            "description": f"Launch the {subject.lower()}",
            "expected_output": "Service live and announced",
            "start": "2024-06-01",
            "due": "2025-03-31",  # "due" is accepted for "end"
            "responsible": lead,
            "status": "not_started",
        },
    ]
    if n % 3 == 0:
        data.append(
            {
                "description": "Independent review of the first year",
                "expected_output": "Review report",
                "start": "2025-04-01",
                "end": "2025-11-30",
                "responsible": "Open government forum",
                "status": "not_started",
            }
        )
    return data


def commitment_rows(count=20):
    """Rows as a member would prepare them: real-looking text, milestones, values, areas."""
    rows = []
    for n in range(count):
        subject, lead, area = SUBJECTS[n % len(SUBJECTS)]
        description = (
            f"The {subject.lower()} will be designed together with civil society and "
            "published as open data, so that journalists, watchdogs and citizens can see "
            "who is responsible, follow decisions from start to finish and report problems. "
        ) * 3
        rows.append(
            {
                "ogp_id": "",
                "member_iso2": "XV",
                "plan_period": "2024-01-01/2025-12-31",
                "title": subject,
                # Every fourth row leaves the summary to the brief description.
                "summary": "" if n % 4 == 0 else f"Make the {subject.lower()} public and usable.",
                "brief_description": description.strip(),
                "problem": "Information is scattered across offices and hard to obtain.",
                "causes": "No legal duty to publish; paper-based procedures.",
                "solution": f"Create and maintain the {subject.lower()}.",
                "expected_results": "Fewer information requests; more public scrutiny.",
                "lead_institution": lead,
                "support_gov": "Ministry of Public Administration",
                "support_cso": "Transparency Watch; Open Data Collective",
                "support_other": "",
                # Policy area names match whatever the capitals.
                "policy_areas": area.lower() if n % 2 else area,
                "values_flags": VALUES[n % len(VALUES)],
                "start": "2024-01-15",
                "end": "2025-11-30",
                "milestones": milestones_for(subject, lead, n),
                "status": "",
                "irm_verifiable": "Yes" if n % 5 == 0 else "",
                "irm_lens": "",
                "irm_potential_for_results": "Substantial" if n % 5 == 0 else "",
                "irm_completion": "",
                "irm_early_results": "",
                "legacy_specificity": "",
                "legacy_potential_impact": "",
                "legacy_dig": "",
                "starred": "",
            }
        )
    return rows


def csv_bytes(rows, delimiter=",", bom=False):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    for row in rows:
        milestones = row["milestones"]
        if not isinstance(milestones, str):
            milestones = json.dumps(milestones)
        writer.writerow({**row, "milestones": milestones})
    return (out.getvalue()).encode("utf-8-sig" if bom else "utf-8")


def preview(client, plan, data, name="commitments.csv"):
    """Upload a file: the page shows what importing it would do (or its problems)."""
    url = reverse("commitments:commitment-import", args=[plan.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def confirm(client, plan, response):
    """Press the confirm button of a preview page."""
    token = response.context["preview"].token
    url = reverse("commitments:commitment-import-confirm", args=[plan.pk])
    return client.post(url, {"token": str(token)})


def upload(client, plan, data, name="commitments.csv"):
    """Upload a file and confirm its preview, as a person importing it does."""
    response = preview(client, plan, data, name)
    if response.status_code == 200 and response.context["preview"].has_changes:
        return confirm(client, plan, response)
    return response


def export(client, plan, fmt, **params):
    url = reverse("commitments:commitment-export", args=[plan.pk, fmt])
    response = client.get(url, params)
    if response.status_code != 200:
        return response, None
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, response.content


def problems(response):
    return {(error.line, error.column) for error in response.context["row_errors"]}


def assert_imported_as_prepared(plan, rows):
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .select_related("policy_area")
        .prefetch_related("milestones")
        .order_by("position")
    )
    assert [c.ogp_id for c in commitments] == [f"XV{n:04d}" for n in range(1, len(rows) + 1)]
    assert all(re.fullmatch(r"[A-Z]{2}\d{4}", c.ogp_id) for c in commitments)
    for commitment, row in zip(commitments, rows, strict=True):
        assert commitment.title == row["title"]
        assert commitment.lead_institution == row["lead_institution"]
        assert commitment.support_civil_society == row["support_cso"]
        assert commitment.policy_area.name.lower() == row["policy_areas"].lower()
        assert (commitment.start_date, commitment.end_date) == (
            dt.date(2024, 1, 15),
            dt.date(2025, 11, 30),
        )
        flags = set(row["values_flags"].replace("transparency", "access_to_information").split("|"))
        assert {
            name
            for name in (
                "access_to_information",
                "civic_participation",
                "public_accountability",
                "technology_innovation",
            )
            if getattr(commitment, name)
        } == flags
        milestones = list(commitment.milestones.all())
        assert [m.description for m in milestones] == [m["description"] for m in row["milestones"]]
        assert milestones[1].due_date == dt.date(2025, 3, 31)
        assert milestones[0].responsible_actors == row["milestones"][0]["responsible"]
        if row["summary"]:
            assert commitment.summary == row["summary"]
        else:
            # The start of the brief description, cut at a word boundary.
            assert 0 < len(commitment.summary) <= 280
            assert row["brief_description"].startswith(commitment.summary)
            assert row["brief_description"][len(commitment.summary)] == " "
        if row["irm_verifiable"]:
            assert commitment.irm_assessment == {
                "irm_verifiable": "Yes",
                "irm_potential_for_results": "Substantial",
            }
        else:
            assert commitment.irm_assessment == {}


def test_a_csv_file_of_20_commitments_is_imported_completely(plan, civil_servant, client_for):
    # given a member's civil servant and a CSV file of 20 commitments
    client = client_for(civil_servant)
    rows = commitment_rows(20)

    # when they upload it on the import page
    response = upload(client, plan, csv_bytes(rows))

    # then they land on the plan page, told how many commitments were imported
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    page = client.get(response.url)
    assert "20 commitments were imported." in page.content.decode()
    # and all 20 are there with new OGP IDs, their milestones, values and policy areas
    assert_imported_as_prepared(plan, rows)
    assert Milestone.objects.filter(commitment__plan=plan).count() == sum(
        len(r["milestones"]) for r in rows
    )
    event = AuditEvent.objects.get(action="commitments.commitment.imported")
    assert (event.target_id, event.data) == (str(plan.pk), {"count": 20, "updated": 0})


def test_the_same_commitments_as_json_are_imported_completely(plan, civil_servant, client_for):
    # given the same 20 commitments as a JSON list, milestones as real lists
    client = client_for(civil_servant)
    rows = commitment_rows(20)
    data = json.dumps(rows, ensure_ascii=False).encode()

    # when uploaded
    response = upload(client, plan, data, name="commitments.json")

    # then all are imported
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert_imported_as_prepared(plan, rows)


def test_a_semicolon_separated_csv_with_a_byte_order_mark_is_read(plan, civil_servant, client_for):
    # given a file as a European spreadsheet program saves it ("CSV UTF-8", semicolons)
    rows = commitment_rows(3)
    rows[0]["title"] = "Registre des bénéficiaires effectifs; données ouvertes"

    # when uploaded
    response = upload(client_for(civil_servant), plan, csv_bytes(rows, delimiter=";", bom=True))

    # then the columns and the accents are read right
    assert response.status_code == 302
    assert Commitment.objects.filter(plan=plan).first().title == rows[0]["title"]


def test_a_file_with_problems_lists_each_with_its_line_and_imports_nothing(
    plan, civil_servant, client_for
):
    # given a 10-row CSV file (header = line 1) with a problem on lines 3, 5, 7 and 9
    rows = commitment_rows(10)
    rows[1]["end"] = "2026-06-30"  # line 3: after the plan period
    rows[3]["policy_areas"] = "Space Exploration"  # line 5: not a policy area of the plan
    rows[5]["milestones"] = '[{description: "Launch"}]'  # line 7: not JSON
    rows[7]["title"] = ""  # line 9: no title

    # when uploaded
    response = upload(client_for(civil_servant), plan, csv_bytes(rows))

    # then the page answers 400 and lists each problem by line and column
    assert response.status_code == 400
    assert problems(response) == {(3, "end"), (5, "policy_areas"), (7, "milestones"), (9, "title")}
    html = response.content.decode()
    assert "<caption>Problems found in the file</caption>" in html
    for line in (3, 5, 7, 9):
        assert f'<th scope="row">{line}</th>' in html
    assert "This plan has no policy area “Space Exploration”" in html
    # and nothing was imported
    assert Commitment.objects.count() == 0
    assert Milestone.objects.count() == 0


def test_a_problem_found_only_while_creating_rolls_back_everything(plan, civil_servant, client_for):
    # given a file whose 4th commitment has a milestone ending after the commitment ends
    # (the model checks that against the saved commitment, so only during creation)
    rows = commitment_rows(5)
    rows[3]["milestones"][1]["due"] = "2025-12-15"

    # when uploaded
    response = upload(client_for(civil_servant), plan, csv_bytes(rows))

    # then the problem is reported on its line, and the three rows before it are not kept
    assert response.status_code == 400
    assert problems(response) == {(5, "milestones")}
    assert "Milestone 2:" in response.content.decode()
    assert Commitment.objects.count() == 0
    assert Milestone.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="commitments.").exists()


def _oversized():
    header = ",".join(COLUMNS) + "\n"
    return (header + "x" * (2 * 1024 * 1024)).encode()


def _too_many_rows():
    return csv_bytes([{"title": f"Commitment {n}", "milestones": []} for n in range(1001)])


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "file is empty"),
        ("blank.csv", b"\xef\xbb\xbf \n\n", "The file is empty."),
        ("header-only.csv", ",".join(COLUMNS).encode(), "no commitments"),
        ("latin1.csv", "title,lead_institution\nRéforme,Ministère\n".encode("latin-1"), "UTF-8"),
        ("big.csv", _oversized(), "larger than 2 MB"),
        ("many.csv", _too_many_rows(), "at most 1,000 commitments; this one has 1,001"),
        ("broken.json", b'[{"title": "Open data", }', "not valid JSON"),
        ("object.json", b'{"title": "Open data"}', "list of commitments"),
    ],
)
def test_an_unreadable_file_gives_one_clear_error(
    plan, civil_servant, client_for, name, data, message
):
    # given a file that cannot be read as commitments
    # when uploaded
    response = upload(client_for(civil_servant), plan, data, name=name)

    # then the page says why, next to the upload field, and nothing is imported
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert Commitment.objects.count() == 0


def test_an_unknown_column_is_reported_on_line_1(plan, civil_servant, client_for):
    # given a CSV file with a misspelt column name
    rows = [{**row, "tittle": row.pop("title")} for row in commitment_rows(2)]

    # when uploaded
    response = upload(client_for(civil_servant), plan, csv_bytes(rows))

    # then the header line is blamed
    assert response.status_code == 400
    assert (1, "tittle") in problems(response)


def test_the_import_page_explains_the_columns(plan, civil_servant, client_for):
    # when a civil servant opens the import page
    response = client_for(civil_servant).get(
        reverse("commitments:commitment-import", args=[plan.pk])
    )

    # then it explains every column, links an example file and offers the upload field
    html = response.content.decode()
    assert response.status_code == 200
    for column in COLUMNS:
        assert f'<th scope="row"><code>{column}</code></th>' in html
    assert reverse("commitments:commitment-export", args=[plan.pk, "csv"]) in html
    assert 'accept=".csv,.json' in html
    assert "importing the same file again changes nothing" in html


def add_commitments(plan, count, *, milestones=2):
    """Commitments written straight to the database (fast; the services are tested above)."""
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            ogp_id=f"{plan.member.iso_code}{plan.pk % 10}{n:03d}",
            position=n,
            title=SUBJECTS[n % len(SUBJECTS)][0],
            summary="A short summary.",
            lead_institution=SUBJECTS[n % len(SUBJECTS)][1],
            policy_area=plan.policy_areas.get(name=SUBJECTS[n % len(SUBJECTS)][2]),
            start_date=dt.date(2024, 2, 1),
            end_date=dt.date(2025, 10, 31),
            access_to_information=True,
            technology_innovation=n % 2 == 0,
            irm_assessment={"starred": "Yes"} if n == 0 else {},
        )
        for n in range(count)
    )
    Milestone.objects.bulk_create(
        Milestone(
            commitment=commitment,
            position=k,
            description=f"Step {k + 1} of {commitment.title}",
            start_date=dt.date(2024, 3, 1),
            due_date=dt.date(2025, 6, 30),
            responsible_actors=commitment.lead_institution,
        )
        for commitment in commitments
        for k in range(milestones)
    )
    return commitments


def test_an_exported_csv_imports_into_another_members_plan(
    member, other_member, other_member_civil_servant, client, client_for
):
    # given a published plan with commitments, and a plan of another member with the same
    # policy area names
    source = make_plan(member, status="implementation")
    add_commitments(source, 4)
    target = make_plan(other_member, sequence_no=1)

    # when anyone exports the first plan as CSV
    response, content = export(client, source, "csv")

    # then they get a UTF-8 file with a byte order mark, named after the member and plan
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="XV-plan-4-en.csv"'
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS)

    # when the other member's civil servant imports that file
    response = upload(client_for(other_member_civil_servant), target, content, name="x.csv")

    # then the same commitments exist in the other plan, with new IDs
    assert response.status_code == 302
    copied = Commitment.objects.filter(plan=target).prefetch_related("milestones")
    originals = Commitment.objects.filter(plan=source).prefetch_related("milestones")
    assert [c.title for c in copied] == [c.title for c in originals]
    assert [c.policy_area.name for c in copied] == [c.policy_area.name for c in originals]
    assert [c.technology_innovation for c in copied] == [c.technology_innovation for c in originals]
    assert [
        [(m.description, m.start_date, m.due_date) for m in c.milestones.all()] for c in copied
    ] == [
        [(m.description, m.start_date, m.due_date) for m in c.milestones.all()] for c in originals
    ]
    assert copied[0].irm_assessment == {"starred": "Yes"}
    assert not {c.ogp_id for c in copied} & {c.ogp_id for c in originals}


def test_the_json_export_has_the_schema_columns_and_real_milestone_lists(member, client):
    # given a published plan with commitments
    plan = make_plan(member, status="implementation")
    add_commitments(plan, 2, milestones=3)

    # when exported as JSON
    response, content = export(client, plan, "json")

    # then it is a list of rows with the §5 columns (plus the summary) in order
    rows = json.loads(content)
    assert response["Content-Disposition"] == 'attachment; filename="XV-plan-4-en.json"'
    assert len(rows) == 2
    assert list(rows[0]) == COLUMNS_WITH_SUMMARY
    assert [c for c in rows[0] if c != "summary"] == SCHEMA_COLUMNS
    assert rows[0]["member_iso2"] == "XV"
    assert rows[0]["plan_period"] == "2024-01-01/2025-12-31"
    assert rows[0]["starred"] == "Yes"
    assert rows[1]["values_flags"] == "access_to_information"
    assert isinstance(rows[0]["milestones"], list)
    assert rows[0]["milestones"][2] == {
        "description": "Step 3 of Beneficial ownership register",
        "expected_output": "",
        "start": "2024-03-01",
        "end": "2025-06-30",
        "responsible": "Ministry of Justice",
        "status": "not_started",
    }


COLUMNS_WITH_SUMMARY = [*SCHEMA_COLUMNS[:4], "summary", *SCHEMA_COLUMNS[4:]]


def test_an_export_in_another_language_uses_translations_where_they_exist(member, client):
    # given a plan written in English, one commitment and one milestone translated to French
    plan = make_plan(member, status="implementation")
    first, second = add_commitments(plan, 2)
    translations_save(first, "fr", {"title": "Registre des bénéficiaires effectifs"})
    translations_save(first.milestones.first(), "fr", {"description": "Première étape"})
    translations_save(first.policy_area, "fr", {"name": "Lutte contre la corruption"})

    # when exported with ?lang=fr
    response, content = export(client, plan, "json", lang="fr")

    # then French text is used where it exists and the English original elsewhere
    rows = json.loads(content)
    assert response["Content-Disposition"] == 'attachment; filename="XV-plan-4-fr.json"'
    assert rows[0]["title"] == "Registre des bénéficiaires effectifs"
    assert rows[0]["milestones"][0]["description"] == "Première étape"
    assert rows[0]["milestones"][1]["description"] == "Step 2 of Beneficial ownership register"
    assert rows[0]["policy_areas"] == "Lutte contre la corruption"
    assert rows[1]["title"] == second.title
    assert rows[1]["policy_areas"] == "Fiscal Openness"
    # and the default is the plan's own language
    _response, content = export(client, plan, "json")
    assert json.loads(content)[0]["title"] == first.title


@pytest.mark.parametrize("outsider", ["other_member_civil_servant", "cso_member"])
def test_people_outside_the_members_government_cannot_import(plan, outsider, client_for, request):
    # given someone who is not a civil servant of the plan's member
    client = client_for(request.getfixturevalue(outsider))
    url = reverse("commitments:commitment-import", args=[plan.pk])

    # when they open the import page or post a file
    get = client.get(url)
    post = upload(client, plan, csv_bytes(commitment_rows(2)))

    # then both are refused and nothing is imported
    assert (get.status_code, post.status_code) == (403, 403)
    assert Commitment.objects.count() == 0


def test_a_draft_plan_of_another_member_is_not_found_on_the_import_page(
    member, other_member_civil_servant, client_for
):
    # given a plan still in planning (an internal draft)
    plan = make_plan(member, status="planning")

    # when another member's civil servant opens its import page
    response = client_for(other_member_civil_servant).get(
        reverse("commitments:commitment-import", args=[plan.pk])
    )

    # then the plan does not exist for them
    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(plan, client):
    # when an anonymous visitor opens the import page or posts a file
    url = reverse("commitments:commitment-import", args=[plan.pk])
    get = client.get(url)
    post = upload(client, plan, csv_bytes(commitment_rows(2)))

    # then they are sent to sign in first, and nothing is imported
    for response in (get, post):
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert Commitment.objects.count() == 0


def test_a_draft_plan_is_exported_only_to_its_insiders(member, citizen, civil_servant, client_for):
    # given a plan still in planning, with a commitment
    plan = make_plan(member, status="planning")
    add_commitments(plan, 1)

    # when a citizen asks for its export, it does not exist for them
    response, _content = export(client_for(citizen), plan, "csv")
    assert response.status_code == 404

    # when the member's civil servant asks, they get it
    response, content = export(client_for(civil_servant), plan, "csv")
    assert response.status_code == 200
    assert "Beneficial ownership register" in content.decode("utf-8-sig")


def test_an_unknown_export_format_is_not_found(member, client):
    plan = make_plan(member, status="implementation")

    response = client.get(f"/commitments/export/{plan.pk}.xml")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_the_export_costs_the_same_few_queries_for_5_or_50_commitments(
    member, client, django_assert_max_num_queries, count, fmt
):
    # given a published plan with some translated commitments and milestones
    plan = make_plan(member, status="implementation")
    commitments = add_commitments(plan, count, milestones=3)
    translations_save(commitments[0], "fr", {"title": "Registre"})

    # when exported in French, the number of queries does not grow with the commitments
    with django_assert_max_num_queries(8):
        response, content = export(client, plan, fmt, lang="fr")

    assert response.status_code == 200
    assert content.count(b"Step 3 of") == count
