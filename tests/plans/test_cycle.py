"""Cycle rules between consecutive plans, and the 6- and 12-month flags."""

import datetime as dt

import pytest

from ogp_portal.organisations.choices import MemberType
from plans.cycle import cycle_errors, cycle_flags
from tests.factories import MemberFactory, PlanFactory

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def national(db):
    member = MemberFactory()
    PlanFactory(member=member, period_start=D(2022, 9, 1), period_end=D(2024, 8, 31))
    return member


def test_next_plan_starting_the_day_after_is_fine(national):
    assert cycle_errors(national, D(2024, 9, 1), D(2026, 8, 31), "2021") == {}


def test_four_year_national_plan_is_allowed(national):
    assert cycle_errors(national, D(2024, 9, 1), D(2028, 8, 31), "2021") == {}


def test_three_year_national_plan_is_refused(national):
    errors = cycle_errors(national, D(2024, 9, 1), D(2027, 8, 31), "2021")
    assert "2 or 4 years" in errors["period_end"]


def test_2017_rules_allow_only_two_years(national):
    errors = cycle_errors(national, D(2024, 9, 1), D(2028, 8, 31), "2017")
    assert "2 years" in errors["period_end"]


def test_overlap_names_the_clashing_plan_and_dates(national):
    errors = cycle_errors(national, D(2024, 8, 1), D(2026, 7, 31), "2021")
    assert "overlap" in errors["period_start"]
    assert "2022-09-01" in errors["period_start"]
    assert "2024-08-31" in errors["period_start"]


def test_gap_says_when_the_plan_must_start(national):
    errors = cycle_errors(national, D(2024, 10, 1), D(2026, 9, 30), "2021")
    assert "must start on 2024-09-01" in errors["period_start"]


def test_gap_before_the_following_plan(national):
    errors = cycle_errors(national, D(2020, 1, 1), D(2021, 12, 31), "2021")
    assert "must end on 2022-08-31" in errors["period_end"]


def test_local_plans_may_have_any_length(db):
    member = MemberFactory(member_type=MemberType.LOCAL)
    assert cycle_errors(member, D(2025, 1, 1), D(2026, 6, 30), "2021") == {}


def test_editing_a_plan_does_not_clash_with_itself(national):
    plan = national.action_plans.get()
    assert cycle_errors(national, plan.period_start, plan.period_end, "2021", plan.pk) == {}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2024, 2, 28), []),  # more than 6 months before the end
        (D(2024, 2, 29), ["warning"]),  # exactly 6 months before 2024-08-31 (leap day)
        (D(2024, 8, 31), ["warning"]),  # last day
        (D(2025, 8, 31), ["warning"]),  # ended, within 12 months: no new plan yet
        (D(2025, 9, 1), ["danger"]),  # more than 12 months after the end
    ],
)
def test_flags_at_their_edges(national, today, expected):
    plans = list(national.action_plans.all())
    assert [flag.level for flag in cycle_flags(national, plans, today)] == expected


def test_no_flag_when_the_successor_is_in_preparation(national):
    PlanFactory(
        member=national, period_start=D(2024, 9, 1), period_end=D(2026, 8, 31), status="notice"
    )
    plans = list(national.action_plans.all())
    assert cycle_flags(national, plans, D(2024, 8, 1)) == []


def test_a_successor_stuck_in_planning_hides_no_flag(national):
    PlanFactory(
        member=national, period_start=D(2024, 9, 1), period_end=D(2026, 8, 31), status="planning"
    )
    plans = list(national.action_plans.all())
    # The no-gap warning before the end, then the procedural-review risk, then the red flag
    assert [f.level for f in cycle_flags(national, plans, D(2024, 8, 1))] == ["warning"]
    assert [f.level for f in cycle_flags(national, plans, D(2025, 8, 31))] == ["warning"]
    assert [f.level for f in cycle_flags(national, plans, D(2025, 9, 1))] == ["danger"]


def test_a_successor_in_co_creation_still_runs_the_procedural_review_clock(national):
    # Only an adopted plan stops it: one still being co-created 13 months later is red.
    PlanFactory(
        member=national, period_start=D(2024, 9, 1), period_end=D(2026, 8, 31),
        status="co_creation",
    )  # fmt: skip
    plans = list(national.action_plans.all())
    assert [f.level for f in cycle_flags(national, plans, D(2025, 9, 1))] == ["danger"]


def test_plan_form_shows_which_dates_clash(client_for, civil_servant, member):
    PlanFactory(member=member, period_start=D(2022, 9, 1), period_end=D(2024, 8, 31))
    response = client_for(civil_servant).post(
        f"/plans/new/?member={member.slug}",
        {
            "member": member.slug,
            "title": "Next plan",
            "period_start": "2024-10-01",
            "period_end": "2026-09-30",
            "standards_version": "2021",
            "primary_language": "en",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "must start on 2024-09-01" in page
    assert 'value="Next plan"' in page
    assert member.action_plans.count() == 1


def test_plan_length_message_is_one_translatable_sentence(national):
    from django.utils import translation

    with translation.override("fr"):
        errors = cycle_errors(national, D(2024, 9, 1), D(2027, 8, 31), "2021")
    assert "dure 2 ou 4 ans" in errors["period_end"]
