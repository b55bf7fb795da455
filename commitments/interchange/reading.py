"""Reading an uploaded CSV or JSON file into rows, checking its columns."""

import csv
import io
import json
from pathlib import PurePath

from django.utils.translation import gettext as _

from ogp_portal.core.spreadsheets import read_cell

from .schema import (
    COLUMN_ALIASES,
    COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ImportRejected,
    Row,
    RowError,
)


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
