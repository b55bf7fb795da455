"""Commitments in and out of the portal as CSV or JSON, one row per commitment.

The columns follow the interchange schema of ogp-domain.md §5, plus `summary` (the model
requires a plain-language summary). Exports read with a fixed number of queries; imports
check every row before writing anything and then create all rows in one transaction
through the services, so a file is imported completely or not at all.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.spreadsheets import csv_stream, read_cell
from ogp_portal.core.translations import attach_translations, translated
from plans.models import ActionPlan

from .choices import OGP_VALUES, CommitmentStatus, MilestoneStatus
from .models import Commitment, Milestone
from .services import commitment_create, milestone_create

# ogp-domain.md §5, in that order, with `summary` after `title`.
COLUMNS = (
    "ogp_id",
    "member_iso2",
    "plan_period",
    "title",
    "summary",
    "brief_description",
    "problem",
    "causes",
    "solution",
    "expected_results",
    "lead_institution",
    "support_gov",
    "support_cso",
    "support_other",
    "policy_areas",
    "values_flags",
    "start",
    "end",
    "milestones",
    "status",
    "irm_verifiable",
    "irm_lens",
    "irm_potential_for_results",
    "irm_completion",
    "irm_early_results",
    "legacy_specificity",
    "legacy_potential_impact",
    "legacy_dig",
    "starred",
)

# Text columns copied to a model field of the same meaning.
TEXT_FIELDS = {
    "title": "title",
    "summary": "summary",
    "brief_description": "brief_description",
    "problem": "problem",
    "causes": "causes",
    "solution": "solution",
    "expected_results": "expected_results",
    "lead_institution": "lead_institution",
    "support_gov": "support_government",
    "support_cso": "support_civil_society",
    "support_other": "support_other",
}

# IRM review data and legacy scores, kept verbatim in Commitment.irm_assessment.
IRM_COLUMNS = COLUMNS[COLUMNS.index("irm_verifiable") :]

VALUE_NAMES = tuple(name for name, _label in OGP_VALUES)

# Older spellings of the OGP values seen in IRM data and the 2014 database.
VALUE_ALIASES = {
    "transparency": "access_to_information",
    "access_to_information": "access_to_information",
    "civic_participation": "civic_participation",
    "participation": "civic_participation",
    "public_accountability": "public_accountability",
    "accountability": "public_accountability",
    "technology_innovation": "technology_innovation",
    "technology_and_innovation": "technology_innovation",
}

# Where a model validation error belongs in the file.
FIELD_TO_COLUMN = {
    **{model_field: column for column, model_field in TEXT_FIELDS.items()},
    "start_date": "start",
    "end_date": "end",
    "policy_area": "policy_areas",
    "status": "status",
    "irm_assessment": "irm_verifiable",
    **dict.fromkeys(VALUE_NAMES, "values_flags"),
    NON_FIELD_ERRORS: "",
}

MILESTONE_KEYS = {
    "description": "description",
    "expected_output": "expected_output",
    "start": "start_date",
    "end": "due_date",
    "due": "due_date",
    "responsible": "responsible_actors",
    "status": "status",
}

# Alternative spellings of column names accepted in a header.
COLUMN_ALIASES = {"milestones(json)": "milestones", "policy_area": "policy_areas"}

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
SUMMARY_LENGTH = 280

# What each column means, for the import page.
COLUMN_HELP = {
    "ogp_id": gettext_lazy(
        "The OGP ID (for example XK0018). Exported for reference; ignored on import, "
        "because the portal gives every imported commitment a new ID."
    ),
    "member_iso2": gettext_lazy(
        "Two-letter code of the member. Optional; if given it must be this plan's member."
    ),
    "plan_period": gettext_lazy(
        "The plan period (start/end). Exported for reference; ignored on import."
    ),
    "title": gettext_lazy("Title of the commitment. Required."),
    "summary": gettext_lazy(
        "Plain-language summary, at most 280 characters. If empty, the start of the brief "
        "description is used."
    ),
    "brief_description": gettext_lazy("Brief description."),
    "problem": gettext_lazy("The problem the commitment addresses."),
    "causes": gettext_lazy("The causes of the problem."),
    "solution": gettext_lazy("The commitment: what will be done."),
    "expected_results": gettext_lazy("The results expected."),
    "lead_institution": gettext_lazy("The lead implementing institution. Required."),
    "support_gov": gettext_lazy("Supporting government actors."),
    "support_cso": gettext_lazy("Supporting civil-society actors."),
    "support_other": gettext_lazy(
        "Other supporting actors (parliament, private sector, multilaterals)."
    ),
    "policy_areas": gettext_lazy(
        "The name of one of this plan's policy areas (capitals do not matter). Optional."
    ),
    "values_flags": gettext_lazy(
        "The OGP values the commitment is relevant to, separated by |: "
        "access_to_information|civic_participation|public_accountability|technology_innovation "
        "(“transparency” is read as access to information)."
    ),
    "start": gettext_lazy("Start date, as YYYY-MM-DD, inside the plan period. Required."),
    "end": gettext_lazy("End date, as YYYY-MM-DD, inside the plan period. Required."),
    "milestones": gettext_lazy(
        "The milestones as a JSON list of objects with the keys description, "
        "expected_output, start, end (or due), responsible and status. Milestone dates lie "
        "inside the commitment's dates; a missing start means the commitment's start."
    ),
    "status": gettext_lazy(
        "not_started, in_progress, complete or withdrawn (empty means not_started). With "
        "milestones, the status follows from theirs unless the commitment is withdrawn."
    ),
    "irm_verifiable": gettext_lazy("IRM: verifiable (kept as given)."),
    "irm_lens": gettext_lazy("IRM: open government lens (kept as given)."),
    "irm_potential_for_results": gettext_lazy("IRM: potential for results (kept as given)."),
    "irm_completion": gettext_lazy("IRM: completion (kept as given)."),
    "irm_early_results": gettext_lazy("IRM: early results (kept as given)."),
    "legacy_specificity": gettext_lazy("Earlier IRM reports: specificity (kept as given)."),
    "legacy_potential_impact": gettext_lazy(
        "Earlier IRM reports: potential impact (kept as given)."
    ),
    "legacy_dig": gettext_lazy("Earlier IRM reports: did it open government? (kept as given)."),
    "starred": gettext_lazy("Earlier IRM reports: starred commitment (kept as given)."),
}


@dataclass(frozen=True)
class RowError:
    """A problem in an uploaded file: `line` None means the file as a whole."""

    line: int | None
    column: str
    message: str


class ImportRejected(DomainError):
    """The file was not imported; `errors` says where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(errors[0].message if errors else "")


@dataclass
class Row:
    """One commitment read from a file, with the line it came from."""

    line: int
    values: dict[str, Any]


@dataclass
class _Prepared:
    line: int
    fields: dict[str, Any]
    milestones: list[dict[str, Any]] = field(default_factory=list)


# --- export -------------------------------------------------------------------------------


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


# --- reading a file -----------------------------------------------------------------------


def _file_error(message: str) -> ImportRejected:
    return ImportRejected([RowError(None, "", message)])


def parse_upload(upload) -> list[Row]:
    """The rows of an uploaded CSV or JSON file (format from the name, else the content).
    Raises ImportRejected with one clear message when the file cannot be read."""
    raw = b"" if (upload.size or 0) > MAX_UPLOAD_BYTES else upload.read(MAX_UPLOAD_BYTES + 1)
    if (upload.size or 0) > MAX_UPLOAD_BYTES or len(raw) > MAX_UPLOAD_BYTES:
        raise _file_error(
            _("The file is larger than %(limit)s MB. Split it into smaller files.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _file_error(
            _(
                "The file is not UTF-8 text. In your spreadsheet program, save it as "
                "“CSV UTF-8”, then upload it again."
            )
        ) from None
    if not text.strip():
        raise _file_error(_("The file is empty."))
    suffix = PurePath(upload.name or "").suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in "[{")
    rows = _parse_json(text) if is_json else _parse_csv(text)
    if not rows:
        raise _file_error(_("The file has column names but no commitments."))
    if len(rows) > MAX_ROWS:
        raise _file_error(
            _(
                "A file may hold at most %(max)s commitments; this one has %(count)s. "
                "Split it into smaller files."
            )
            % {"max": f"{MAX_ROWS:,}", "count": f"{len(rows):,}"}
        )
    return rows


def _column_name(name: str) -> str:
    name = (name or "").strip().lower()
    return COLUMN_ALIASES.get(name, name)


def _check_columns(names: list[str], line: int) -> list[RowError]:
    errors = []
    seen = set()
    for name in names:
        if name not in COLUMNS:
            errors.append(RowError(line, name, _("Unknown column.")))
        elif name in seen:
            errors.append(RowError(line, name, _("This column appears twice.")))
        seen.add(name)
    return errors


def _parse_csv(text: str) -> list[Row]:
    header_line = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # Line numbers are record numbers, as a spreadsheet numbers its rows: the header is 1.
    try:
        records = list(reader)
    except csv.Error as error:
        raise _file_error(
            _("The file could not be read as CSV (near line %(line)s): %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from None
    header = [_column_name(name) for name in records[0]]
    errors = _check_columns([name for name in header if name], 1)
    if "title" not in header:
        errors.append(
            RowError(1, "title", _("The first line must hold the column names, with a title."))
        )
    if errors:
        raise ImportRejected(errors)
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave empty rows at the end
        extra = cells[len(header) :]
        if any(cell.strip() for cell in extra):
            errors.append(RowError(number, "", _("This line has more cells than the header.")))
            continue
        values = {name: read_cell(cell) for name, cell in zip(header, cells, strict=False) if name}
        rows.append(Row(number, values))
    if errors:
        raise ImportRejected(errors)
    return rows


def _parse_json(text: str) -> list[Row]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _file_error(
            _("The file is not valid JSON (line %(line)s, column %(column)s): %(error)s")
            % {"line": error.lineno, "column": error.colno, "error": error.msg}
        ) from None
    if not isinstance(data, list):
        raise _file_error(_("A JSON file must hold a list of commitments: [{…}, {…}]."))
    rows, errors = [], []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(index, "", _("Each commitment must be a JSON object.")))
            continue
        values = {_column_name(str(key)): value for key, value in item.items()}
        errors += _check_columns(list(values), index)
        rows.append(Row(index, values))
    if errors:
        raise ImportRejected(errors)
    return rows


# --- importing ----------------------------------------------------------------------------


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


def _prepare(plan: ActionPlan, areas: dict[str, Any], row: Row) -> tuple[_Prepared, list]:
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
        fields[model_field] = _text(values.get(column))
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
                "description": _text(data.get("description")),
                "expected_output": _text(data.get("expected_output")),
                "responsible_actors": _text(data.get("responsible")),
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
        item, row_errors = _prepare(plan, areas, row)
        prepared.append(item)
        errors += row_errors
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
