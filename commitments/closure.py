"""Closing a plan's commitments (issue #17): the completion assessment at the plan's end, the
IRM's published assessments imported per commitment, and carrying an unfinished commitment
into the successor plan.

Services (`<entity>_<verb>(obj, *, actor, ...)`): each checks its preconditions, writes, and
records one audit event per changed commitment.
"""

import csv
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User
from plans.choices import PlanStatus
from plans.models import ActionPlan

from .choices import CommitmentStatus, CompletionLevel
from .models import Commitment, Milestone
from .services import next_ogp_id

# Plans whose commitments may be assessed: in implementation (the last months) and ended.
ASSESSABLE_PLAN_STATUSES = (PlanStatus.IMPLEMENTATION, PlanStatus.ENDED)
# Plans whose commitments read their completion level instead of their implementation status.
CLOSED_PLAN_STATUSES = (PlanStatus.ENDED, PlanStatus.ARCHIVED)
# A successor plan may take a commitment in while it is still being drafted or implemented.
RECEIVING_PLAN_STATUSES = (
    PlanStatus.PLANNING,
    PlanStatus.NOTICE,
    PlanStatus.CO_CREATION,
    PlanStatus.DRAFTING,
    PlanStatus.DRAFT_PUBLIC_COMMENT,
    PlanStatus.REASONED_RESPONSE,
    PlanStatus.ADOPTED,
    PlanStatus.IMPLEMENTATION,
)


@transaction.atomic
def commitment_assess_completion(
    commitment: Commitment, *, actor: User, level: str, note: str, evidence_url: str = ""
) -> Commitment:
    """Record how far the commitment got by the plan's end.

    Preconditions: the plan is in implementation or ended; the commitment is not withdrawn;
    `level` is a CompletionLevel; a note says why. Effects: sets the completion fields and
    records `commitments.commitment.completion_assessed` (from and to level). Errors:
    DomainError."""
    if commitment.plan.status not in ASSESSABLE_PLAN_STATUSES:
        raise DomainError(
            _("Completion is assessed at the plan’s end, once it is in implementation or ended.")
        )
    if commitment.status == CommitmentStatus.WITHDRAWN:
        raise DomainError(_("A withdrawn commitment gets no completion level."))
    if level not in CompletionLevel.values:
        raise DomainError(_("Choose a completion level."))
    if not note.strip():
        raise DomainError(_("Say in a note what was achieved and what was not."))
    before = commitment.completion_level
    commitment.completion_level = level
    commitment.completion_note = note.strip()
    commitment.completion_evidence_url = evidence_url.strip()
    commitment.completion_assessed_at = timezone.now()
    commitment.save(
        update_fields=[
            "completion_level",
            "completion_note",
            "completion_evidence_url",
            "completion_assessed_at",
            "updated_at",
        ]
    )
    record_event(
        actor, "commitments.commitment.completion_assessed", commitment, reason=note,
        from_state=before, to_state=level,
    )  # fmt: skip
    return commitment


def successor_plan(plan: ActionPlan) -> ActionPlan | None:
    """The member's next plan (the first starting after this one ends), if any."""
    return (
        ActionPlan.objects.filter(member_id=plan.member_id, period_start__gt=plan.period_end)
        .order_by("period_start", "pk")
        .first()
    )


def is_unfinished(commitment: Commitment) -> bool:
    return commitment.status != CommitmentStatus.WITHDRAWN and (
        commitment.completion_level != CompletionLevel.COMPLETE
        and commitment.status != CommitmentStatus.COMPLETE
    )


@transaction.atomic
def commitment_carry_over(commitment: Commitment, *, actor: User) -> Commitment:
    """Carry an unfinished commitment into the member's successor plan: a new commitment
    there (new OGP ID, the same template text, its unfinished milestones) that points back
    to this one, so each page links to the other.

    Preconditions: the plan is ended (or in implementation); the commitment is unfinished and
    not carried over yet; a successor plan exists and is not adopted-and-closed. Effects:
    creates the commitment and milestones; records `commitments.commitment.carried_over` on
    both. Errors: DomainError."""
    plan = commitment.plan
    if plan.status not in ASSESSABLE_PLAN_STATUSES:
        raise DomainError(_("Only a commitment of a plan at its end can be carried over."))
    if not is_unfinished(commitment):
        raise DomainError(_("Only an unfinished commitment can be carried over."))
    if Commitment.objects.filter(carried_from=commitment).exists():
        raise DomainError(_("This commitment is already carried into the next plan."))
    successor = successor_plan(plan)
    if successor is None:
        raise DomainError(_("The member has no next plan to carry this commitment into yet."))
    if successor.status not in RECEIVING_PLAN_STATUSES:
        raise DomainError(_("The next plan no longer takes new commitments."))
    position = (
        Commitment.objects.filter(plan=successor).aggregate(last=Max("position"))["last"] or 0
    ) + 1
    copied = {
        name: getattr(commitment, name)
        for name in (
            "title", "summary", "brief_description", "problem", "causes", "done_so_far",
            "solution", "expected_results", "access_to_information",
            "access_to_information_explanation", "civic_participation",
            "civic_participation_explanation", "public_accountability",
            "public_accountability_explanation", "technology_innovation",
            "technology_innovation_explanation", "lead_institution", "lead_organisation_id",
            "support_government", "support_civil_society", "support_other", "budget",
            "links_to_other_plans",
        )
    }  # fmt: skip
    new = Commitment.objects.create(
        plan=successor,
        ogp_id=next_ogp_id(plan.member.iso_code),
        position=position,
        start_date=successor.period_start,
        end_date=successor.period_end,
        carried_from=commitment,
        **copied,
    )
    unfinished = commitment.milestones.exclude(status="complete").order_by("position", "pk")
    Milestone.objects.bulk_create(
        Milestone(
            commitment=new,
            position=milestone.position,
            description=milestone.description,
            expected_output=milestone.expected_output,
            responsible_actors=milestone.responsible_actors,
            start_date=successor.period_start,
            due_date=successor.period_end,
        )
        for milestone in unfinished
    )
    record_event(actor, "commitments.commitment.carried_over", commitment, into=new.ogp_id)
    record_event(actor, "commitments.commitment.carried_in", new, carried_from=commitment.ogp_id)
    return new


# --- the IRM's published assessments ---------------------------------------------------------

# Column → (the key kept in Commitment.irm_assessment, the values the IRM publishes).
IRM_IMPORT_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "potential_for_results": (
        "irm_potential_for_results",
        ("unclear", "modest", "substantial"),
    ),
    "potential_impact": (
        "legacy_potential_impact",
        ("none", "minor", "moderate", "transformative"),
    ),
    "completion": (
        "irm_completion",
        ("no_evidence_available", "not_started", "limited", "substantial", "complete"),
    ),
    "early_results": (
        "irm_early_results",
        ("no_notable_results", "moderate", "significant", "outstanding"),
    ),
    "report_url": ("irm_report_url", ()),
}


@dataclass(frozen=True)
class IrmRow:
    line: int
    ogp_id: str
    values: dict[str, str]


def irm_assessments_parse(plan: ActionPlan, data: bytes) -> list[IrmRow]:
    """Strictly read an IRM assessments CSV for `plan`: UTF-8, a header with `ogp_id` and
    known columns only, one row per commitment of the plan, each value one the IRM publishes.
    Raises DomainError listing every problem by line; returns nothing half-read."""
    problems: list[str] = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(_("The file is not UTF-8 text.")) from error
    if "\x00" in text:
        raise DomainError(_("The file contains a NUL byte; it is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise DomainError(
            _("Line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    if not rows:
        raise DomainError(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    unknown = [name for name in header if name != "ogp_id" and name not in IRM_IMPORT_COLUMNS]
    if "ogp_id" not in header:
        problems.append(_("Line 1: the header has no ogp_id column."))
    if unknown:
        problems.append(_("Line 1: unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
    if len(set(header)) != len(header):
        problems.append(_("Line 1: a column appears twice."))
    if problems:
        raise DomainError(" ".join(problems))
    known = set(Commitment.objects.filter(plan=plan).values_list("ogp_id", flat=True))
    parsed: list[IrmRow] = []
    seen: set[str] = set()
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            problems.append(
                _("Line %(line)s: %(found)s cells, the header has %(expected)s.")
                % {"line": number, "found": len(cells), "expected": len(header)}
            )
            continue
        row = dict(zip(header, (cell.strip() for cell in cells), strict=True))
        ogp_id = row.pop("ogp_id").upper()
        if ogp_id not in known:
            problems.append(
                _("Line %(line)s: %(id)s is not a commitment of this plan.")
                % {"line": number, "id": ogp_id or "—"}
            )
        elif ogp_id in seen:
            problems.append(
                _("Line %(line)s: %(id)s appears twice.") % {"line": number, "id": ogp_id}
            )
        seen.add(ogp_id)
        values: dict[str, str] = {}
        for column, value in row.items():
            key, allowed = IRM_IMPORT_COLUMNS[column]
            normalised = value.lower().replace(" ", "_") if allowed else value
            if value and allowed and normalised not in allowed:
                problems.append(
                    _("Line %(line)s, column %(column)s: “%(value)s” is not one of %(allowed)s.")
                    % {
                        "line": number,
                        "column": column,
                        "value": value,
                        "allowed": ", ".join(allowed),
                    }
                )
            elif column == "report_url" and value and not value.startswith(("https://", "http://")):
                problems.append(
                    _("Line %(line)s, column report_url: not a web address.") % {"line": number}
                )
            elif value:
                values[key] = normalised
        parsed.append(IrmRow(number, ogp_id, values))
    if problems:
        raise DomainError(" ".join(problems))
    if not parsed:
        raise DomainError(_("The file has no rows."))
    return parsed


@transaction.atomic
def plan_import_irm_assessments(plan: ActionPlan, *, actor: User, data: bytes) -> int:
    """Import the IRM's published assessments for `plan`'s commitments from a CSV (see
    irm_assessments_parse): all rows or none. Each changed commitment's irm_assessment gets
    the new values (other keys kept) and one audit event. Returns how many changed."""
    rows = irm_assessments_parse(plan, data)
    commitments = {c.ogp_id: c for c in Commitment.objects.filter(plan=plan)}
    changed = 0
    for row in rows:
        commitment = commitments[row.ogp_id]
        before: dict[str, Any] = dict(commitment.irm_assessment or {})
        after = {**before, **row.values}
        if after == before:
            continue
        commitment.irm_assessment = after
        commitment.save(update_fields=["irm_assessment", "updated_at"])
        record_event(
            actor, "commitments.commitment.irm_assessment_imported", commitment, **row.values
        )
        changed += 1
    return changed
