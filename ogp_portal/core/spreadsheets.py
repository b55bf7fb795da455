"""CSV for spreadsheet programs: streamed, UTF-8 with a byte order mark, and user text that
a spreadsheet would run as a formula kept as text (formula injection)."""

import csv
from collections.abc import Iterable, Iterator

# Spreadsheets run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def read_cell(text: str) -> str:
    """Undo safe_cell when a file the portal exported is imported again."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(_FORMULA_START):
        return text[1:]
    return text


def csv_stream(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text chunk by chunk (for StreamingHttpResponse), BOM first."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])
