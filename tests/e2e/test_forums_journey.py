"""The forum from set-up to public minutes, in a real browser.

The secretariat sets up a forum (5 government and 5 civil-society seats) and opens a
selection round; three verified CSOs nominate and vote; the secretariat publishes the
results; a civil servant schedules a meeting, records attendance and publishes minutes with
two decisions; a citizen reads the minutes and the repository. axe runs on every main page.

People sign in by session cookie (django.test.Client.force_login). The round's windows are
real times typed through the form; between steps the test moves the round's times in the
database (nominations closed and voting open, then voting closed) instead of the clock,
because the live server runs on the real clock.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import dateformat, timezone

from forums.models import Ballot, Forum, ForumMeeting, SelectionRound
from ogp_portal.organisations.choices import OrganisationKind
from records.models import RepositoryDocument
from tests.factories import OrganisationFactory, UserFactory, join

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROUND_TITLE = "Civil-society seats 2027–2028"
DECISIONS = ["Legal aid data goes open every quarter.", "The next review is in March."]


def local(member, when):
    """A datetime as the member's datetime-local input expects it."""
    return timezone.localtime(when, zoneinfo.ZoneInfo(member.time_zone)).strftime("%Y-%m-%dT%H:%M")


def main(page):
    return page.locator("main")


def flash(page):
    return page.locator(".messages").inner_text()


def move_round(selection_round, *, voting_open):
    """Move the windows so that voting is open now (or has just closed)."""
    now = timezone.now()
    hour = dt.timedelta(hours=1)
    if voting_open:
        times = (now - 5 * hour, now - 3 * hour, now - 2 * hour, now + 2 * hour)
    else:
        times = (now - 5 * hour, now - 4 * hour, now - 3 * hour, now - hour)
    SelectionRound.objects.filter(pk=selection_round.pk).update(
        nominations_open_at=times[0],
        nominations_close_at=times[1],
        voting_open_at=times[2],
        voting_close_at=times[3],
    )


@pytest.fixture
def three_csos(member, cso, cso_member):
    reps = [(cso_member, cso)]
    for org_name, person in (("Budget Watch", "Bea Budget"), ("Legal Aid Now", "Lars Legal")):
        org = OrganisationFactory(name=org_name, member=member, kind=OrganisationKind.CSO)
        user = UserFactory(name=person, email=f"{person.split()[0].lower()}@example.org")
        join(user, org, is_admin=True)
        reps.append((user, org))
    cso_member.name = "Cora Watchdog"
    cso_member.save()
    return reps


def test_forum_journey(page, live_server, member, secretariat, civil_servant, citizen, three_csos):
    # --- the secretariat sets up the forum --------------------------------------------------
    sign_in(page, live_server, secretariat)
    page.goto("/forums/")
    main(page).get_by_role("link", name="Set up a forum").click()
    page.wait_for_url("**/forums/new/")
    assert_no_serious_axe_violations(page)
    form = main(page).locator("form")
    form.locator("select[name=member]").select_option(label=member.name)
    form.locator("input[name=name]").fill("Open Government Forum of A")
    form.locator("textarea[name=mandate]").fill("Co-create and monitor the action plan.")
    form.locator("textarea[name=rules_of_participation]").fill(
        "Five seats for government, five for civil society chosen by civil society."
    )
    form.locator("input[name=seats_government]").fill("5")
    form.locator("input[name=seats_civil_society]").fill("5")
    form.get_by_role("button", name="Set up the forum").click()
    page.wait_for_url(f"**/forums/{member.slug}/")
    assert "The forum is set up." in flash(page)
    forum = Forum.objects.get(member=member)
    assert_no_serious_axe_violations(page)

    # --- ... and opens a selection round -----------------------------------------------------
    main(page).get_by_role("link", name="Open a selection round").click()
    assert_no_serious_axe_violations(page)
    now = timezone.now()
    form = main(page).locator("form")
    form.locator("input[name=title]").fill(ROUND_TITLE)
    form.locator("input[name=seats]").fill("2")
    form.locator("input[name=nominations_open_at]").fill(local(member, now - dt.timedelta(hours=1)))
    form.locator("input[name=nominations_close_at]").fill(local(member, now + dt.timedelta(days=7)))
    form.locator("input[name=voting_open_at]").fill(local(member, now + dt.timedelta(days=8)))
    form.locator("input[name=voting_close_at]").fill(local(member, now + dt.timedelta(days=15)))
    form.locator("input[name=term_starts_on]").fill(
        (now + dt.timedelta(days=30)).date().isoformat()
    )
    form.locator("input[name=term_ends_on]").fill((now + dt.timedelta(days=760)).date().isoformat())
    form.get_by_role("button", name="Open the round").click()
    page.wait_for_url(re.compile(r"/forums/rounds/\d+/$"))
    assert "The selection round is open." in flash(page)
    selection_round = SelectionRound.objects.get(forum=forum)
    round_url = f"/forums/rounds/{selection_round.pk}/"

    # --- three CSOs nominate one of their own ------------------------------------------------
    for user, org in three_csos:
        sign_in(page, live_server, user)
        page.goto(round_url)
        form = main(page).locator("form[action$='/nominate/']")
        form.locator("select[name=organisation]").select_option(label=org.name)
        form.locator("select[name=candidate]").select_option(label=user.name)
        form.locator("textarea[name=statement]").fill(f"{user.name} for {org.name}.")
        form.get_by_role("button", name="Nominate").click()
        page.wait_for_url(f"**{round_url}")
        assert f"{user.name} is nominated." in flash(page)
    assert_no_serious_axe_violations(page)
    assert selection_round.nominations.count() == 3

    # --- voting opens: each CSO casts one ballot (up to 2 candidates) ------------------------
    move_round(selection_round, voting_open=True)
    # Bea 3 votes, Cora 2, Lars 1.
    choices = [
        ("Cora Watchdog", "Bea Budget"),
        ("Bea Budget", "Cora Watchdog"),
        ("Bea Budget", "Lars Legal"),
    ]
    for (user, org), picks in zip(three_csos, choices, strict=True):
        sign_in(page, live_server, user)
        page.goto(round_url)
        # No running totals while the vote is open.
        assert "Ballots cast" not in main(page).inner_text()
        form = main(page).locator("form[action$='/vote/']")
        form.locator("select[name=organisation]").select_option(label=org.name)
        for name in picks:
            form.get_by_label(f"{name} (", exact=False).check()
        form.get_by_role("button", name="Cast the ballot").click()
        page.wait_for_url(f"**{round_url}")
        assert "ballot is cast" in flash(page)
    assert_no_serious_axe_violations(page)
    # The results address shows nothing before closing.
    page.goto(f"{round_url}results/")
    assert "The counts are shown once voting has closed." in flash(page)
    assert "Votes per candidate" not in main(page).inner_text()
    assert Ballot.objects.filter(round=selection_round).count() == 3

    # --- voting closes: the secretariat publishes the results --------------------------------
    move_round(selection_round, voting_open=False)
    sign_in(page, live_server, secretariat)
    page.goto(f"{round_url}results/")
    assert_no_serious_axe_violations(page)
    main(page).get_by_role("button", name="Publish the results and seat the elected").click()
    page.wait_for_url(f"**{round_url}results/")
    assert "The results are published." in flash(page)
    rows = main(page).locator("table tbody tr")
    cells = [c.strip() for c in rows.nth(0).locator("th, td").all_inner_texts()]
    # (Budget Watch is verified: its name carries the "Verified" badge)
    assert cells == ["Bea Budget", "Budget Watch Verified", "3", "Elected"]
    assert "Elected" in rows.nth(0).inner_text()
    assert "Elected" in rows.nth(1).inner_text()
    assert "Not elected" in rows.nth(2).inner_text()
    assert forum.seats.filter(selection_round=selection_round).count() == 2

    # --- a civil servant schedules a meeting, records attendance, publishes minutes ----------
    sign_in(page, live_server, civil_servant)
    page.goto(f"/forums/{member.slug}/")
    main(page).get_by_role("link", name="Schedule a meeting").click()
    assert_no_serious_axe_violations(page)
    form = main(page).locator("form")
    form.locator("input[name=title]").fill("Implementation review, autumn")
    form.locator("select[name=kind]").select_option("implementation_review_with_cso")
    starts_at = timezone.now() - dt.timedelta(hours=2)
    form.locator("input[name=starts_at]").fill(local(member, starts_at))
    form.locator("input[name=location]").fill("Government House, room 2")
    form.locator("textarea[name=agenda]").fill("1. Progress on legal aid\n2. Next review")
    form.get_by_role("button", name="Schedule the meeting").click()
    page.wait_for_url(re.compile(r"/forums/meetings/\d+/$"))
    meeting = ForumMeeting.objects.get(forum=forum)
    meeting_url = f"/forums/meetings/{meeting.pk}/"
    assert_no_serious_axe_violations(page)

    form = main(page).locator("form[action$='/attendance/']")
    form.get_by_label("Government").fill("5")
    form.get_by_label("Civil society").fill("4")
    form.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "Attendance recorded." in flash(page)
    for text in DECISIONS:
        form = main(page).locator("form[action$='/decisions/']")
        form.locator("textarea[name=text]").fill(text)
        form.get_by_role("button", name="Add the decision").click()
        page.wait_for_url(f"**{meeting_url}")
        assert "Decision recorded." in flash(page)
    form = main(page).locator("form[action$='/minutes/']")
    form.locator("textarea[name=minutes_text]").fill(
        "The ministries presented progress; civil society asked for quarterly data."
    )
    form.get_by_role("button", name="Publish the minutes").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "The minutes are published." in flash(page)

    # --- a citizen reads the minutes and the repository --------------------------------------
    sign_in(page, live_server, citizen)
    page.goto(meeting_url)
    text = main(page).inner_text()
    assert "civil society asked for quarterly data" in text
    for decision in DECISIONS:
        assert decision in text
    assert "Civil society" in text  # attendance by sector
    # Shown in the member's time zone (the portal's 24-hour time format, e.g. "18:30").
    shown = dateformat.format(
        timezone.localtime(starts_at, zoneinfo.ZoneInfo(member.time_zone)), "H:i"
    )
    assert shown in text
    assert_no_serious_axe_violations(page)

    page.goto(f"/forums/{member.slug}/repository/")
    assert_no_serious_axe_violations(page)
    row = main(page).locator("tbody tr", has_text="Implementation review, autumn")
    assert "Meeting minutes" in row.inner_text()
    row.get_by_role("link", name="Implementation review, autumn").click()
    page.wait_for_url(f"**{meeting_url}")
    assert RepositoryDocument.objects.filter(meeting=meeting).exists()

    page.goto(f"/forums/{member.slug}/compliance/")
    assert_no_serious_axe_violations(page)
    assert "Met" in main(page).inner_text()

    page.goto(f"/forums/{member.slug}/")
    assert "Five seats for government" in main(page).inner_text()
    assert_no_serious_axe_violations(page)
