"""The IRM evidence package as a ZIP file, made from its canonical JSON (content.py).

The archive holds `irm-package.json` (everything), one CSV per table, and `summary.pdf`.
Entries are written in a fixed order with a fixed date and fixed permissions, and the files
hold no build time, so the same content gives the same JSON and CSV bytes.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from typing import Any

from django.utils.translation import gettext as _

from ogp_portal.core.export_kinds import Progress
from ogp_portal.core.languages import text_direction
from records.exports import render_document

# ZIP entries carry a date; a fixed one keeps the archive free of build times.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)

Rows = Callable[[dict[str, Any]], Iterable[dict[str, Any]]]


def canonical_json(data: dict[str, Any]) -> str:
    """Sorted keys, no spaces: the text the content hash is computed over."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _timeline(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    return data["timeline"]


def _inputs(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for row in data["inputs"]:
        response = row["response"] or {}
        flat = {key: value for key, value in row.items() if key != "response"}
        flat.update(
            {
                "response_reference": response.get("reference", ""),
                "response_decision": response.get("decision", ""),
                "response_reason": response.get("reason", ""),
                "response_published_at": response.get("published_at", ""),
                "response_commitments": "|".join(response.get("commitments", [])),
            }
        )
        yield flat


def _attendance(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for meeting in data["meetings"]:
        for sector, count in sorted(meeting["attendance"].items()):
            yield {
                "meeting_id": meeting["id"],
                "meeting": meeting["title"],
                "kind": meeting["kind"],
                "starts_at": meeting["starts_at"],
                "sector": sector,
                "count": count,
            }


def _decisions(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for meeting in data["meetings"]:
        for position, text in enumerate(meeting["decisions"], start=1):
            yield {
                "meeting_id": meeting["id"],
                "meeting": meeting["title"],
                "starts_at": meeting["starts_at"],
                "position": position,
                "decision": text,
                "url": meeting["url"],
            }


def _commitments(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for commitment in data["commitments"]:
        yield {
            "ogp_id": commitment["ogp_id"],
            "title": commitment["title"],
            "lead_institution": commitment["lead_institution"],
            "start_date": commitment["start_date"],
            "end_date": commitment["end_date"],
            "status": commitment["status"],
            "completion_level": commitment["completion"]["level"] or "",
            "completion_note": commitment["completion"]["note"],
            "completion_evidence": commitment["completion"]["evidence"],
            "irm_potential_for_results": commitment["irm"].get("irm_potential_for_results", ""),
            "irm_completion": commitment["irm"].get("irm_completion", ""),
            "irm_early_results": commitment["irm"].get("irm_early_results", ""),
            "carried_from": commitment["carried_from"],
            "carried_into": "|".join(commitment["carried_into"]),
            "milestones": len(commitment["milestones"]),
            "milestones_complete": sum(
                1 for m in commitment["milestones"] if m["status"] == "complete"
            ),
            "progress_updates": len(commitment["progress"]),
            "url": commitment["url"],
        }


def _milestones(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for commitment in data["commitments"]:
        for milestone in commitment["milestones"]:
            yield {"ogp_id": commitment["ogp_id"], **milestone}


def _progress(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for commitment in data["commitments"]:
        for update in commitment["progress"]:
            yield {"ogp_id": commitment["ogp_id"], **update}


def _self_assessment(data: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for line in data["self_assessment"]["lines"]:
        yield {
            "code": line["code"],
            "title": line["title"],
            "status": line["status"],
            "detail": line["detail"],
            "links": " ".join(link["url"] for link in line["links"]),
        }


# (file name, rows, columns): the CSV files, in the archive's order.
TABLES: tuple[tuple[str, Rows, tuple[str, ...]], ...] = (
    ("self-assessment.csv", _self_assessment, ("code", "title", "status", "detail", "links")),
    ("timeline.csv", _timeline, ("at", "event", "title", "url")),
    (
        "inputs.csv",
        _inputs,
        (
            "reference",
            "kind",
            "channel",
            "consultation_id",
            "title",
            "text",
            "received_on",
            "recorded_at",
            "organisation",
            "policy_area",
            "commitment",
            "url",
            "response_reference",
            "response_decision",
            "response_reason",
            "response_published_at",
            "response_commitments",
        ),
    ),  # fmt: skip
    (
        "seats.csv",
        lambda data: data["seats"],
        (
            "name",
            "organisation",
            "sector",
            "role",
            "term_starts_on",
            "term_ends_on",
            "selected_via",
        ),
    ),  # fmt: skip
    (
        "attendance.csv",
        _attendance,
        ("meeting_id", "meeting", "kind", "starts_at", "sector", "count"),
    ),  # fmt: skip
    (
        "decisions.csv",
        _decisions,
        ("meeting_id", "meeting", "starts_at", "position", "decision", "url"),
    ),  # fmt: skip
    (
        "outreach.csv",
        lambda data: data["outreach"],
        ("title", "place", "held_on", "audience", "materials", "evidence"),
    ),
    (
        "repository.csv",
        lambda data: data["repository"],
        ("title", "type", "published_at", "language", "link"),
    ),
    (
        "commitments.csv",
        _commitments,
        (
            "ogp_id",
            "title",
            "lead_institution",
            "start_date",
            "end_date",
            "status",
            "completion_level",
            "completion_note",
            "completion_evidence",
            "irm_potential_for_results",
            "irm_completion",
            "irm_early_results",
            "carried_from",
            "carried_into",
            "milestones",
            "milestones_complete",
            "progress_updates",
            "url",
        ),
    ),  # fmt: skip
    (
        "milestones.csv",
        _milestones,
        (
            "ogp_id",
            "position",
            "description",
            "expected_output",
            "start_date",
            "due_date",
            "status",
        ),
    ),  # fmt: skip
    (
        "progress.csv",
        _progress,
        ("ogp_id", "posted_at", "milestone", "milestone_status", "narrative", "evidence_url"),
    ),
)


def csv_bytes(rows: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: "" if row.get(key) is None else row.get(key) for key in columns})
    return buffer.getvalue().encode("utf-8")


def summary_pdf(data: dict[str, Any], language: str) -> bytes:
    """The PDF summary: self-assessment, timeline with timestamps, counts."""
    # Imported here: WeasyPrint takes about 0.6 s to import, only the worker needs it.
    from ogp_portal.core.pdf import render_pdf

    html = render_document(
        "pdf/irm_package.html",
        {**data, "language": language, "direction": text_direction(language)},
    )
    return render_pdf(html)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def build_archive(content: str, language: str, progress: Progress) -> bytes:
    """The ZIP for the canonical JSON `content`."""
    data = json.loads(content)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            _entry("irm-package.json"),
            json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2).encode("utf-8"),
        )
        for name, rows, columns in TABLES:
            archive.writestr(_entry(name), csv_bytes(rows(data), columns))
        progress(50, _("Laying out the summary"))
        archive.writestr(_entry("summary.pdf"), summary_pdf(data, language))
    progress(88, _("Writing the archive"))
    return buffer.getvalue()
