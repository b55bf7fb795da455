"""CSV and JSON of a filtered list: the page's own filters and queryset, every match (not
one page), streamed. A list view answers `?format=csv` / `?format=json` with `stream_list`
and shows `download_links(request)` (the include includes/_list_downloads.html)."""

from collections.abc import Iterable, Sequence

from django.http import HttpRequest, StreamingHttpResponse

from .spreadsheets import csv_stream, json_array_stream

FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# Rows read from the database at a time while the file streams.
CHUNK = 500


def wanted_format(request: HttpRequest) -> str | None:
    """ "csv" or "json" when the request asks for a download of the list, else None."""
    fmt = request.GET.get("format")
    return fmt if fmt in FORMATS else None


def download_links(request: HttpRequest) -> list[tuple[str, str]]:
    """("CSV", "?<the page's filters>&format=csv") and the same for JSON."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    links = []
    for fmt, label in (("csv", "CSV"), ("json", "JSON")):
        query["format"] = fmt
        links.append((label, f"?{query.urlencode()}"))
    return links


def stream_list(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Iterable]
) -> StreamingHttpResponse:
    """The rows as a CSV file (spreadsheet-safe) or a JSON array of objects, streamed."""
    stream = csv_stream(header, rows) if fmt == "csv" else json_array_stream(header, rows)
    response = StreamingHttpResponse(stream, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
