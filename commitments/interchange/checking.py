"""Checking imported rows before anything is written: each row's cells read into model
fields and milestones, with every problem named by line and column."""

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from commitments.choices import CommitmentStatus, MilestoneStatus
from commitments.models import Commitment, Milestone
from commitments.services import (
    derived_status,
)
from plans.models import ActionPlan

from .schema import (
    FIELD_TO_COLUMN,
    IRM_COLUMNS,
    MILESTONE_KEYS,
    SUMMARY_LENGTH,
    TEXT_FIELDS,
    VALUE_ALIASES,
    VALUE_NAMES,
    Row,
    RowError,
)


@dataclass
class _Prepared:
    """One row turned into model values. For a row that updates a commitment (`existing`),
    `fields` holds only what the row's columns set, and `milestones` is None when the file
    has no milestones column (the commitment's milestones are then kept)."""

    line: int
    fields: dict[str, Any]
    milestones: list[dict[str, Any]] | None = field(default_factory=list)
    existing: Commitment | None = None


def _importable_status(value: Any, current: str = "") -> str:
    status = _choice(value, CommitmentStatus, CommitmentStatus.NOT_STARTED)
    if current == CommitmentStatus.WITHDRAWN and status != CommitmentStatus.WITHDRAWN:
        raise ValueError(
            _("This commitment was withdrawn; an import cannot change its status any more.")
        )
    if status == CommitmentStatus.WITHDRAWN and current != CommitmentStatus.WITHDRAWN:
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


def _prepare(
    plan: ActionPlan, areas: dict[str, Any], row: Row, existing: Commitment | None
) -> tuple[_Prepared, list[RowError]]:
    """Turn one row into model field values and check them with the models' own validation
    (without writing). A new commitment takes every column (a missing one is empty); an
    update by OGP ID (`existing`) changes only the columns the file has. Returns the
    prepared row and its errors."""
    line, values = row.line, row.values
    present = set(values)
    errors: list[RowError] = []
    fields: dict[str, Any] = {}

    def given(column: str) -> bool:
        return existing is None or column in present

    def convert(column: str, function: Callable[[Any], Any]) -> Any:
        try:
            return function(values.get(column))
        except ValueError as error:
            errors.append(RowError(line, column, str(error)))
            return None

    for column, model_field in TEXT_FIELDS.items():
        if given(column):
            fields[model_field] = _verbatim(values.get(column))
    if given("summary") and not fields.get("summary"):
        brief = fields.get("brief_description", existing.brief_description if existing else "")
        fields["summary"] = summary_from(brief)
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
    elif existing is not None and "policy_areas" in present:
        fields["policy_area"] = None
    if given("values_flags"):
        fields.update(convert("values_flags", _values_flags) or {})
    if given("start"):
        fields["start_date"] = convert("start", _date)
    if given("end"):
        fields["end_date"] = convert("end", _date)
    current_status = existing.status if existing else ""
    if given("status"):
        fields["status"] = convert("status", lambda v: _importable_status(v, current_status))
    irm_given = {column: values[column] for column in IRM_COLUMNS if column in values}
    if existing is None or irm_given:
        # Kept as given (numbers and booleans from JSON stay so); empty cells are left out.
        irm = {
            k: v for k, v in (existing.irm_assessment if existing else {}).items()
            if k not in irm_given
        }  # fmt: skip
        irm.update(
            {
                column: value.strip() if isinstance(value, str) else value
                for column, value in irm_given.items()
                if _text(value)
            }
        )
        fields["irm_assessment"] = irm
    raw_milestones = convert("milestones", _milestone_data) or [] if given("milestones") else None

    if existing is None:
        commitment = Commitment(plan=plan, **{k: v for k, v in fields.items() if v is not None})
    else:
        commitment = copy.copy(existing)
        for name, value in fields.items():
            setattr(commitment, name, value)
    try:
        # The database constraints (end after start) cost a query per object; clean() says
        # the same in words, and the services check the constraints again when saving.
        commitment.full_clean(exclude=["id", "ogp_id", "position"], validate_constraints=False)
    except ValidationError as error:
        # A column that already has a conversion error keeps that clearer message.
        known = {e.column for e in errors}
        errors += [e for e in _commitment_errors(line, error) if e.column not in known]

    milestones: list[dict[str, Any]] | None = None if raw_milestones is None else []
    for number, data in enumerate(raw_milestones or [], start=1):
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
            # Dates inside the commitment's are checked when it exists (on saving).
            milestone.full_clean(exclude=["commitment", "position"], validate_constraints=False)
        except ValidationError as error:
            errors += _milestone_errors(line, number, error)
        assert milestones is not None  # noqa: S101 (raw_milestones is a list here)
        milestones.append(milestone_fields)
    if existing is not None:
        kept = list(existing.milestones.all())
        if milestones is not None and len(milestones) < len(kept):
            errors.append(
                RowError(
                    line,
                    "milestones",
                    _(
                        "%(ogp_id)s has %(count)s milestones and the file lists %(given)s: an "
                        "import adds and changes milestones but does not delete them. List "
                        "all of them, in their order."
                    )
                    % {"ogp_id": existing.ogp_id, "count": len(kept), "given": len(milestones)},
                )
            )
        # The status the commitment will have: its milestones decide it, as on every save.
        statuses = [m["status"] for m in milestones] if milestones is not None else None
        if statuses is None:
            statuses = [m.status for m in kept]
        fields["status"] = derived_status(statuses, fields.get("status") or existing.status)
    return _Prepared(line, fields, milestones, existing), errors
