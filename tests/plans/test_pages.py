"""Plan and commitment pages from outside: who sees drafts, who may edit, and bounded queries."""

import pytest
from django.urls import reverse

from commitments.models import Commitment
from plans.choices import PlanStatus as S
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    PlanFactory,
    PolicyAreaFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planning_plan(member):
    return PlanFactory(member=member, status=S.PLANNING, title="Secret first draft")


@pytest.fixture
def drafting_plan(member):
    plan = PlanFactory(member=member, status=S.DRAFTING, title="Plan in drafting")
    CommitmentFactory(plan=plan, title="Draft commitment on courts")
    return plan


@pytest.mark.parametrize("role", ["citizen", "cso_member", "other_member_civil_servant"])
def test_plan_in_planning_is_hidden_from_outsiders(request, client_for, role, planning_plan):
    client = client_for(request.getfixturevalue(role))
    assert client.get(planning_plan.get_absolute_url()).status_code == 404
    assert "Secret first draft" not in client.get(reverse("plans:plan-list")).content.decode()


def test_anonymous_cannot_see_a_plan_in_planning(client, planning_plan):
    assert client.get(planning_plan.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("role", ["civil_servant", "msf_member", "secretariat"])
def test_insiders_see_the_draft(request, client_for, role, planning_plan):
    client = client_for(request.getfixturevalue(role))
    response = client.get(planning_plan.get_absolute_url())
    assert response.status_code == 200
    assert "Draft: visible only" in response.content.decode()


def test_draft_commitments_stay_hidden_until_public_comment(
    client, client_for, civil_servant, drafting_plan
):
    commitment = drafting_plan.commitments.get()
    # The plan page is public, the commitments being drafted are not
    page = client.get(drafting_plan.get_absolute_url()).content.decode()
    assert "being drafted" in page
    assert "Draft commitment on courts" not in page
    assert client.get(commitment.get_absolute_url()).status_code == 404
    listing = client.get(reverse("commitments:commitment-list")).content.decode()
    assert "Draft commitment on courts" not in listing
    # The member's civil servant sees them
    assert client_for(civil_servant).get(commitment.get_absolute_url()).status_code == 200
    # Once the draft plan is out for comment, everyone does
    drafting_plan.status = S.DRAFT_PUBLIC_COMMENT
    drafting_plan.save()
    assert client.get(commitment.get_absolute_url()).status_code == 200
    assert (
        "Draft commitment on courts"
        in client.get(drafting_plan.get_absolute_url()).content.decode()
    )


EDIT_URLS = [
    ("plans:plan-edit", lambda c: [c.plan.pk]),
    ("plans:policyarea-create", lambda c: [c.plan.pk]),
    ("commitments:commitment-create", lambda c: [c.plan.pk]),
    ("commitments:commitment-edit", lambda c: [c.ogp_id]),
    ("commitments:milestone-create", lambda c: [c.ogp_id]),
    ("commitments:commitment-import", lambda c: [c.plan.pk]),
]


@pytest.mark.parametrize(("name", "args"), EDIT_URLS)
@pytest.mark.parametrize(
    "role", ["other_member_civil_servant", "cso_member", "citizen", "commitment_lead"]
)
def test_outsiders_cannot_open_or_post_edit_pages(request, client_for, member, role, name, args):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan, title="Original title")
    client = client_for(request.getfixturevalue(role))
    url = reverse(name, args=args(commitment))
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Hacked", "version": 1}).status_code == 403
    commitment.refresh_from_db()
    assert commitment.title == "Original title"


def test_outsiders_cannot_edit_milestones_move_or_withdraw(
    client_for, other_member_civil_servant, member
):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    client = client_for(other_member_civil_servant)
    assert client.get(reverse("commitments:milestone-edit", args=[milestone.pk])).status_code == 403
    assert (
        client.post(
            reverse("commitments:commitment-withdraw", args=[commitment.ogp_id]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("commitments:commitment-move", args=[commitment.ogp_id])).status_code
        == 403
    )
    commitment.refresh_from_db()
    assert commitment.status != "withdrawn"


def test_anonymous_is_sent_to_login_from_edit_pages(client, member):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    response = client.get(reverse("plans:plan-edit", args=[plan.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def _plan_with(member, n):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    areas = [PolicyAreaFactory(plan=plan) for _ in range(4)]
    for i in range(n):
        commitment = CommitmentFactory(plan=plan, policy_area=areas[i % 4])
        MilestoneFactory(commitment=commitment)
        MilestoneFactory(commitment=commitment)
    return plan


@pytest.mark.parametrize("n", [5, 200])
def test_plan_page_queries_are_bounded(
    client_for, civil_servant, member, n, django_assert_max_num_queries
):
    plan = _plan_with(member, n)
    client = client_for(civil_servant)
    # 15, plus one query or two per app that proposes a level of public influence
    # (plans/influence.py: commitments, consultations, forums), whatever the plan's size.
    with django_assert_max_num_queries(20):
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("Move XV") >= n - 1


@pytest.mark.parametrize("n", [5, 200])
def test_commitment_list_and_page_queries_are_bounded(
    client, member, n, django_assert_max_num_queries
):
    plan = _plan_with(member, n)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("commitments:commitment-list"), {"member": member.pk, "q": "Commitment"}
        )
    assert response.status_code == 200
    commitment = plan.commitments.last()
    with django_assert_max_num_queries(15):
        response = client.get(commitment.get_absolute_url())
    assert response.status_code == 200


def test_commitment_list_filters(client, member, other_member):
    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    CommitmentFactory(
        plan=plan,
        title="Open courts",
        access_to_information=True,
        lead_institution="Ministry of Justice",
    )
    CommitmentFactory(
        plan=plan,
        title="Budget hearings",
        civic_participation=True,
        lead_institution="Ministry of Finance",
        status="complete",
    )
    other = PlanFactory(member=other_member, status=S.IMPLEMENTATION)
    CommitmentFactory(plan=other, title="Foreign commitment")
    url = reverse("commitments:commitment-list")

    def titles(**params):
        page = client.get(url, params).content.decode()
        return {t for t in ("Open courts", "Budget hearings", "Foreign commitment") if t in page}

    assert titles(member=member.pk) == {"Open courts", "Budget hearings"}
    assert titles(value="access_to_information") == {"Open courts"}
    assert titles(lead_institution="finance") == {"Budget hearings"}
    assert titles(status="complete") == {"Budget hearings"}
    assert titles(q="courts") == {"Open courts"}
    assert titles(plan=other.pk) == {"Foreign commitment"}


def test_reorder_commitments(client_for, civil_servant, member):
    plan = PlanFactory(member=member, status=S.DRAFTING)
    first, second = (
        CommitmentFactory(plan=plan, position=0),
        CommitmentFactory(plan=plan, position=1),
    )
    client_for(civil_servant).post(
        reverse("commitments:commitment-move", args=[second.ogp_id]), {"direction": "up"}
    )
    assert list(plan.commitments.order_by("position").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_demo_like_plan_shows_sections_areas_and_timeline(client, member):
    plan = _plan_with(member, 3)
    plan.vision = "A government people can see into."
    plan.save()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "A government people can see into." in page
    assert "Milestones timeline" in page
    for commitment in Commitment.objects.filter(plan=plan):
        assert commitment.ogp_id in page


PLAN_FORM = {
    "title": "Next plan",
    "period_start": "2026-01-01",
    "period_end": "2027-12-31",
    "standards_version": "2021",
    "primary_language": "en",
}


def test_double_submitted_plan_form_makes_one_plan(client_for, civil_servant, member):
    client = client_for(civil_servant)
    url = f"{reverse('plans:plan-create')}?member={member.slug}"
    data = PLAN_FORM | {"member": member.slug}
    assert client.post(url, data).status_code == 302
    second = client.post(url, data)
    # The second one clashes with the first and says so instead of making a copy
    assert second.status_code == 200
    assert "overlap" in second.content.decode()
    assert member.action_plans.count() == 1


def test_no_plan_for_another_member(client_for, other_member_civil_servant, member):
    client = client_for(other_member_civil_servant)
    url = f"{reverse('plans:plan-create')}?member={member.slug}"
    assert client.get(url).status_code == 403
    assert client.post(url, PLAN_FORM | {"member": member.slug}).status_code == 403
    assert not member.action_plans.exists()
    missing = f"{reverse('plans:plan-create')}?member=no-such-member"
    assert client.get(missing).status_code == 404


def test_translate_page_from_outside(client, client_for, civil_servant, member):
    from django.contrib.contenttypes.models import ContentType

    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    ct = ContentType.objects.get_for_model(plan).pk
    url = reverse("translate", args=[ct, plan.pk, "fr"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    staff = client_for(civil_servant)
    assert staff.get(reverse("translate", args=[ct, plan.pk, "xx-nonsense"])).status_code == 404
    assert staff.get(reverse("translate", args=[ct, 999999, "fr"])).status_code == 404
    member_ct = ContentType.objects.get_for_model(member).pk  # not a translatable record
    assert staff.get(reverse("translate", args=[member_ct, member.pk, "fr"])).status_code == 404


def test_timeline_shows_the_next_open_milestones_not_all_of_them(client, member):
    import datetime as dt

    from plans.views import TIMELINE_LENGTH

    plan = PlanFactory(member=member, status=S.IMPLEMENTATION)
    start = dt.date(2026, 1, 1)
    commitment = CommitmentFactory(plan=plan, start_date=start - dt.timedelta(days=30))
    for day in range(TIMELINE_LENGTH + 15):
        MilestoneFactory(
            commitment=commitment,
            start_date=start - dt.timedelta(days=30),
            due_date=start + dt.timedelta(days=day),
            description=f"Step number {day:03d}",
        )
    MilestoneFactory(
        commitment=commitment,
        start_date=start - dt.timedelta(days=30),
        due_date=start - dt.timedelta(days=1),
        status="complete",
        description="Already finished step",
    )
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Step number 000" in page  # the earliest open one
    assert f"Step number {TIMELINE_LENGTH - 1:03d}" in page
    assert f"Step number {TIMELINE_LENGTH:03d}" not in page  # beyond the first page
    assert "Already finished step" not in page
    assert f"The next {TIMELINE_LENGTH} of {TIMELINE_LENGTH + 15} open milestones" in page
