"""Counting the dashboards into records.DashboardSnapshot: the periodic job (beat runs
`refresh_dashboards_task`, settings CELERY_BEAT_SCHEDULE) and `refresh_snapshot` for one
scope. Pages read the row; one missing is counted once on first view."""

from typing import Any

from celery import shared_task
from django.utils import timezone

from ogp_portal.organisations.models import Member
from records.models import DashboardSnapshot

from .missing import who_is_missing
from .vital import inputs_and_responses, participation, plan_rows

PORTAL = "portal"


def scope_of(member: Member | None) -> str:
    return f"member:{member.pk}" if member else PORTAL


def compute(member: Member | None) -> dict[str, Any]:
    member_id = member.pk if member else None
    return {
        "plans": plan_rows(member_id),
        "participation": participation(member_id),
        "inputs": inputs_and_responses(member_id),
        "missing": who_is_missing(member_id),
    }


def refresh_snapshot(member: Member | None) -> DashboardSnapshot:
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        scope=scope_of(member),
        defaults={"member": member, "data": compute(member), "computed_at": timezone.now()},
    )
    return snapshot


def snapshot_for(member: Member | None) -> DashboardSnapshot:
    """The stored numbers (one query); counted now only if the job has not run yet."""
    found = DashboardSnapshot.objects.filter(scope=scope_of(member)).first()
    return found or refresh_snapshot(member)


def refresh_all() -> int:
    count = 0
    for member in Member.objects.order_by("pk"):
        refresh_snapshot(member)
        count += 1
    refresh_snapshot(None)
    return count + 1


@shared_task
def refresh_dashboards_task() -> int:
    """Count every member's dashboard and the portal-wide one."""
    return refresh_all()
