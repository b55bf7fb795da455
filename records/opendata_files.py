"""Open data, the files themselves: the ?member=&plan= filter form, the rows of a dataset and
their CSV and JSON writers, and file names (records/opendata.py says what each dataset holds)."""

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.spreadsheets import csv_stream
from ogp_portal.organisations.models import Member

from .opendata import CHUNK_SIZE, Dataset, Filters, public_plans

# --- filters ------------------------------------------------------------------------------


class OpenDataFilterForm(forms.Form):
    """?member=<slug>&plan=<id>, both optional. Unknown values are errors (a 400), so that
    a typo does not look like an empty dataset."""

    member = forms.SlugField(required=False, max_length=80)
    plan = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def clean_member(self) -> str:
        slug = self.cleaned_data["member"]
        if slug and not Member.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _("No member has the short name “%(slug)s”."), params={"slug": slug}
            )
        return slug

    def clean_plan(self) -> int | None:
        plan = self.cleaned_data["plan"]
        if plan and not public_plans().filter(pk=plan).exists():
            raise forms.ValidationError(
                _("No published action plan has the number %(plan)s."), params={"plan": plan}
            )
        return plan

    @property
    def filters(self) -> Filters:
        return Filters(member=self.cleaned_data["member"], plan=self.cleaned_data["plan"])


# --- writing ------------------------------------------------------------------------------


def rows(dataset: Dataset, filters: Filters, site: str) -> Iterator[dict[str, Any]]:
    """The dataset's rows one by one, `CHUNK_SIZE` records per database round trip."""
    for record in dataset.queryset(filters).iterator(chunk_size=CHUNK_SIZE):
        yield dataset.row(record, site)


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool | list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(dataset: Dataset, records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """CSV, chunk by chunk, UTF-8 with a byte order mark; cells that a spreadsheet would run
    as formulas are kept as text (core.spreadsheets.safe_cell)."""
    header = dataset.header
    yield from csv_stream(header, ([_csv_value(row[name]) for name in header] for row in records))


def write_json(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON array, written an element at a time: `[`, the objects separated by commas,
    `]`. The whole file parses as JSON; each object sits on a line of its own."""
    yield "["
    separator = "\n"
    for row in records:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def filename(dataset: Dataset, filters: Filters, fmt: str, today: dt.date) -> str:
    """ogp-commitments-member-a-plan-3-2026-05-01.csv: what, which part, and when."""
    parts = ["ogp", dataset.name]
    if filters.member:
        parts.append(filters.member)
    if filters.plan:
        parts.append(f"plan-{filters.plan}")
    parts.append(today.isoformat())
    return "-".join(parts) + f".{fmt}"


def export_url(dataset: Dataset, fmt: str) -> str:
    return reverse("opendata:dataset-export", kwargs={"dataset": dataset.name, "fmt": fmt})
