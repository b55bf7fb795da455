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
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; no spreadsheet puts one in a CSV file.
        raise _nul_error(text.count("\n", 0, text.index("\x00")) + 1)
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


def _nul_error(line: int) -> ImportRejected:
    return _file_error(
        _(
            "Line %(line)s of the file holds a NUL character (a zero byte), which is not "
            "text. The file may be a spreadsheet or a UTF-16 file: save it as “CSV UTF-8” "
            "and upload it again."
        )
        % {"line": line}
    )


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _unclosed_quote(record: int, physical: int) -> RowError:
    where = (
        _("line %(line)s of the file") % {"line": physical}
        if physical != record
        else _("this line")
    )
    return RowError(
        record,
        "",
        _(
            'A cell starting with a quote (") in %(where)s is not closed where it should be, '
            "so the lines after it would be read as part of that cell. Close the quote, or "
            'write a quote that belongs to the text as two quotes ("").'
        )
        % {"where": where},
    )


def _records(text: str, delimiter: str) -> list[tuple[int, int, list[str]]]:
    """(record number, first line in the file, cells) of each record, read strictly: a quote
    that is opened and not closed before a delimiter or the end of a line is an error naming
    the record where it was opened, not the later line where the reader noticed."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, int, list[str]]] = []
    while True:
        first_line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error:
            raise ImportRejected([_unclosed_quote(len(records) + 1, first_line)]) from None
        records.append((len(records) + 1, first_line, cells))


def _swallows_a_record(cells: list[str], delimiter: str, columns: int) -> bool:
    """Whether a cell running over several lines holds a line that is a whole record of
    its own (as many delimiters as the header has): a quote opened by mistake that a stray
    quote closed again lines later, which would merge those rows into one silently."""
    if columns < 3:
        return False
    return any(
        line.count(delimiter) >= columns - 1 for cell in cells for line in cell.splitlines()[1:]
    )


def _parse_csv(text: str) -> list[Row]:
    header_line = text.splitlines()[0]
    try:
        dialect = csv.Sniffer().sniff(header_line, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # Line numbers are record numbers, as a spreadsheet numbers its rows: the header is 1.
    records = _records(text, delimiter)
    header = [_column_name(name) for name in records[0][2]]
    errors = _check_columns([name for name in header if name], 1)
    if "title" not in header:
        errors.append(
            RowError(1, "title", _("The first line must hold the column names, with a title."))
        )
    if errors:
        raise ImportRejected(errors)
    rows = []
    for number, first_line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue  # spreadsheets leave empty rows at the end
        spans_lines = any("\n" in cell or "\r" in cell for cell in cells)
        extra = cells[len(header) :]
        if spans_lines and _swallows_a_record(cells, delimiter, len(header)):
            errors.append(_unclosed_quote(number, first_line))
            continue
        if any(cell.strip() for cell in extra) or len(cells) < len(header):
            # A record that runs over several lines of the file and has the wrong number
            # of cells is almost always a quote opened by mistake: say so.
            errors.append(
                _unclosed_quote(number, first_line)
                if spans_lines
                else RowError(
                    number,
                    "",
                    _("This line has %(count)s cells; the first line has %(columns)s.")
                    % {"count": len(cells), "columns": len(header)},
                )
            )
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
        if _holds_nul(item):
            # Written as \u0000 in the JSON text: PostgreSQL refuses it in text all the same.
            raise _file_error(
                _(
                    "Commitment %(number)s holds a NUL character (\\u0000), which is not "
                    "text. Remove it and upload the file again."
                )
                % {"number": index}
            )
        values = {_column_name(str(key)): value for key, value in item.items()}
        errors += _check_columns(list(values), index)
        rows.append(Row(index, values))
    if errors:
        raise ImportRejected(errors)
    return rows
