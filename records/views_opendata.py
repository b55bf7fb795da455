"""The open-data page and its downloads (records/opendata.py holds what the files contain)."""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ogp_portal.organisations.models import Member

from . import opendata, opendata_files

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
}


@require_safe
def opendata_index(request: HttpRequest) -> HttpResponse:
    datasets = [
        {
            "dataset": dataset,
            "links": [(fmt, opendata_files.export_url(dataset, fmt)) for fmt in opendata.FORMATS],
        }
        for dataset in opendata.DATASETS.values()
    ]
    context = {
        "datasets": datasets,
        "members": Member.objects.order_by("name").only("name", "slug"),
        "licence_name": opendata.LICENCE_NAME,
        "licence_url": opendata.LICENCE_URL,
        "example_url": opendata_files.export_url(opendata.DATASETS["commitments"], "csv"),
    }
    return render(request, "records/opendata.html", context)


def _bad_request(form: opendata_files.OpenDataFilterForm, fmt: str) -> HttpResponse:
    errors = {
        name: [str(message) for message in messages] for name, messages in form.errors.items()
    }
    if fmt == "json":
        body = json.dumps({"errors": errors}, ensure_ascii=False, indent=2) + "\n"
    else:
        lines = [_("The file was not made: the address has a wrong filter.")]
        lines += [f"{name}: {message}" for name, messages in errors.items() for message in messages]
        body = "\n".join(lines) + "\n"
    content_type = CONTENT_TYPES["json"] if fmt == "json" else "text/plain; charset=utf-8"
    return HttpResponse(body, status=400, content_type=content_type)


@require_safe
def dataset_export(
    request: HttpRequest, dataset: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """One dataset as CSV or JSON, streamed, optionally for one member (?member=<slug>) and/or
    one plan (?plan=<id>). Anyone may download; only public records are included."""
    data = opendata.DATASETS[dataset]  # the URL pattern only lets known names through
    form = opendata_files.OpenDataFilterForm(request.GET)
    if not form.is_valid():
        return _bad_request(form, fmt)
    filters = form.filters
    # The portal's canonical address (as in e-mails), not the Host header: a file passed on
    # must link to the portal whichever name or proxy it was downloaded through.
    records = opendata_files.rows(data, filters, settings.SITE_URL)
    if fmt == "csv":
        content = opendata_files.write_csv(data, records)
    else:
        content = opendata_files.write_json(records)
    response = StreamingHttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = opendata_files.filename(data, filters, fmt, timezone.localdate())
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
