"""Accessible charts drawn on the server as inline SVG, for every app and records.

Each chart is a `Chart`: the SVG (role="img", a <title> and a <desc> it is labelled by, the
numbers written in the active locale), plus the same numbers as a table, and the rows a CSV
download serves. Pages render it with `{% include "includes/_chart.html" with chart=... %}`,
which always puts the table beside the picture and links the CSV; no JavaScript, nothing
fetched, and it prints (the SVG scales to its box through its viewBox).

Two kinds: a horizontal bar chart, and a flow chart (three columns of bars joined by bands
whose width is the number of items going from one bar to the next, Sankey-like).

Colours (on white): bars and nodes #0b5394 (7.6:1), text #1b1f24, bands #0b5394 at 25 %
opacity (decorative; each band's number is in the table); WCAG 1.4.11 asks 3:1 for the parts
that carry meaning.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.http import StreamingHttpResponse
from django.utils.formats import number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .spreadsheets import csv_stream

INK = "#1b1f24"
BAR = "#0b5394"
TRACK = "#e4e8ee"
FONT = 'font-family="DejaVu Sans, system-ui, sans-serif"'


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str = ""


@dataclass(frozen=True)
class Flow:
    """`value` items go from node `source` to node `target` (node keys of two adjacent
    columns)."""

    source: str
    target: str
    value: int


@dataclass(frozen=True)
class Node:
    key: str
    label: str


@dataclass
class Chart:
    """What a page shows: the picture, and the same numbers as a table and a CSV."""

    slug: str
    title: str
    description: str
    svg: SafeString
    headers: list[str]
    rows: list[list[str | int]]
    csv_url: str = ""
    table_caption: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def labelled_rows(self) -> list[list[tuple[str, str | int]]]:
        """Each row's cells paired with their column header: on a phone the table stacks
        and every cell shows its header (data-label)."""
        return [list(zip(self.headers, row, strict=False)) for row in self.rows]


def _n(value: int | float) -> str:
    return number_format(value, force_grouping=True)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(
    slug: str, width: int, height: int, title: str, desc: str, body: Iterable[str]
) -> SafeString:
    """The <svg> element; `slug` makes its ids unique on the page."""
    uid = f"chart-{slug}"
    head = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{}-title {}-desc" {}>'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        width,
        height,
        uid,
        uid,
        mark_safe(FONT),  # noqa: S308 -- a constant of this module
        uid,
        title,
        uid,
        desc,
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 -- parts escaped above


def bar_chart(
    slug: str,
    title: str,
    bars: Sequence[Bar],
    *,
    description: str = "",
    label_header: str = "",
    value_header: str = "",
    csv_url: str = "",
) -> Chart:
    """Horizontal bars, one per row: the label on a line of its own above its bar (so long
    labels fit a 375 px screen), the number after the bar. `description` says in words what
    the chart shows (read by screen readers with the title)."""
    width, row_h, top = 400, 44, 4
    label_w = 340  # room left for the number after the longest bar
    biggest = max((b.value for b in bars), default=0) or 1
    parts: list[str] = []
    for i, bar in enumerate(bars):
        y = top + i * row_h
        length = round(label_w * bar.value / biggest) if bar.value else 0
        parts.append(
            format_html(
                '<g><text x="0" y="{}" font-size="14" fill="{}">{}</text>'
                '<rect x="0" y="{}" width="{}" height="16" fill="{}"/>'
                '<rect x="0" y="{}" width="{}" height="16" fill="{}"><title>{}: {}</title></rect>'
                '<text x="{}" y="{}" font-size="14" fill="{}">{}</text></g>',
                y + 14,
                INK,
                _truncate(bar.label, 48),
                y + 20,
                label_w,
                TRACK,
                y + 20,
                max(length, 1 if bar.value else 0),
                BAR,
                bar.label,
                _n(bar.value),
                length + 6,
                y + 33,
                INK,
                _n(bar.value),
            )
        )
    height = top + max(len(bars), 1) * row_h
    total = sum(b.value for b in bars)
    desc = description or ", ".join(f"{b.label}: {_n(b.value)}" for b in bars)
    return Chart(
        slug=slug,
        title=title,
        description=desc,
        svg=_svg(slug, width, height, title, desc, parts),
        headers=[label_header or title, value_header],
        rows=[[b.label, b.value] for b in bars],
        csv_url=csv_url,
        extra={"total": total, "bars": list(bars)},
    )


def flow_chart(
    slug: str,
    title: str,
    columns: Sequence[Sequence[Node]],
    flows: Sequence[Flow],
    *,
    column_titles: Sequence[str],
    description: str = "",
    value_header: str = "",
    csv_url: str = "",
) -> Chart:
    """Three (or more) columns of bars; a band joins a bar to one in the next column, as wide
    as the number of items flowing between them. A node's height is the larger of what comes
    in and what goes out. Labels sit beside their bar, the last column's on its left."""
    width, height, node_w, gap, top = 480, 360, 14, 10, 24
    col_x = [round(i * (width - node_w) / max(len(columns) - 1, 1)) for i in range(len(columns))]
    into: dict[str, int] = {}
    out: dict[str, int] = {}
    for f in flows:
        out[f.source] = out.get(f.source, 0) + f.value
        into[f.target] = into.get(f.target, 0) + f.value
    size = {n.key: max(into.get(n.key, 0), out.get(n.key, 0)) for col in columns for n in col}
    usable = height - top - 4
    scale = min(
        (usable - gap * (len(col) - 1)) / (sum(size[n.key] for n in col) or 1) for col in columns
    )
    pos: dict[str, tuple[int, float, float]] = {}  # key → (column, y, height)
    parts: list[str] = []
    for c, col in enumerate(columns):
        anchor = "end" if c == len(columns) - 1 and c > 0 else "start"
        parts.append(
            format_html(
                '<text x="{}" y="14" font-size="13" font-weight="bold" fill="{}" '
                'text-anchor="{}">{}</text>',
                col_x[c] + (node_w if anchor == "end" else 0),
                INK,
                anchor,
                column_titles[c] if c < len(column_titles) else "",
            )
        )
        y = float(top)
        for node in col:
            h = max(size[node.key] * scale, 2.0 if size[node.key] else 0.0)
            pos[node.key] = (c, y, h)
            label_x = col_x[c] - 4 if anchor == "end" else col_x[c] + node_w + 4
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                    "<title>{}: {}</title></rect>"
                    '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="{}">'
                    "{} ({})</text>",
                    col_x[c],
                    f"{y:.1f}",
                    node_w,
                    f"{h:.1f}",
                    BAR,
                    node.label,
                    _n(size[node.key]),
                    label_x,
                    f"{y + min(h, 24) / 2 + 4:.1f}",
                    INK,
                    anchor,
                    _truncate(node.label, 24),
                    _n(size[node.key]),
                )
            )
            y += h + gap
    # Bands, stacked in each node's height in the order the flows are given.
    used_out: dict[str, float] = {}
    used_in: dict[str, float] = {}
    bands: list[str] = []
    for f in flows:
        if f.source not in pos or f.target not in pos or not f.value:
            continue
        c, sy, _sh = pos[f.source]
        tc, ty, _th = pos[f.target]
        w = f.value * scale
        y0 = sy + used_out.get(f.source, 0.0)
        y1 = ty + used_in.get(f.target, 0.0)
        used_out[f.source] = used_out.get(f.source, 0.0) + w
        used_in[f.target] = used_in.get(f.target, 0.0) + w
        x0, x1 = col_x[c] + node_w, col_x[tc]
        mid = (x0 + x1) / 2
        path = (
            f"M{x0},{y0:.1f} C{mid:.1f},{y0:.1f} {mid:.1f},{y1:.1f} {x1},{y1:.1f} "
            f"L{x1},{y1 + w:.1f} C{mid:.1f},{y1 + w:.1f} {mid:.1f},{y0 + w:.1f} {x0},{y0 + w:.1f} Z"
        )
        bands.append(
            format_html(
                '<path d="{}" fill="{}" fill-opacity="0.25"><title>{} → {}: {}</title></path>',
                path,
                BAR,
                _label(columns, f.source),
                _label(columns, f.target),
                _n(f.value),
            )
        )
    rows: list[list[str | int]] = [
        [_label(columns, f.source), _label(columns, f.target), f.value] for f in flows if f.value
    ]
    desc = description or "; ".join(f"{a} → {b}: {_n(v)}" for a, b, v in rows)  # type: ignore[arg-type]
    return Chart(
        slug=slug,
        title=title,
        description=desc,
        # Bands under the bars so the bars' edges stay crisp.
        svg=_svg(slug, width, height, title, desc, [*bands, *parts]),
        headers=[*_pairwise_headers(column_titles), value_header],
        rows=rows,
        csv_url=csv_url,
    )


def _label(columns: Sequence[Sequence[Node]], key: str) -> str:
    for col in columns:
        for node in col:
            if node.key == key:
                return node.label
    return key


def _pairwise_headers(column_titles: Sequence[str]) -> list[str]:
    from django.utils.translation import gettext as _

    return [_("From"), _("To")] if len(column_titles) != 2 else list(column_titles)


def chart_csv_response(chart: Chart, filename: str) -> StreamingHttpResponse:
    """The chart's numbers as CSV (the same rows as its table)."""
    return table_csv_response(chart.headers, chart.rows, filename)


def table_csv_response(
    headers: Sequence[str], rows: Iterable[Sequence[str | int]], filename: str
) -> StreamingHttpResponse:
    """Rows as a CSV download: for a chart whose page shows a part of a longer list, the
    whole list."""
    response = StreamingHttpResponse(
        csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{escape(filename)}"'
    return response
