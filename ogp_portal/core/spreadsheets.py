"""CSV for spreadsheet programs: streamed, UTF-8 with a byte order mark, and user text that
a spreadsheet would run as a formula kept as text (formula injection)."""

import csv
import json
from collections.abc import Iterable, Iterator, Sequence

# Spreadsheets run cells that start with these as formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a stream."""

    def write(self, value: str) -> str:
        return value


def _needs_quote_mark(text: str) -> bool:
    """Whether a spreadsheet would run `text` as a formula, or `text` is such a cell already
    marked (apostrophes then a formula start), which must get a mark of its own so that
    read_cell gives back exactly what was written."""
    stripped = text.lstrip("'")
    return stripped.startswith(_FORMULA_START)


def safe_cell(value) -> str:
    """The cell as text, with an apostrophe in front when a spreadsheet would run it as a
    formula. Only these cells get one: a leading space or letter is left as it is."""
    text = "" if value is None else str(value)
    return f"'{text}" if _needs_quote_mark(text) else text


def read_cell(text: str) -> str:
    """The exact inverse of safe_cell, for a file the portal exported and is given back:
    removes the one apostrophe safe_cell added, and nothing else (no whitespace either)."""
    if text.startswith("'") and _needs_quote_mark(text[1:]):
        return text[1:]
    return text


def csv_stream(header: Iterable[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text chunk by chunk (for StreamingHttpResponse), BOM first."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(list(header))
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def json_array_stream(header: Sequence[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """A JSON array of objects (one per row, keyed by the header), chunk by chunk, for
    StreamingHttpResponse: a long list is never held in memory at once."""
    yield "["
    for number, row in enumerate(rows):
        item = json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False, default=str)
        yield ("," if number else "") + "\n" + item
    yield "\n]\n"
