"""Importing rows: every row is checked before anything is written, then all are created in
one transaction through the services."""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commitments.choices import CommitmentStatus, MilestoneStatus
from commitments.models import Commitment, Milestone
from commitments.services import commitment_create, milestone_create
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from plans.models import ActionPlan

from .reading import _file_error
from .schema import (
    FIELD_TO_COLUMN,
    IRM_COLUMNS,
    MILESTONE_KEYS,
    SUMMARY_LENGTH,
    TEXT_FIELDS,
    VALUE_ALIASES,
    VALUE_NAMES,
    ImportRejected,
    Row,
    RowError,
)


@dataclass
class _Prepared:
    line: int
    fields: dict[str, Any]
    milestones: list[dict[str, Any]] = field(default_factory=list)


def _importable_status(value: Any) -> str:
    status = _choice(value, CommitmentStatus, CommitmentStatus.NOT_STARTED)
    if status == CommitmentStatus.WITHDRAWN:
        # Withdrawing needs a public reason (commitment_withdraw); it is not a bulk edit.
        raise ValueError(
            _(
                "A commitment cannot be imported as withdrawn; import it, then withdraw it "
                "with a public reason."
            )
        )
    return status


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "|".join(_text(v) for v in value)
    return str(value).strip()


def _verbatim(value: Any) -> str:
    """A text cell as written, leading and trailing whitespace included (a title may begin
    with a tab or a space, and the round trip export → import must keep it); a cell of
    whitespace only is empty."""
    text = "|".join(_verbatim(v) for v in value) if isinstance(value, list) else value
    text = "" if text is None else str(text)
    return text if text.strip() else ""


def _date(value: Any) -> dt.date | None:
    value = _text(value)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            _("“%(value)s” is not a date: use YYYY-MM-DD, for example 2024-03-31.")
            % {"value": value}
        ) from None


def summary_from(description: str) -> str:
    """The first 280 characters of `description`, cut at a word boundary."""
    text = " ".join(description.split())
    if len(text) <= SUMMARY_LENGTH:
        return text
    cut = text[: SUMMARY_LENGTH + 1].rfind(" ")
    return text[: cut if cut > 0 else SUMMARY_LENGTH].rstrip(" ,;:–-")


def _values_flags(value: Any) -> dict[str, bool]:
    flags = dict.fromkeys(VALUE_NAMES, False)
    for part in _text(value).split("|"):
        key = re.sub(r"[\s-]+", "_", part.strip().lower())
        if not key:
            continue
        if key not in VALUE_ALIASES:
            raise ValueError(
                _("Unknown OGP value “%(value)s”. Use %(names)s, separated by |.")
                % {"value": part.strip(), "names": ", ".join(VALUE_NAMES)}
            )
        flags[VALUE_ALIASES[key]] = True
    return flags


def _choice(value: Any, choices, default: str) -> str:
    value = _text(value).lower().replace(" ", "_") or default
    if value not in choices.values:
        raise ValueError(
            _("“%(value)s” is not a status. Use one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choices.values)}
        )
    return value


def _milestone_data(value: Any) -> list[dict[str, Any]]:
    """The milestones cell as a list of objects (raises ValueError with a clear message)."""
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise ValueError(
                _("The milestones are not valid JSON (character %(pos)s): %(error)s")
                % {"pos": error.pos + 1, "error": error.msg}
            ) from None
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(m, dict) for m in value):
        raise ValueError(_("The milestones must be a JSON list of objects: [{…}, {…}]."))
    return value


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _commitment_errors(line: int, error: ValidationError) -> list[RowError]:
    return [
        RowError(line, FIELD_TO_COLUMN.get(name, name), message)
        for name, messages in _messages(error).items()
        for message in messages
    ]


def _milestone_errors(line: int, number: int, error: ValidationError) -> list[RowError]:
    return [
        RowError(
            line,
            "milestones",
            _("Milestone %(number)s: %(message)s") % {"number": number, "message": message},
        )
        for messages in _messages(error).values()
        for message in messages
    ]


def _prepare(plan: ActionPlan, areas: dict[str, Any], row: Row) -> tuple[_Prepared, list[RowError]]:
    """Turn one row into model field values and check them with the models' own validation
    (without writing). Returns the prepared row and its errors."""
    line, values = row.line, row.values
    errors: list[RowError] = []
    fields: dict[str, Any] = {}

    def convert(column, function):
        try:
            return function(values.get(column))
        except ValueError as error:
            errors.append(RowError(line, column, str(error)))
            return None

    for column, model_field in TEXT_FIELDS.items():
        fields[model_field] = _verbatim(values.get(column))
    if not fields["summary"]:
        fields["summary"] = summary_from(fields["brief_description"])
        if not fields["summary"]:
            errors.append(RowError(line, "summary", _("Give a summary or a brief description.")))
    iso = _text(values.get("member_iso2")).upper()
    if iso and iso != plan.member.iso_code:
        errors.append(
            RowError(
                line,
                "member_iso2",
                _("“%(code)s” is not this plan's member (%(member_code)s).")
                % {"code": iso, "member_code": plan.member.iso_code},
            )
        )
    area_name = _text(values.get("policy_areas"))
    if area_name:
        fields["policy_area"] = areas.get(area_name.casefold())
        if fields["policy_area"] is None:
            errors.append(
                RowError(
                    line,
                    "policy_areas",
                    _("This plan has no policy area “%(name)s”. Its policy areas: %(names)s.")
                    % {
                        "name": area_name,
                        "names": ", ".join(a.name for a in areas.values()) or _("none yet"),
                    },
                )
            )
    fields.update(convert("values_flags", _values_flags) or {})
    fields["start_date"] = convert("start", _date)
    fields["end_date"] = convert("end", _date)
    fields["status"] = convert("status", _importable_status)
    # Kept as given (numbers and booleans from JSON stay so); empty cells are left out.
    fields["irm_assessment"] = {
        column: values[column].strip() if isinstance(values[column], str) else values[column]
        for column in IRM_COLUMNS
        if _text(values.get(column))
    }
    raw_milestones = convert("milestones", _milestone_data) or []

    commitment = Commitment(plan=plan, **{k: v for k, v in fields.items() if v is not None})
    try:
        # The database constraints (end after start) cost a query per object; clean() says
        # the same in words, and the services check the constraints again when creating.
        commitment.full_clean(exclude=["ogp_id", "position"], validate_constraints=False)
    except ValidationError as error:
        # A column that already has a conversion error keeps that clearer message.
        known = {e.column for e in errors}
        errors += [e for e in _commitment_errors(line, error) if e.column not in known]

    milestones = []
    for number, data in enumerate(raw_milestones, start=1):
        unknown = sorted(set(data) - set(MILESTONE_KEYS))
        if unknown:
            errors.append(
                RowError(
                    line,
                    "milestones",
                    _("Milestone %(number)s: unknown key(s) %(keys)s. Use %(allowed)s.")
                    % {
                        "number": number,
                        "keys": ", ".join(unknown),
                        "allowed": ", ".join(MILESTONE_KEYS),
                    },
                )
            )
            continue
        try:
            milestone_fields = {
                "description": _verbatim(data.get("description")),
                "expected_output": _verbatim(data.get("expected_output")),
                "responsible_actors": _verbatim(data.get("responsible")),
                "start_date": _date(data.get("start")) or commitment.start_date,
                "due_date": _date(data.get("end", data.get("due"))),
                "status": _choice(data.get("status"), MilestoneStatus, MilestoneStatus.NOT_STARTED),
            }
        except ValueError as error:
            errors.append(
                RowError(
                    line,
                    "milestones",
                    _("Milestone %(number)s: %(message)s") % {"number": number, "message": error},
                )
            )
            continue
        milestone = Milestone(**milestone_fields)
        try:
            # Dates inside the commitment's are checked when it exists (on creation).
            milestone.full_clean(exclude=["commitment", "position"], validate_constraints=False)
        except ValidationError as error:
            errors += _milestone_errors(line, number, error)
        milestones.append(milestone_fields)
    return _Prepared(line, fields, milestones), errors


def import_commitments(plan: ActionPlan, *, actor, rows: list[Row]) -> list[Commitment]:
    """Create the commitments of `rows` in `plan`, all or none.

    Every row is checked first; only a file without problems is written, in one
    transaction, through commitment_create/milestone_create (which assign OGP IDs and check
    milestone dates against the saved commitment). Raises ImportRejected listing every
    problem as (line, column, message); nothing is then stored.
    """
    areas: dict[str, Any] = {}
    for area in plan.policy_areas.all():
        areas.setdefault(area.name.casefold(), area)
    prepared, errors = [], []
    for row in rows:
        item, item_errors = _prepare(plan, areas, row)
        prepared.append(item)
        errors += item_errors
    if errors:
        raise ImportRejected(errors)

    created: list[Commitment] = []
    with transaction.atomic():
        for item in prepared:
            # The services run their writes in savepoints of their own, so a row that fails
            # here leaves the transaction usable for checking the rows after it.
            row_errors: list[RowError] = []
            try:
                commitment = commitment_create(plan, actor=actor, **item.fields)
                for number, milestone_fields in enumerate(item.milestones, start=1):
                    try:
                        milestone_create(commitment, actor=actor, **milestone_fields)
                    except ValidationError as error:
                        row_errors += _milestone_errors(item.line, number, error)
            except ValidationError as error:
                row_errors += _commitment_errors(item.line, error)
            except IntegrityError as error:
                row_errors.append(
                    RowError(
                        item.line,
                        "",
                        _("This commitment could not be saved: %(error)s") % {"error": error},
                    )
                )
            except DomainError as error:
                # A rule about the whole plan (archived, no IDs left): one message is enough.
                raise _file_error(str(error)) from error
            if row_errors:
                errors += row_errors
            else:
                created.append(commitment)
        if errors:
            # Leaving the block with an exception rolls back every row created above.
            raise ImportRejected(errors)
        record_event(actor, "commitments.commitment.imported", plan, count=len(created))
    return created
