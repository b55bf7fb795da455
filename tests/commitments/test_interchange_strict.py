"""Issue #14, item 6: an import reads its file strictly and never half-reads a row; the
round trip export → import keeps every text as it was."""

import csv
import io
import json

import pytest

from commitments.models import Commitment, Milestone
from tests.commitments.test_interchange import (
    add_commitments,
    commitment_rows,
    csv_bytes,
    export,
    make_plan,
    preview,
    problems,
    upload,
)


@pytest.fixture
def plan(member):
    return make_plan(member)


def test_an_unbalanced_quote_is_an_error_naming_the_line_where_it_was_opened(
    plan, civil_servant, client_for
):
    # given 10 commitments where record 7 (line 8, after the header) opens a quote in its
    # title and never closes it; the milestones cells of later rows hold quotes of their own
    text = csv_bytes(commitment_rows(10)).decode()
    lines = text.split("\r\n")
    title = commitment_rows(10)[6]["title"]
    assert lines[7].count(f",{title},") == 1
    lines[7] = lines[7].replace(f",{title},", f',"{title},', 1)

    # when uploaded
    response = upload(client_for(civil_servant), plan, "\r\n".join(lines).encode())

    # then the page names line 8 and says what is wrong, and nothing is imported
    assert response.status_code == 400
    assert problems(response) == {(8, "")}
    assert "quote" in response.context["row_errors"][0].message
    assert Commitment.objects.count() == 0


def test_a_quote_that_closes_lines_later_does_not_merge_rows(plan, civil_servant, client_for):
    # given a file without other quotes, where line 3 opens a quote that a stray quote on
    # line 5 closes cleanly at the end of a cell: a lenient reader makes lines 3 to 5 one row
    header = "title,lead_institution,summary,start,end"
    lines = [header] + [f"Commitment {n},Ministry,Short.,2024-02-01,2024-12-31" for n in range(6)]
    lines[2] = 'Commitment 1,"Ministry,Short.,2024-02-01,2024-12-31'
    lines[4] = 'Commitment 3,Ministry,Short.,2024-02-01",2024-12-31'
    # (a lenient reader reads lines 3 to 5 as one row of five cells: the right number)

    # when uploaded
    response = upload(client_for(civil_servant), plan, "\n".join(lines).encode())

    # then line 3 is named; nothing is imported
    assert response.status_code == 400
    assert problems(response) == {(3, "")}
    assert "quote" in response.context["row_errors"][0].message
    assert Commitment.objects.count() == 0


def test_a_line_with_fewer_cells_than_the_header_is_an_error(plan, civil_servant, client_for):
    data = b"title,lead_institution,summary\nOpen data,Ministry,Short.\nLobbying register\n"

    response = upload(client_for(civil_servant), plan, data)

    assert response.status_code == 400
    assert problems(response) == {(3, "")}
    assert "This line has 1 cells; the first line has 3." in response.content.decode()
    assert Commitment.objects.count() == 0


def test_a_nul_byte_is_refused_with_a_message(plan, civil_servant, client_for):
    # given a CSV file with a NUL byte in line 3 (PostgreSQL would refuse it with a 500)
    data = csv_bytes(commitment_rows(3))
    lines = data.split(b"\r\n")
    lines[2] = lines[2].replace(b"Open contracting", b"Open\x00contracting")

    # when uploaded
    response = upload(client_for(civil_servant), plan, b"\r\n".join(lines))

    # then the form says where and why, and nothing is imported
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["file"])
    assert "Line 3 of the file holds a NUL character" in message
    assert "NUL character" in response.content.decode()
    assert Commitment.objects.count() == 0


def test_a_nul_escape_in_json_is_refused_with_a_message(plan, civil_servant, client_for):
    rows = commitment_rows(2)
    rows[1]["title"] = "Open\u0000data"

    response = upload(client_for(civil_servant), plan, json.dumps(rows).encode(), "c.json")

    assert response.status_code == 400
    assert "Commitment 2 holds a NUL character" in " ".join(response.context["form"].errors["file"])
    assert Commitment.objects.count() == 0


TRICKY_TITLES = [
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "=1+1",
    "'=1+1",
    "-5 % of paper forms",
    "  Two leading spaces",
    "@mentions in public consultations",
]


def test_leading_whitespace_and_formula_marks_survive_the_round_trip(
    member, other_member, other_member_civil_servant, client, client_for
):
    # given a published plan whose commitments have titles a spreadsheet would run as a
    # formula, or that begin with a tab, a carriage return or spaces
    source = make_plan(member, status="implementation")
    originals = add_commitments(source, len(TRICKY_TITLES))
    for commitment, title in zip(originals, TRICKY_TITLES, strict=True):
        Commitment.objects.filter(pk=commitment.pk).update(title=title)
    Milestone.objects.filter(commitment=originals[0]).update(description="\t=SUM(A1:A9)")
    target = make_plan(other_member, sequence_no=1)

    # when the plan is exported as CSV: no cell starts as a formula
    response, content = export(client, source, "csv")
    exported = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    title_column = exported[0].index("title")
    assert [row[title_column] for row in exported[1:]] == [
        "'\t=1+1", "'\r=1+1", " =1+1", "'=1+1", "''=1+1", "'-5 % of paper forms",
        "  Two leading spaces", "'@mentions in public consultations",
    ]  # fmt: skip

    # and that file is imported into another plan
    response = upload(client_for(other_member_civil_servant), target, content, name="x.csv")

    # then every title and milestone text is exactly the original, whitespace included
    assert response.status_code == 302
    copied = Commitment.objects.filter(plan=target).order_by("position")
    assert [c.title for c in copied] == TRICKY_TITLES
    assert copied[0].milestones.first().description == "\t=SUM(A1:A9)"


def test_the_tricky_titles_re_imported_into_their_own_plan_are_unchanged(
    member, civil_servant, client_for
):
    # given a plan in drafting with the tricky titles, and a withdrawn commitment
    plan = make_plan(member)
    commitments = add_commitments(plan, len(TRICKY_TITLES) + 1)
    for commitment, title in zip(commitments, TRICKY_TITLES, strict=False):
        Commitment.objects.filter(pk=commitment.pk).update(title=title)
    Commitment.objects.filter(pk=commitments[-1].pk).update(status="withdrawn")
    client = client_for(civil_servant)

    # when its export is uploaded into the same plan
    _response, content = export(client, plan, "csv")
    response = preview(client, plan, content)

    # then nothing would change
    assert response.status_code == 200
    result = response.context["preview"]
    assert (len(result.new), len(result.changed)) == (0, 0)
    assert len(result.unchanged) == len(TRICKY_TITLES) + 1
