"""Counting the dashboards into records.DashboardSnapshot: the periodic job (beat runs
`refresh_dashboards_task`, settings CELERY_BEAT_SCHEDULE) and `refresh_snapshot` for one
scope. A page reads only the bounded cut stored with the numbers (`data["page"]`, page.py);
a chart's CSV reads the complete numbers. One missing is counted once on first view."""

import datetime as dt
from typing import Any

from celery import shared_task
from django.utils import timezone

from ogp_portal.organisations.models import Member
from records.models import DashboardSnapshot

from . import page
from .missing import who_is_missing
from .vital import inputs_and_responses, participation, plan_rows

PORTAL = "portal"


def scope_of(member: Member | None) -> str:
    return f"member:{member.pk}" if member else PORTAL


def compute(member: Member | None) -> dict[str, Any]:
    member_id = member.pk if member else None
    data = {
        "plans": plan_rows(member_id),
        "participation": participation(member_id),
        "inputs": inputs_and_responses(member_id),
        "missing": who_is_missing(member_id),
    }
    data["page"] = page.page(data)
    return data


def refresh_snapshot(member: Member | None) -> DashboardSnapshot:
    snapshot, _created = DashboardSnapshot.objects.update_or_create(
        scope=scope_of(member),
        defaults={"member": member, "data": compute(member), "computed_at": timezone.now()},
    )
    return snapshot


def snapshot_for(member: Member | None) -> DashboardSnapshot:
    """The stored numbers (one query); counted now only if the job has not run yet (or
    counted them before the page's shape changed)."""
    found = DashboardSnapshot.objects.filter(scope=scope_of(member)).first()
    if found and found.data.get("page", {}).get("version") == page.VERSION:
        return found
    return refresh_snapshot(member)


def page_for(member: Member | None) -> tuple[dt.datetime, dict[str, Any]]:
    """When the numbers were counted, and the bounded cut a page draws: one query that
    fetches only that part of the row (so its cost does not grow with the data)."""
    found = (
        DashboardSnapshot.objects.filter(scope=scope_of(member))
        .values_list("computed_at", "data__page")
        .first()
    )
    if found and isinstance(found[1], dict) and found[1].get("version") == page.VERSION:
        return found[0], found[1]
    snapshot = refresh_snapshot(member)
    return snapshot.computed_at, snapshot.data["page"]


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
