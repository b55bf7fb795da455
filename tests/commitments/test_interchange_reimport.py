"""Issue #14, item 6: a re-import updates commitments by OGP ID after a preview ("N new,
M changed, K unchanged"); the same file twice, a double click or two imports at once change
the plan once."""

import csv
import io
import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from commitments.interchange import importing
from commitments.models import Commitment, CommitmentImport, Milestone
from ogp_portal.core.models import AuditEvent
from tests.commitments.test_interchange import (
    commitment_rows,
    confirm,
    csv_bytes,
    export,
    make_plan,
    preview,
    upload,
)


@pytest.fixture
def plan(member):
    return make_plan(member)


def imported(client, plan, count=10):
    """A plan with `count` commitments imported from a file, and its CSV export."""
    response = upload(client, plan, csv_bytes(commitment_rows(count)))
    assert response.status_code == 302
    _response, content = export(client, plan, "csv")
    return content


def edit_csv(content, edit):
    """The exported CSV with `edit(rows)` applied to its rows (dicts by column)."""
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    edit(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def counts(response):
    p = response.context["preview"]
    return len(p.new), len(p.changed), len(p.unchanged)


def test_importing_the_same_file_again_changes_nothing(plan, civil_servant, client_for):
    # given a plan with 10 commitments imported from a file, and the plan's export
    client = client_for(civil_servant)
    content = imported(client, plan)
    assert Commitment.objects.filter(plan=plan).count() == 10

    # when the export is uploaded again
    response = preview(client, plan, content)

    # then the preview says nothing would change and offers no confirmation
    assert response.status_code == 200
    assert counts(response) == (0, 0, 10)
    html = response.content.decode()
    assert "Check before importing: 0 new, 0 changed, 10 unchanged" in html
    assert "Nothing to import" in html
    assert reverse("commitments:commitment-import-confirm", args=[plan.pk]) not in html
    # and uploading it once more still leaves 10 commitments, each at its first version
    upload(client, plan, content)
    assert Commitment.objects.filter(plan=plan).count() == 10
    assert set(Commitment.objects.values_list("version", flat=True)) == {1}


def test_a_re_import_shows_what_changes_and_updates_by_ogp_id_once_confirmed(
    plan, civil_servant, client_for
):
    # given a plan with 10 imported commitments, and its export edited in a spreadsheet:
    # a title changed (XV0003), an end date moved (XV0005), a milestone added (XV0007),
    # and one new row without an OGP ID
    client = client_for(civil_servant)
    content = imported(client, plan)

    def edit(rows):
        rows[2]["title"] = "Beneficial ownership register, with company names"
        rows[4]["end"] = "2025-10-31"
        milestones = json.loads(rows[6]["milestones"])
        milestones.append({**milestones[-1], "description": "Report on the first months"})
        rows[6]["milestones"] = json.dumps(milestones)
        rows.append({**rows[0], "ogp_id": "", "title": "Open budget hearings"})

    edited = edit_csv(content, edit)

    # when uploaded
    response = preview(client, plan, edited)

    # then the preview lists 1 new, 3 changed (with what changes) and 7 unchanged,
    # and nothing is saved yet
    assert response.status_code == 200
    assert counts(response) == (1, 3, 7)
    changed = {row.ogp_id: row.columns for row in response.context["preview"].changed}
    assert changed == {"XV0003": ("title",), "XV0005": ("end",), "XV0007": ("milestones",)}
    html = response.content.decode()
    assert "Check before importing: 1 new, 3 changed, 7 unchanged" in html
    assert "<code>XV0005</code>" in html
    assert "Confirm: add 1, update 3" in html
    assert Commitment.objects.filter(plan=plan).count() == 10
    assert Commitment.objects.get(ogp_id="XV0003").title != rows_title(edited, 2)

    # when they confirm
    response = confirm(client, plan, response)

    # then the changes are applied through the services: new versions, audit events
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "1 commitment was imported." in page
    assert "3 commitments were updated." in page
    assert Commitment.objects.filter(plan=plan).count() == 11
    third = Commitment.objects.get(ogp_id="XV0003")
    assert third.title == "Beneficial ownership register, with company names"
    assert (third.version, third.history.count()) == (2, 2)
    assert str(Commitment.objects.get(ogp_id="XV0005").end_date) == "2025-10-31"
    assert Milestone.objects.filter(commitment__ogp_id="XV0007").count() == 4
    assert Commitment.objects.get(ogp_id="XV0011").title == "Open budget hearings"
    assert Commitment.objects.get(ogp_id="XV0001").version == 1
    edited_events = AuditEvent.objects.filter(action="commitments.commitment.edited")
    assert sorted(e.target_id for e in edited_events) == sorted(
        str(Commitment.objects.get(ogp_id=i).pk) for i in ("XV0003", "XV0005")
    )
    event = AuditEvent.objects.filter(action="commitments.commitment.imported").latest("pk")
    assert event.data == {"count": 1, "updated": 3}

    # when the same edited file is uploaded again, only the row without an OGP ID would
    # be added again, and the preview says which commitment it duplicates
    again = preview(client, plan, edited)
    assert counts(again) == (1, 0, 10)
    assert "XV0011 has the same title" in again.content.decode()


def rows_title(content, index):
    return list(csv.DictReader(io.StringIO(content.decode(), newline="")))[index]["title"]


def test_a_file_with_some_columns_updates_only_those(plan, civil_servant, client_for):
    # given a plan with commitments, and a file with just ogp_id and title
    client = client_for(civil_servant)
    imported(client, plan, 3)
    before = Commitment.objects.get(ogp_id="XV0002")
    data = b"ogp_id,title\nXV0002,Open contracting for all public works\n"

    # when imported
    response = preview(client, plan, data)
    assert counts(response) == (0, 1, 0)
    response = confirm(client, plan, response)

    # then the title changed and nothing else
    assert response.status_code == 302
    after = Commitment.objects.get(ogp_id="XV0002")
    assert after.title == "Open contracting for all public works"
    assert (after.lead_institution, after.end_date, after.policy_area_id) == (
        before.lead_institution,
        before.end_date,
        before.policy_area_id,
    )
    assert after.milestones.count() == before.milestones.count()


def test_a_double_click_on_confirm_imports_once(plan, civil_servant, client_for):
    # given a previewed file of 10 new commitments
    client = client_for(civil_servant)
    response = preview(client, plan, csv_bytes(commitment_rows(10)))

    # when the confirm button is pressed twice
    first, second = confirm(client, plan, response), confirm(client, plan, response)

    # then both land on the plan, the second told it was done already; 10 commitments
    assert (first.status_code, second.status_code) == (302, 302)
    assert "This file was imported already." in client.get(second.url).content.decode()
    assert Commitment.objects.filter(plan=plan).count() == 10


def test_a_preview_confirmed_after_the_plan_changed_is_previewed_again(
    plan, civil_servant, client_for
):
    # given two previews of the same 10 new commitments (two tabs, or two colleagues)
    client = client_for(civil_servant)
    data = csv_bytes(commitment_rows(10))
    first, second = preview(client, plan, data), preview(client, plan, data)

    # when the first is confirmed, then the second
    assert confirm(client, plan, first).status_code == 302
    response = confirm(client, plan, second)

    # then the second imports nothing: 409, a new preview of the plan as it is now, which
    # warns that each row duplicates a commitment now there
    assert response.status_code == 409
    html = response.content.decode()
    assert "The plan&#x27;s commitments changed after your preview" in html
    assert "XV0001 has the same title" in html
    assert Commitment.objects.filter(plan=plan).count() == 10


def test_an_expired_or_someone_elses_preview_is_refused(
    plan, civil_servant, cso_member, client_for, member
):
    client = client_for(civil_servant)
    response = preview(client, plan, csv_bytes(commitment_rows(2)))
    CommitmentImport.objects.update(expires_at="2000-01-01T00:00:00Z")

    response = confirm(client, plan, response)

    assert response.status_code == 400
    assert "This preview has expired" in response.content.decode()
    assert Commitment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_plan_at_once_run_one_after_the_other(
    member, civil_servant, monkeypatch
):
    # given two people's previews of the same 10 new commitments, made before either
    # confirmed (so each says "10 new")
    plan = make_plan(member)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(civil_servant)
    data = csv_bytes(commitment_rows(10))
    previews = [preview(client, plan, data) for client in clients]
    assert [counts(p) for p in previews] == [(10, 0, 0), (10, 0, 0)]

    # and a slow write, so that the two confirmations overlap: the second arrives while
    # the first holds the plan's import lock
    write = importing._write

    def slow_write(*args, **kwargs):
        time.sleep(0.5)
        return write(*args, **kwargs)

    monkeypatch.setattr(importing, "_write", slow_write)

    # when both confirm at the same moment, in two threads
    barrier = threading.Barrier(2)
    statuses = [0, 0]

    def press(index):
        try:
            barrier.wait()
            statuses[index] = confirm(clients[index], plan, previews[index]).status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then the result is one import: 10 commitments, one imported, the other previewed again
    assert sorted(statuses) == [302, 409]
    assert Commitment.objects.filter(plan=plan).count() == 10
    assert AuditEvent.objects.filter(action="commitments.commitment.imported").count() == 1
