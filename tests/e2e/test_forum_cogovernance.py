"""Co-governance of the forum in a real browser (issue #16).

A civil-society co-chair schedules a meeting, sets its agenda, drafts the minutes and
co-signs them with the government co-chair; a motion passes only with quorum and a
majority in each sector as the forum's rules say; a plan whose forum rules require the
forum's decision cannot be adopted until that decision is on record. axe runs on the new
pages. People sign in by session cookie.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone

from forums.choices import DecisionOutcome, MeetingStatus, Sector
from forums.models import Decision, ForumMeeting
from plans.choices import PlanStatus
from tests.factories import PlanFactory, UserFactory
from tests.forums.factories import (
    ForumFactory,
    ForumMeetingFactory,
    ForumSeatFactory,
    allocate,
    co_chaired,
)

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def local(member, when):
    return timezone.localtime(when, zoneinfo.ZoneInfo(member.time_zone)).strftime("%Y-%m-%dT%H:%M")


def main(page):
    return page.locator("main")


def flash(page):
    return page.locator(".messages").inner_text()


@pytest.fixture
def forum(member):
    forum = ForumFactory(member=member, name="Open Government Forum of A")
    allocate(forum, **{Sector.GOVERNMENT: 5, Sector.CIVIL_SOCIETY: 5})
    return forum


@pytest.fixture
def gov_chair(member):
    return UserFactory(email="gov.chair@example.org", name="Gina Government")


def test_a_cso_co_chair_schedules_sets_the_agenda_and_co_signs_the_minutes(
    page, live_server, member, forum, gov_chair, cso_member, citizen
):
    co_chaired(forum, gov_chair, cso_member, minutes_require_cosign=True)

    # --- the civil-society co-chair schedules the meeting and sets its agenda ---------------
    sign_in(page, live_server, cso_member)
    page.goto(f"/forums/{member.slug}/")
    assert "Co-chairs, one per sector" in main(page).inner_text()
    main(page).get_by_role("link", name="Schedule a meeting").click()
    form = main(page).locator("form")
    form.locator("input[name=title]").fill("Co-chaired forum meeting")
    form.locator("input[name=starts_at]").fill(
        local(member, timezone.now() - dt.timedelta(hours=1))
    )
    form.locator("input[name=location]").fill("Civic Centre")
    form.locator("textarea[name=agenda]").fill("1. Welcome")
    form.get_by_role("button", name="Schedule the meeting").click()
    page.wait_for_url(re.compile(r"/forums/meetings/\d+/$"))
    meeting = ForumMeeting.objects.get(forum=forum)
    assert meeting.scheduled_by == cso_member
    meeting_url = f"/forums/meetings/{meeting.pk}/"

    form = main(page).locator("form[action$='/agenda/']")
    form.locator("textarea[name=agenda]").fill("1. Welcome\n2. Civil society's shadow report")
    form.get_by_role("button", name="Save the agenda").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "The agenda is saved." in flash(page)
    assert "shadow report" in main(page).locator("section", has_text="Agenda").first.inner_text()
    assert_no_serious_axe_violations(page)

    # --- after the meeting: attendance, minutes drafted for co-signature --------------------
    form = main(page).locator("form[action$='/attendance/']")
    form.get_by_label("Government").fill("4")
    form.get_by_label("Civil society").fill("5")
    form.get_by_role("button", name="Save attendance").click()
    page.wait_for_url(f"**{meeting_url}")
    form = main(page).locator("form[action$='/minutes/']")
    form.locator("textarea[name=minutes_text]").fill("The shadow report was discussed.")
    form.get_by_role("button", name="Send the minutes for co-signature").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "await the co-chairs' signatures" in flash(page)
    main(page).get_by_role("button", name="Co-sign the minutes").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "You signed the minutes." in flash(page)
    signatures = main(page).locator("section", has_text="Co-signatures").inner_text()
    assert "Signed by Carla Civil (Civil society)" in signatures
    assert "Awaiting the signature of Gina Government (Government)" in signatures
    assert_no_serious_axe_violations(page)

    # Nobody else reads the draft yet.
    sign_in(page, live_server, citizen)
    page.goto(meeting_url)
    assert "The shadow report was discussed." not in main(page).inner_text()

    # --- the government co-chair signs: the minutes are published ---------------------------
    sign_in(page, live_server, gov_chair)
    page.goto(meeting_url)
    main(page).get_by_role("button", name="Co-sign the minutes").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "they are published" in flash(page)

    sign_in(page, live_server, citizen)
    page.goto(meeting_url)
    text = main(page).inner_text()
    assert "The shadow report was discussed." in text
    assert "Signed by Gina Government (Government)" in text
    assert main(page).get_by_role("button", name="Co-sign the minutes").count() == 0
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED


def vote(page, form, choices):
    for label, choice in choices.items():
        form.get_by_label(label).select_option(choice)


def put_motion(page, meeting_url, text, choices, method="Vote per seat"):
    form = page.locator("main form[action$='/motions/']")
    form.locator("textarea[name=text]").fill(text)
    form.get_by_label(method).check()
    vote(page, form, choices)
    form.get_by_role("button", name="Record the motion and its result").click()
    page.wait_for_url(f"**{meeting_url}")
    return flash(page)


def test_a_motion_passes_only_with_quorum_and_a_majority_in_each_sector(
    page, live_server, member, forum, civil_servant, client
):
    forum.quorum_percent = 60  # 6 of the 10 seats
    forum.majority_in_each_sector = True
    forum.save()
    for sector, prefix in ((Sector.GOVERNMENT, "Gov"), (Sector.CIVIL_SOCIETY, "Cso")):
        for i in range(1, 6):
            ForumSeatFactory(forum=forum, sector=sector, name=f"{prefix} {i}")
    meeting = ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD)
    meeting.attendance.create(sector=Sector.GOVERNMENT, count=5)
    meeting_url = f"/forums/meetings/{meeting.pk}/"
    gov = lambda i: f"Gov {i} (Government)"  # noqa: E731
    cso = lambda i: f"Cso {i} (Civil society)"  # noqa: E731

    sign_in(page, live_server, civil_servant)
    page.goto(meeting_url)
    assert_no_serious_axe_violations(page)
    # Five present: no quorum, however they vote.
    message = put_motion(
        page, meeting_url, "Open the consultation in March",
        {gov(1): "yes", gov(2): "yes", gov(3): "yes", cso(1): "yes", cso(2): "yes"},
    )  # fmt: skip
    assert "No quorum: 5 seats present, 6 needed." in message
    # Quorum, a majority overall, but not in civil society.
    message = put_motion(
        page, meeting_url, "Open the consultation in April",
        {gov(1): "yes", gov(2): "yes", gov(3): "yes", gov(4): "yes",
         cso(1): "yes", cso(2): "no", cso(3): "no"},
    )  # fmt: skip
    assert "no majority in Civil society (1 yes, 2 no)" in message
    # A majority in each sector.
    message = put_motion(
        page, meeting_url, "Open the consultation in May",
        {gov(1): "yes", gov(2): "yes", gov(3): "abstain", gov(4): "no",
         cso(1): "yes", cso(2): "yes", cso(3): "no"},
    )  # fmt: skip
    assert "The motion passed." in message
    outcomes = list(Decision.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [DecisionOutcome.FAILED, DecisionOutcome.FAILED, DecisionOutcome.PASSED]

    # The minutes go out; anyone reads the results and each seat's vote.
    form = main(page).locator("form[action$='/minutes/']")
    form.locator("textarea[name=minutes_text]").fill("Three motions on the consultation date.")
    form.get_by_role("button", name="Publish the minutes").click()
    page.wait_for_url(f"**{meeting_url}")
    page.context.clear_cookies()
    page.goto(f"/forums/{member.slug}/decisions/")
    text = main(page).inner_text()
    assert "Open the consultation in May" in text
    assert "Carried with a majority in each sector: 4 yes, 2 no, 1 abstaining." in text
    assert "No quorum" in text
    item = main(page).locator("li", has_text="Open the consultation in May")
    item.locator("summary").click()
    row = item.locator("tr", has_text="Gov 4")
    assert "No" in row.inner_text()
    assert_no_serious_axe_violations(page)


def test_a_plan_needing_the_forums_decision_is_adopted_only_once_it_is_recorded(
    page, live_server, member, forum, civil_servant
):
    forum.adoption_requires_decision = True
    forum.save()
    plan = PlanFactory(member=member, status=PlanStatus.REASONED_RESPONSE, title="Plan Five")
    seat = ForumSeatFactory(forum=forum, sector=Sector.GOVERNMENT, name="Gov Seat")
    ForumSeatFactory(forum=forum, sector=Sector.CIVIL_SOCIETY, name="Cso Seat")
    meeting = ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD)
    meeting.attendance.create(sector=Sector.GOVERNMENT, count=1)
    meeting_url = f"/forums/meetings/{meeting.pk}/"

    sign_in(page, live_server, civil_servant)
    page.goto(f"/plans/{plan.pk}/")
    transition = main(page).locator("form.transition", has_text="Adopted")
    assert "The forum's rules ask for its decision first" in transition.inner_text()
    transition.get_by_role("button").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    assert "The forum's rules ask for its decision first" in flash(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REASONED_RESPONSE

    # The forum decides, by consensus, to adopt the plan; its minutes are published.
    page.goto(meeting_url)
    form = main(page).locator("form[action$='/motions/']")
    form.locator("textarea[name=text]").fill("The forum adopts Plan Five.")
    form.get_by_label("Consensus", exact=False).check()
    form.locator("select[name=plan]").select_option(label="Plan Five")
    form.locator("select[name=purpose]").select_option("adopt_plan")
    form.get_by_label("Gov Seat (Government)").select_option("yes")
    form.get_by_label("Cso Seat (Civil society)").select_option("yes")
    form.get_by_role("button", name="Record the motion and its result").click()
    page.wait_for_url(f"**{meeting_url}")
    assert "The motion passed." in flash(page)
    form = main(page).locator("form[action$='/minutes/']")
    form.locator("textarea[name=minutes_text]").fill("The forum adopted Plan Five.")
    form.get_by_role("button", name="Publish the minutes").click()
    page.wait_for_url(f"**{meeting_url}")

    page.goto(f"/plans/{plan.pk}/")
    transition = main(page).locator("form.transition", has_text="Adopted")
    assert "The forum's rules" not in transition.inner_text()
    transition.get_by_role("button").click()
    page.wait_for_url(f"**/plans/{plan.pk}/")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    assert Decision.objects.get().votes.filter(seat=seat).exists()


def test_the_forums_rules_and_secretariat_are_set_in_the_browser(
    page, live_server, member, forum, civil_servant, cso_member
):
    sign_in(page, live_server, civil_servant)
    page.goto(f"/forums/{member.slug}/")
    main(page).get_by_role("link", name="How the forum steers and decides").click()
    assert_no_serious_axe_violations(page)
    form = main(page).locator("form")
    form.get_by_label("Co-chairs, one per sector").check()
    form.get_by_label("Minutes count only once both co-chairs have co-signed them").check()
    form.locator("input[name=quorum_count]").fill("6")
    form.get_by_label("A vote passes only with a majority in each sector").check()
    form.get_by_role("button", name="Save the governance").click()
    page.wait_for_url(f"**/forums/{member.slug}/")
    assert "Quorum: 6 seats present." in main(page).inner_text()

    main(page).get_by_role("link", name="The technical secretariat").click()
    form = main(page).locator("form[action$='/secretariat/add/']")
    form.locator("input[name=email]").fill(cso_member.email)
    form.locator("input[name=name]").fill("Sara Secretariat")
    form.locator("select[name=sector]").select_option("civil_society")
    form.get_by_role("button", name="Add to the secretariat").click()
    page.wait_for_url(f"**/forums/{member.slug}/")
    assert "Sara Secretariat (Civil society)" in main(page).inner_text()
    main(page).get_by_role("link", name="The technical secretariat").click()
    assert_no_serious_axe_violations(page)
    item = main(page).locator("li", has_text="Sara Secretariat")
    item.get_by_label("Why this person leaves the secretariat").fill("Term over.")
    item.get_by_role("button", name="Take Sara Secretariat off the secretariat").click()
    page.wait_for_url(f"**/forums/{member.slug}/secretariat/add/")
    assert "Sara Secretariat has left the technical secretariat." in flash(page)
