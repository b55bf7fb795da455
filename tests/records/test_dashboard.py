"""/dashboard/ and /members/<slug>/dashboard/ from outside: every chart with its table and
CSV, numbers from the periodic count (one stored row per page), who is missing, small counts
suppressed, and nobody's optional profile data outside aggregates."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commitments.choices import CommitmentStatus
from consultations.choices import InputChannel, InputKind, ResponseDecision, ResponseStatus
from consultations.models import InputEntry, ReasonedResponse
from forums.models import Forum, SeatAllocation
from ogp_portal.organisations.choices import OrganisationKind
from ogp_portal.organisations.models import PersonProfile, Region
from records.dashboard.refresh import refresh_all
from records.models import DashboardSnapshot
from tests.factories import (
    CommitmentFactory,
    OrganisationFactory,
    PlanFactory,
    PolicyAreaFactory,
    UserFactory,
)

CHARTS = (
    "plans",
    "weekly",
    "first-time",
    "kinds",
    "channels",
    "decisions",
    "response-time",
    "policy-areas",
    "regions",
    "seats",
    "profile-kind",
    "profile-size",
    "profile-gender",
    "profile-age",
)


def entry(plan, kind=InputKind.PROPOSAL, channel=InputChannel.ONLINE, **fields):
    return InputEntry.objects.create(
        plan=plan, kind=kind, channel=channel, title=fields.pop("title", "An input"), **fields
    )


def respond(plan, decision=ResponseDecision.ACCEPTED):
    return ReasonedResponse.objects.create(
        plan=plan,
        status=ResponseStatus.PUBLISHED,
        decision=decision,
        reason="Because.",
        published_at=timezone.now(),
    )


@pytest.fixture
def landscape(member):
    """A member with two plans, regions, a forum with a vacant seat, and inputs."""
    capital = Region.objects.create(member=member, name="Capital District", is_capital=True)
    north = Region.objects.create(member=member, name="North Coast")
    Region.objects.create(member=member, name="Far Hills")
    old = PlanFactory(member=member, sequence_no=1, status="ended", title="First plan")
    plan = PlanFactory(member=member, sequence_no=2, status="implementation", title="Second plan")
    CommitmentFactory(plan=plan, status=CommitmentStatus.COMPLETE)
    CommitmentFactory(plan=plan, status=CommitmentStatus.IN_PROGRESS)
    justice = PolicyAreaFactory(plan=plan, name="Access to justice")
    PolicyAreaFactory(plan=plan, name="Fisheries")
    loyal = OrganisationFactory(
        member=member, name="Loyal Watch", kind=OrganisationKind.CSO, region=capital
    )
    gone = OrganisationFactory(member=member, name="Gone Quiet", kind=OrganisationKind.CSO)
    entry(old, organisation=loyal)
    entry(old, organisation=gone)
    answered = respond(plan)
    for i in range(6):
        person = UserFactory(email=f"p{i}@example.org", name=f"Person {i}")
        PersonProfile.objects.create(
            user=person,
            region=north,
            gender="woman",
            age_band="under_25" if i == 0 else "40_59",
            consent_at=timezone.now(),
        )
        entry(plan, author=person, response=answered if i < 3 else None, policy_area=justice)
    entry(plan, InputKind.OFFLINE, InputChannel.WORKSHOP, organisation=loyal, policy_area=justice)
    forum = Forum.objects.create(
        member=member, name="Forum", mandate="M", rules_of_participation="R"
    )
    SeatAllocation.objects.create(forum=forum, sector="civil_society", seats=3)
    return plan


def test_member_dashboard_draws_every_chart_with_its_table_and_csv(client, member, landscape):
    refresh_all()
    response = client.get(reverse("dashboard:member", args=[member.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == len(CHARTS)
    for slug in CHARTS:
        assert f'id="{slug}"' in html
        assert f"?csv={slug}" in html
        csv = client.get(reverse("dashboard:member", args=[member.slug]), {"csv": slug})
        assert csv.status_code == 200
        assert csv["Content-Type"].startswith("text/csv")
    # Vital signs: the plan's completion from the portal (1 of 2 commitments complete)
    plans_csv = b"".join(
        client.get(
            reverse("dashboard:member", args=[member.slug]), {"csv": "plans"}
        ).streaming_content
    ).decode()
    assert "Second plan" in plans_csv
    assert ",Portal,50" in plans_csv
    decisions = html[html.index('id="decisions"') :]
    assert '<th scope="row">Accepted</th>' in decisions
    assert '<th scope="row">Awaiting a response</th>' in decisions


def test_who_is_missing_names_the_gaps(client, member, landscape):
    refresh_all()
    html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    assert "Fisheries: no civil-society organisation gave input" in html
    assert "Access to justice: only one civil-society organisation gave input" in html
    assert "No input from Far Hills" in html
    assert "Gone Quiet" in html  # took part in the first plan, not in the second
    assert (
        "Loyal Watch"
        not in html[html.index("Took part in the last plan") : html.index('id="policy-areas"')]
    )
    # 6 of the 8 located inputs (over both plans) come from outside the capital region
    assert "75 % of the inputs with a known region came from outside the capital region." in html
    seats = html[html.index('id="seats"') :]
    assert '<th scope="row">Civil society</th>' in seats
    returning = b"".join(
        client.get(
            reverse("dashboard:member", args=[member.slug]), {"csv": "returning"}
        ).streaming_content
    ).decode()
    assert returning.lstrip("\ufeff").splitlines() == ["Organisation", "Gone Quiet"]


def test_small_counts_are_suppressed(client, member, landscape):
    refresh_all()
    html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    age = html[html.index('id="profile-age"') :]
    age = age[: age.index("</figure>")]
    # 5 people aged 40-59 are counted; the one person under 25 is not
    assert (
        '<th scope="row">40 to 59</th>\n                  <td class="num">5</td>'
        in age.replace("\n\n", "\n")
        or ">5<" in age
    )
    assert "Under 25" in age
    assert "fewer than 5" in age
    # The region with one organisation's input reads "fewer than 5", never 1
    regions = html[html.index('id="regions"') :]
    regions = regions[: regions.index("</figure>")]
    assert "Capital District" in regions
    assert "fewer than 5" in regions
    csv = b"".join(
        client.get(
            reverse("dashboard:member", args=[member.slug]), {"csv": "profile-age"}
        ).streaming_content
    ).decode()
    assert "Under 25,fewer than 5" in csv
    stored = DashboardSnapshot.objects.get(member=member).data["missing"]["profiles"]["age"]
    assert stored["under_25"] is None


def test_the_page_reads_the_stored_numbers_not_live_counts(
    client, member, landscape, django_assert_max_num_queries
):
    refresh_all()
    # An input added after the count shows only after the next count
    entry(landscape, InputKind.COMMENT, title="Late comment")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    assert "9 public inputs so far" in html
    refresh_all()
    html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    assert "10 public inputs so far" in html


def test_portal_dashboard_at_scale_reads_one_row(
    client, member, other_member, django_assert_max_num_queries
):
    for m in (member, other_member):
        plan = PlanFactory(member=m, status="implementation")
        area = PolicyAreaFactory(plan=plan)
        for i in range(60):
            entry(plan, policy_area=area, title=f"Input {i}")
    refresh_all()
    with django_assert_max_num_queries(6):
        response = client.get(reverse("dashboard:portal"))
    assert response.status_code == 200
    assert "120 public inputs so far" in response.content.decode()


def grow(member, size):
    """`size` plans (each with a commitment and a policy area nobody spoke on), regions,
    consultations, weeks of inputs and organisations that stopped taking part: more of each
    than a page shows."""
    from consultations.models import Consultation
    from ogp_portal.organisations.models import Organisation

    old = PlanFactory(member=member, sequence_no=1, status="ended", title="Old plan")
    start = dt.date(2020, 1, 1)
    plans = [
        PlanFactory(
            member=member,
            status="implementation",
            title=f"Plan {i}",
            period_start=start + dt.timedelta(days=i),
        )
        for i in range(size)
    ]
    for plan in plans:
        CommitmentFactory(plan=plan, status=CommitmentStatus.COMPLETE)
        PolicyAreaFactory(plan=plan, name=f"Area of {plan.title}")
    Region.objects.bulk_create(Region(member=member, name=f"Region {i}") for i in range(size))
    now = timezone.now()
    consultations = Consultation.objects.bulk_create(
        Consultation(
            plan=plans[-1],
            title=f"Consultation {i}",
            kind="idea_collection",
            description="x",
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=1),
        )
        for i in range(size)
    )
    gone = Organisation.objects.bulk_create(
        Organisation(member=member, name=f"Gone {i}", kind=OrganisationKind.CSO)
        for i in range(size)
    )
    entries = InputEntry.objects.bulk_create(
        [
            InputEntry(
                plan=plans[-1],
                consultation=consultations[i],
                kind=InputKind.PROPOSAL,
                channel=InputChannel.ONLINE,
                title=f"Input {i}",
            )
            for i in range(size)
        ]
        + [
            InputEntry(
                plan=old,
                organisation=org,
                kind=InputKind.PROPOSAL,
                channel=InputChannel.ONLINE,
                title="Earlier input",
            )
            for org in gone
        ]
    )
    for week, e in enumerate(entries[:size]):  # one input a week, `size` weeks long
        InputEntry.objects.filter(pk=e.pk).update(created_at=now - dt.timedelta(weeks=week))


@pytest.mark.parametrize("which", ["member", "portal"])
def test_a_dashboard_stays_the_same_size_when_the_data_grows_tenfold(
    client, member, which, django_assert_max_num_queries
):
    """Issue #18 at national scale: the page draws a bounded cut (last weeks, top
    consultations, newest plans, fewest voices) read with one query, so ten times the
    plans, weeks, consultations, regions and organisations give the same page; the CSVs
    keep every row."""
    url = (
        reverse("dashboard:member", args=[member.slug])
        if which == "member"
        else reverse("dashboard:portal")
    )
    sizes = {}
    for size in (30, 300):
        InputEntry.objects.all().delete()
        member.action_plans.all().delete()
        Region.objects.all().delete()
        member.organisations.all().delete()
        grow(member, size)
        refresh_all()
        with django_assert_max_num_queries(6):
            response = client.get(url)
        html = response.content.decode()
        assert f"of {size + 1} plans" in html
        assert html.count('role="img"') == len(CHARTS)
        sizes[size] = len(html)
        weekly = b"".join(client.get(url, {"csv": "weekly"}).streaming_content).decode()
        assert f"Consultation {size - 1}," in weekly  # every consultation, every week
        # a row per consultation, one for the earlier plan's inputs, the headers
        assert weekly.count("\n") == size + 2
        plans = b"".join(client.get(url, {"csv": "plans"}).streaming_content).decode()
        assert plans.count("\n") == size + 2
    # Same page, give or take longer numbers in the labels
    assert sizes[300] < sizes[30] * 1.05
    assert sizes[300] < 150_000


def test_numbers_counted_before_the_page_was_cut_are_counted_again(client, member, landscape):
    """A snapshot stored by an earlier version (no bounded page in it) is not drawn as if it
    had one: the first reader's request counts the numbers again."""
    refresh_all()
    snapshot = DashboardSnapshot.objects.get(member=member)
    del snapshot.data["page"]
    snapshot.save()
    response = client.get(reverse("dashboard:member", args=[member.slug]))
    assert response.status_code == 200
    assert "9 public inputs so far" in response.content.decode()
    assert "page" in DashboardSnapshot.objects.get(member=member).data


def test_draft_plans_and_hidden_inputs_do_not_count(client, member):
    draft = PlanFactory(member=member, status="planning", title="Secret draft")
    entry(draft)
    public = PlanFactory(member=member, status="implementation", sequence_no=2)
    entry(public, is_public=False)
    entry(public)
    refresh_all()
    html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    assert "1 public input so far" in html
    assert "Secret draft" not in html


def test_unknown_member_or_chart_is_not_found(client, member):
    assert client.get(reverse("dashboard:member", args=["nobody"])).status_code == 404
    assert client.get(reverse("dashboard:portal"), {"csv": "nope"}).status_code == 404


def test_the_job_is_scheduled():
    from django.conf import settings

    entry_ = settings.CELERY_BEAT_SCHEDULE["refresh-dashboards"]
    assert entry_["task"] == "records.dashboard.refresh.refresh_dashboards_task"
    assert dt.timedelta(seconds=entry_["schedule"]) <= dt.timedelta(hours=1)


def test_anonymous_readers_share_one_stored_dashboard_until_the_next_count(
    client, member, landscape
):
    """A busy dashboard costs one cache read: the second anonymous reader gets the stored
    page; a new count of the numbers (a saved snapshot) gives the next reader a fresh one."""
    refresh_all()
    url = reverse("dashboard:member", args=[member.slug])
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    refresh_all()
    assert client.get(url)["X-Page-Cache"] == "miss"


def test_an_input_counts_in_the_week_it_was_received_not_the_week_it_was_typed_in(
    client, member, landscape
):
    """A letter received in March and recorded today is March's input (and its sender's
    first time is March), so the participation chart shows when people spoke."""
    march = dt.date(2026, 3, 11)  # a Wednesday: its week starts on Monday 9 March
    newcomer = OrganisationFactory(member=member, name="Letter Writers", kind=OrganisationKind.CSO)
    entry(
        landscape,
        InputKind.OFFLINE,
        InputChannel.PAPER,
        organisation=newcomer,
        received_on=march,
        title="A letter",
    )
    refresh_all()
    url = reverse("dashboard:member", args=[member.slug])
    weekly = b"".join(client.get(url, {"csv": "weekly"}).streaming_content).decode()
    firsts = b"".join(client.get(url, {"csv": "first-time"}).streaming_content).decode()
    today = timezone.localdate()
    this_week = date_format(today - dt.timedelta(days=today.weekday()), "j M Y")
    assert "Week of 9 Mar 2026" in weekly
    assert "Week of 9 Mar 2026,1" in firsts
    assert f"Week of {this_week}" in weekly  # the inputs received today stay in this week


def test_time_to_response_runs_from_when_an_input_was_received(client, member, landscape):
    """A letter received 100 days ago and answered today waited over 3 months, even though it
    was typed into the ledger today."""
    answered = respond(landscape)
    entry(
        landscape,
        InputKind.OFFLINE,
        InputChannel.PAPER,
        received_on=timezone.localdate() - dt.timedelta(days=100),
        response=answered,
        title="An old letter",
    )
    refresh_all()
    url = reverse("dashboard:member", args=[member.slug])
    times = b"".join(client.get(url, {"csv": "response-time"}).streaming_content).decode()
    assert "Over 3 months,1" in times


def test_a_response_published_before_its_input_was_received_counts_as_no_wait(client, member):
    """A response already published (say, to a proposal) that a letter received later is
    linked to answered that letter at once: 0 days, not a negative wait that would pull the
    median below zero."""
    plan = PlanFactory(member=member, sequence_no=1, status="implementation", title="A plan")
    earlier = respond(plan)
    ReasonedResponse.objects.filter(pk=earlier.pk).update(
        published_at=timezone.now() - dt.timedelta(days=20)
    )
    entry(
        plan,
        InputKind.OFFLINE,
        InputChannel.PAPER,
        received_on=timezone.localdate() - dt.timedelta(days=10),
        response=earlier,
        title="A late letter",
    )
    refresh_all()
    html = client.get(reverse("dashboard:member", args=[member.slug])).content.decode()
    assert "Half the answered inputs had their response within 0 days." in html
    times = b"".join(
        client.get(
            reverse("dashboard:member", args=[member.slug]), {"csv": "response-time"}
        ).streaming_content
    ).decode()
    assert "Within 2 weeks,1" in times
