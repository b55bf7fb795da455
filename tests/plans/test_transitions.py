"""Every transition of the plan cycle: its guard, who may make it, and that a refused one
changes nothing."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ogp_portal.core.errors import DomainError
from ogp_portal.core.models import AuditEvent
from plans import services
from plans.adoption import register_adoption_check, unregister_adoption_check
from plans.choices import PlanStatus as S
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(member):
    return PlanFactory(
        member=member, status=S.PLANNING, period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2027, 12, 31),
    )  # fmt: skip


def move(plan, to, actor=None):
    return services.plan_transition(plan, actor=actor, to_status=to)


def test_illegal_transition_is_refused_and_nothing_changes(plan):
    with pytest.raises(DomainError, match="cannot go from"):
        move(plan, S.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == S.PLANNING
    assert not AuditEvent.objects.exists()


def test_notice_needs_the_timeline(plan):
    with pytest.raises(DomainError, match="co-creation timeline"):
        move(plan, S.NOTICE)
    plan.co_creation_timeline = "March: idea collection."
    plan.save()
    move(plan, S.NOTICE)
    plan.refresh_from_db()
    assert plan.status == S.NOTICE
    assert plan.notice_published_at is not None


def test_co_creation_waits_for_the_notice_period_to_the_minute(plan):
    # Calendar days in the member's zone (Europe/Paris): notice on 1 November at 13:00 local,
    # co-creation from 15 November at 00:00 local (14 November 23:00 UTC), not a minute before.
    plan.co_creation_timeline = "March: idea collection."
    plan.save()
    with time_machine.travel(dt.datetime(2025, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        move(plan, S.NOTICE)
    with (
        time_machine.travel(dt.datetime(2025, 11, 14, 22, 59, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match="2025-11-15 00:00 CET"),
    ):
        move(plan, S.CO_CREATION)
    with time_machine.travel(dt.datetime(2025, 11, 14, 23, 0, tzinfo=dt.UTC), tick=False):
        move(plan, S.CO_CREATION)
    plan.refresh_from_db()
    assert plan.status == S.CO_CREATION


def test_draft_needs_a_commitment(plan):
    plan.status = S.DRAFTING
    plan.save()
    with pytest.raises(DomainError, match="at least one commitment"):
        move(plan, S.DRAFT_PUBLIC_COMMENT)
    CommitmentFactory(plan=plan)
    move(plan, S.DRAFT_PUBLIC_COMMENT)


def test_adoption_needs_milestones_and_the_registered_checks(plan):
    plan.status = S.REASONED_RESPONSE
    plan.save()
    commitment = CommitmentFactory.create(plan=plan)
    with pytest.raises(DomainError, match=commitment.ogp_id):
        move(plan, S.ADOPTED)
    MilestoneFactory(commitment=commitment)

    def no_open_proposals(p):
        return ["Proposal P-7 has no published response."]

    register_adoption_check(no_open_proposals)
    try:
        with pytest.raises(DomainError, match="P-7"):
            move(plan, S.ADOPTED)
    finally:
        unregister_adoption_check(no_open_proposals)
    move(plan, S.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == S.ADOPTED


def test_implementation_starts_with_the_period(plan):
    plan.status = S.ADOPTED
    plan.save()
    with (
        time_machine.travel(dt.datetime(2025, 12, 31, 12, tzinfo=dt.UTC)),
        pytest.raises(DomainError, match="2026-01-01"),
    ):
        move(plan, S.IMPLEMENTATION)
    with time_machine.travel(dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)):
        move(plan, S.IMPLEMENTATION)


def test_ending_waits_for_the_period_end(plan):
    plan.status = S.IMPLEMENTATION
    plan.save()
    with (
        time_machine.travel(dt.datetime(2027, 12, 31, 12, tzinfo=dt.UTC)),
        pytest.raises(DomainError, match="runs until"),
    ):
        move(plan, S.ENDED)
    with time_machine.travel(dt.datetime(2028, 1, 1, 12, tzinfo=dt.UTC)):
        move(plan, S.ENDED)
    move(plan, S.ARCHIVED)
    plan.refresh_from_db()
    assert plan.status == S.ARCHIVED


def test_free_steps_and_the_audit_record(plan):
    for status, to in [(S.CO_CREATION, S.DRAFTING), (S.DRAFT_PUBLIC_COMMENT, S.REASONED_RESPONSE)]:
        plan.status = status
        plan.save()
        move(plan, to)
    event = AuditEvent.objects.filter(action="plans.plan.transitioned").first()  # newest
    assert event.data == {"from_state": S.DRAFT_PUBLIC_COMMENT, "to_state": S.REASONED_RESPONSE}


def test_archived_plan_cannot_be_edited(plan, civil_servant):
    plan.status = S.ARCHIVED
    plan.save()
    with pytest.raises(DomainError, match="archived"):
        services.plan_update(plan, actor=civil_servant, expected_version=plan.version, title="New")


@pytest.mark.parametrize(
    "role", ["other_member_civil_servant", "cso_member", "citizen", "msf_member"]
)
def test_only_the_members_civil_servants_move_the_plan(request, client_for, role, plan):
    plan.co_creation_timeline = "Timeline"
    plan.status = S.NOTICE
    plan.notice_published_at = timezone.now() - dt.timedelta(days=30)
    plan.save()
    client = client_for(request.getfixturevalue(role))
    response = client.post(reverse("plans:plan-transition", args=[plan.pk]), {"to": S.CO_CREATION})
    assert response.status_code in (403, 404)
    plan.refresh_from_db()
    assert plan.status == S.NOTICE


def test_civil_servant_moves_the_plan_through_the_page(client_for, civil_servant, plan):
    plan.co_creation_timeline = "Timeline"
    plan.save()
    client = client_for(civil_servant)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Move to “Notice period”" in page
    response = client.post(
        reverse("plans:plan-transition", args=[plan.pk]),
        {"to": S.NOTICE, "confirmed": "1"},
        follow=True,
    )
    assert "The plan is now in “Notice period”" in response.content.decode()
    # The next step is shown with why it cannot happen yet
    assert "must be public for 14 days" in response.content.decode()


def test_refused_transition_shows_a_message_not_an_error_page(client_for, civil_servant, plan):
    response = client_for(civil_servant).post(
        reverse("plans:plan-transition", args=[plan.pk]),
        {"to": S.NOTICE, "confirmed": "1"},
        follow=True,
    )
    assert response.status_code == 200
    assert "co-creation timeline" in response.content.decode()


def edit_form(plan, **changes):
    return {
        "title": plan.title,
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "standards_version": plan.standards_version,
        "primary_language": plan.primary_language,
        "vision": plan.vision,
        "efforts_to_date": plan.efforts_to_date,
        "development_process": plan.development_process,
        "co_creation_timeline": plan.co_creation_timeline,
        "version": plan.version,
    } | changes


def test_changing_the_timeline_after_the_notice_restarts_the_clock_in_public(
    client, client_for, civil_servant, plan
):
    """MR 3.1: moving what people were told (the co-creation timeline, the plan's dates) while
    the notice is out starts the notice period again, and the plan page says so; editing the
    vision does not."""
    plan.co_creation_timeline = "March: idea collection."
    plan.save()
    with time_machine.travel(dt.datetime(2025, 11, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        move(plan, S.NOTICE)
    editor = client_for(civil_servant)
    url = reverse("plans:plan-edit", args=[plan.pk])
    with time_machine.travel(dt.datetime(2025, 11, 5, 9, 0, tzinfo=dt.UTC), tick=False):
        plan.refresh_from_db()
        assert editor.post(url, edit_form(plan, vision="A clearer vision.")).status_code == 302
        plan.refresh_from_db()
        assert plan.notice_published_at == dt.datetime(2025, 11, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2025, 11, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        form = edit_form(plan, co_creation_timeline="April: idea collection, two workshops.")
        assert editor.post(url, form).status_code == 302
    plan.refresh_from_db()
    assert plan.notice_published_at == dt.datetime(2025, 11, 10, 9, 0, tzinfo=dt.UTC)
    assert AuditEvent.objects.filter(action="plans.plan.notice_restarted").count() == 1
    plan.status = S.NOTICE  # the page is public from the notice on
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'id="notice-restarted"' in html
    assert "the notice period started again" in html
    # The first notice's 14 days would have ended on 15 November; the new one's on 24.
    with (
        time_machine.travel(dt.datetime(2025, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False),
        pytest.raises(DomainError, match="14 days"),
    ):
        move(plan, S.CO_CREATION)
    with time_machine.travel(dt.datetime(2025, 11, 23, 23, 0, tzinfo=dt.UTC), tick=False):
        move(plan, S.CO_CREATION)
    plan.refresh_from_db()
    assert plan.status == S.CO_CREATION
