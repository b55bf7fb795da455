"""Commitments out of the portal as CSV or JSON, in a fixed number of queries."""

import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from commitments.models import Commitment
from ogp_portal.core.spreadsheets import csv_stream
from ogp_portal.core.translations import attach_translations, translated
from plans.models import ActionPlan

from .schema import COLUMNS, IRM_COLUMNS, TEXT_FIELDS, VALUE_NAMES


def export_rows(
    plan: ActionPlan, language: str, commitments: QuerySet | None = None
) -> Iterator[dict[str, Any]]:
    """One dict per commitment of `plan` (or of `commitments`, a queryset of them), texts in
    `language` where translated, else in the plan's primary language. Three queries at
    most: commitments, milestones, translations."""
    if commitments is None:
        commitments = Commitment.objects.all()
    items = list(
        commitments.filter(plan=plan)
        .select_related("plan__member", "policy_area__plan")
        .prefetch_related("milestones")
        .order_by("position", "ogp_id")
    )
    milestones = [m for c in items for m in c.milestones.all()]
    # One instance per policy area, so its translations are attached once for every row.
    areas = {c.policy_area_id: c.policy_area for c in items if c.policy_area_id}
    for commitment in items:
        if commitment.policy_area_id:
            commitment.policy_area = areas[commitment.policy_area_id]
    attach_translations([*items, *milestones, *areas.values()], language)
    period = f"{plan.period_start.isoformat()}/{plan.period_end.isoformat()}"

    def text(obj, name: str) -> str:
        return translated(obj, name, language).text

    for commitment in items:
        row: dict[str, Any] = {
            "ogp_id": commitment.ogp_id,
            "member_iso2": plan.member.iso_code,
            "plan_period": period,
        }
        row.update({column: text(commitment, f) for column, f in TEXT_FIELDS.items()})
        row["policy_areas"] = (
            text(commitment.policy_area, "name") if commitment.policy_area_id else ""
        )
        row["values_flags"] = "|".join(n for n in VALUE_NAMES if getattr(commitment, n))
        row["start"] = commitment.start_date.isoformat()
        row["end"] = commitment.end_date.isoformat()
        row["milestones"] = [
            {
                "description": text(m, "description"),
                "expected_output": text(m, "expected_output"),
                "start": m.start_date.isoformat(),
                "end": m.due_date.isoformat(),
                "responsible": text(m, "responsible_actors"),
                "status": m.status,
            }
            for m in commitment.milestones.all()
        ]
        row["status"] = commitment.status
        assessment = commitment.irm_assessment or {}
        row.update({column: assessment.get(column, "") for column in IRM_COLUMNS})
        yield {column: row[column] for column in COLUMNS}


def write_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The rows as CSV text, chunk by chunk, starting with a UTF-8 byte order mark so that
    spreadsheet programs read the accents right. Milestones become a JSON cell."""

    def cells(row):
        for column in COLUMNS:
            value = row[column]
            if column == "milestones" or isinstance(value, list | dict | bool):
                value = json.dumps(value, ensure_ascii=False)
            yield value

    yield from csv_stream(COLUMNS, (cells(row) for row in rows))


def write_json(rows: Iterable[dict[str, Any]]) -> str:
    return json.dumps(list(rows), ensure_ascii=False, indent=2)
