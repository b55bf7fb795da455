"""What the IRM evidence package holds: the plan's public record as plain data (selector).

`irm_package_content(plan)` reads everything in a fixed number of queries, whatever the number
of commitments, milestones, inputs or meetings, and returns JSON-ready data: strings, numbers,
lists and dicts only, dates and instants in ISO 8601 (instants in UTC). It holds the public
record only (published responses, meetings with published minutes, public inputs, published
repository entries), so the same archive may be served to anyone who may download it, and no
build time: the same content gives the same canonical JSON, and so the same content hash.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q

from commitments.models import Commitment, Milestone, ProgressUpdate
from consultations.models import Consultation, InputEntry
from forums.models import Forum, ForumMeeting, ForumSeat
from ogp_portal.core.models import AuditEvent
from plans.models import ActionPlan
from records.models import OutreachActivity, RepositoryDocument
from records.selectors.self_assessment import SelfAssessment, plan_self_assessment

# Bump when the package's shape changes (the schema's "format" too).
FORMAT = "1"
# The JSON Schema irm-package.json follows (committed; served at /plans/irm-package.schema.json).
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "irm-package.schema.json"


def _instant(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _site() -> str:
    return str(getattr(settings, "SITE_URL", "") or "").rstrip("/")


def _url(path: str) -> str:
    return _site() + path if path else ""


def _assessment(assessment: SelfAssessment) -> dict[str, Any]:
    return {
        "standards_version": assessment.standards_version,
        "assessed_from": _day(assessment.assessed_from),
        "assessed_until": _day(assessment.assessed_until),
        "lines": [
            {
                "code": line.code,
                "title": str(line.title),
                "status": str(line.status),
                "detail": str(line.detail),
                "has_records": line.has_records,
                "counts": {str(k): int(v) for k, v in line.counts.items()},
                "years": [
                    {
                        "year": year.year,
                        "count": year.count,
                        "needed": year.needed,
                        "status": str(year.status),
                    }
                    for year in line.years
                ],
                "links": [{"label": str(link.label), "url": _url(link.url)} for link in line.links],
            }
            for line in assessment.lines
        ],
        "review_clock": {
            "deadline": _day(assessment.clock.deadline),
            "status": str(assessment.clock.status),
            "detail": str(assessment.clock.detail),
        },
        "influence": (
            {"level": assessment.influence.level, "evidence": assessment.influence.evidence}
            if assessment.influence
            else None
        ),
    }


def _timeline(plan: ActionPlan, consultations: list[Consultation]) -> list[dict[str, Any]]:
    """The co-creation timeline: the notice, each consultation's notice, opening and closing,
    and every stage the plan moved to (from the audit trail), earliest first."""
    events: list[dict[str, Any]] = []
    if plan.notice_published_at:
        events.append(
            {
                "at": _instant(plan.notice_published_at),
                "event": "plan.notice_published",
                "title": plan.title,
                "url": _url(plan.get_absolute_url()),
            }
        )
    for consultation in consultations:
        for event, moment in (
            ("consultation.notice_published", consultation.notice_published_at),
            ("consultation.opened", consultation.opens_at),
            ("consultation.closed", consultation.closes_at),
        ):
            if moment:
                events.append(
                    {
                        "at": _instant(moment),
                        "event": event,
                        "title": consultation.title,
                        "url": _url(consultation.get_absolute_url()),
                    }
                )
    transitions = AuditEvent.objects.filter(
        action="plans.plan.transitioned",
        target_type=ActionPlan._meta.label_lower,
        target_id=str(plan.pk),
    ).order_by("created_at", "pk")
    for audit in transitions.only("created_at", "data"):
        events.append(
            {
                "at": _instant(audit.created_at),
                "event": "plan.stage_changed",
                "title": f"{audit.data.get('from_state', '')} → {audit.data.get('to_state', '')}",
                "url": _url(plan.get_absolute_url()),
            }
        )
    events.sort(key=lambda row: (row["at"], row["event"], row["title"]))
    return events


def _inputs(plan: ActionPlan) -> list[dict[str, Any]]:
    """Every public input with its response when that is published (the public ledger)."""
    entries = (
        InputEntry.objects.public()
        .filter(plan=plan)
        .select_related("organisation", "policy_area", "commitment", "response")
        .prefetch_related(
            Prefetch(
                "response__commitments",
                queryset=Commitment.objects.only("pk", "ogp_id").order_by("ogp_id"),
            )
        )
        .order_by("pk")
    )
    rows = []
    for entry in entries:
        response = entry.response
        published = response is not None and response.published_at is not None
        rows.append(
            {
                "reference": entry.reference,
                "kind": entry.kind,
                "channel": entry.channel,
                "consultation_id": entry.consultation_id,
                "title": entry.title,
                "text": entry.text,
                "received_on": _day(entry.received_on),
                "recorded_at": _instant(entry.created_at),
                "organisation": entry.organisation.name if entry.organisation else "",
                "policy_area": entry.policy_area.name if entry.policy_area else "",
                "commitment": entry.commitment.ogp_id if entry.commitment else "",
                "url": _url(entry.get_absolute_url()),
                "response": (
                    {
                        "reference": response.reference,
                        "decision": response.decision,
                        "reason": response.reason,
                        "published_at": _instant(response.published_at),
                        "commitments": [c.ogp_id for c in response.commitments.all()],
                    }
                    if published and response is not None
                    else None
                ),
            }
        )
    return rows


def _forum(forum: Forum | None, start: dt.date, end: dt.date) -> dict[str, Any]:
    if forum is None:
        return {"seats": [], "meetings": []}
    seats = (
        ForumSeat.objects.filter(forum=forum)
        .overlapping(start, end)
        .select_related("organisation")
        .order_by("term_starts_on", "sector", "name", "pk")
    )
    meetings = (
        ForumMeeting.objects.with_published_minutes()
        .filter(forum=forum, starts_at__date__gte=start, starts_at__date__lte=end)
        .select_related("working_group")
        .prefetch_related("attendance", "decisions")
        .order_by("starts_at", "pk")
    )
    return {
        "seats": [
            {
                "name": seat.name,
                "organisation": seat.organisation.name if seat.organisation else "",
                "sector": seat.sector,
                "role": seat.role,
                "term_starts_on": _day(seat.term_starts_on),
                "term_ends_on": _day(seat.term_ends_on),
                "selected_via": seat.selected_via,
            }
            for seat in seats
        ],
        "meetings": [
            {
                "id": meeting.pk,
                "title": meeting.title,
                "kind": meeting.kind,
                "working_group": meeting.working_group.name if meeting.working_group else "",
                "starts_at": _instant(meeting.starts_at),
                "minutes_published_at": _instant(meeting.minutes_published_at),
                "url": _url(meeting.get_absolute_url()),
                "attendance": {
                    row.sector: row.count
                    for row in sorted(meeting.attendance.all(), key=lambda r: r.sector)
                },
                "decisions": [
                    decision.text
                    for decision in sorted(
                        meeting.decisions.all(), key=lambda d: (d.position, d.pk)
                    )
                ],
            }
            for meeting in meetings
        ],
    }


def _outreach(plan: ActionPlan) -> list[dict[str, Any]]:
    return [
        {
            "title": activity.title,
            "place": activity.place,
            "held_on": _day(activity.held_on),
            "audience": activity.audience,
            "materials": activity.materials,
            "evidence": _url(activity.get_absolute_url()),
        }
        for activity in OutreachActivity.objects.filter(plan=plan).order_by("held_on", "pk")
    ]


def _repository(plan: ActionPlan) -> list[dict[str, Any]]:
    documents = (
        RepositoryDocument.objects.published()
        .filter(Q(plan=plan) | Q(plan__isnull=True), member=plan.member)
        .order_by("published_at", "pk")
    )
    return [
        {
            "title": document.title,
            "type": document.doc_type,
            "published_at": _instant(document.published_at),
            "language": document.language,
            "link": _url(document.link) if document.link.startswith("/") else document.link,
        }
        for document in documents
    ]


def _commitments(plan: ActionPlan) -> list[dict[str, Any]]:
    commitments = (
        Commitment.objects.filter(plan=plan)
        .select_related("carried_from__plan")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by("position", "due_date", "pk"),
            ),
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("milestone").order_by(
                    "created_at", "pk"
                ),
            ),
            Prefetch(
                "carried_into",
                queryset=Commitment.objects.only("pk", "ogp_id", "carried_from_id"),
            ),
        )
        .order_by("position", "ogp_id")
    )
    rows = []
    for commitment in commitments:
        irm = commitment.irm_assessment or {}
        rows.append(
            {
                "ogp_id": commitment.ogp_id,
                "title": commitment.title,
                "lead_institution": commitment.lead_institution,
                "start_date": _day(commitment.start_date),
                "end_date": _day(commitment.end_date),
                "status": commitment.status,
                "completion": {
                    "level": commitment.completion_level or None,
                    "note": commitment.completion_note,
                    "evidence": commitment.completion_evidence_url,
                    "assessed_at": _instant(commitment.completion_assessed_at),
                },
                "irm": {str(k): str(v) for k, v in sorted(irm.items()) if v not in (None, "")},
                "carried_from": commitment.carried_from.ogp_id if commitment.carried_from else "",
                "carried_into": sorted(c.ogp_id for c in commitment.carried_into.all()),
                "url": _url(commitment.get_absolute_url()),
                "milestones": [
                    {
                        "position": milestone.position,
                        "description": milestone.description,
                        "expected_output": milestone.expected_output,
                        "start_date": _day(milestone.start_date),
                        "due_date": _day(milestone.due_date),
                        "status": milestone.status,
                    }
                    for milestone in commitment.milestones.all()
                ],
                "progress": [
                    {
                        "posted_at": _instant(update.created_at),
                        "milestone": update.milestone.description[:200] if update.milestone else "",
                        "milestone_status": update.milestone_status,
                        "narrative": update.narrative,
                        "evidence_url": update.evidence_url,
                    }
                    for update in commitment.progress_updates.all()
                ],
            }
        )
    return rows


def irm_package_content(plan: ActionPlan) -> dict[str, Any]:
    """The package's data for `plan` (see the module docstring), in a bounded number of
    queries."""
    plan = ActionPlan.objects.select_related("member").get(pk=plan.pk)
    assessment = plan_self_assessment(plan)
    consultations = list(
        Consultation.objects.filter(plan=plan, notice_published_at__isnull=False).order_by(
            "opens_at", "pk"
        )
    )
    forum = Forum.objects.filter(member=plan.member).first()
    forum_data = _forum(forum, assessment.assessed_from, plan.period_end)
    inputs = _inputs(plan)
    commitments = _commitments(plan)
    meetings = forum_data["meetings"]
    return {
        "format": FORMAT,
        "plan": {
            "id": plan.pk,
            "member": plan.member.name,
            "member_iso_code": plan.member.iso_code,
            "sequence_no": plan.sequence_no,
            "title": plan.title,
            "period_start": _day(plan.period_start),
            "period_end": _day(plan.period_end),
            "standards_version": plan.standards_version,
            "status": plan.status,
            "notice_published_at": _instant(plan.notice_published_at),
            "url": _url(plan.get_absolute_url()),
        },
        "self_assessment": _assessment(assessment),
        "timeline": _timeline(plan, consultations),
        "inputs": inputs,
        "seats": forum_data["seats"],
        "meetings": meetings,
        "outreach": _outreach(plan),
        "repository": _repository(plan),
        "commitments": commitments,
        "counts": {
            "commitments": len(commitments),
            "milestones": sum(len(c["milestones"]) for c in commitments),
            "inputs": len(inputs),
            "inputs_answered": sum(1 for row in inputs if row["response"]),
            "consultations": len(consultations),
            "meetings": len(meetings),
            "decisions": sum(len(m["decisions"]) for m in meetings),
        },
    }
