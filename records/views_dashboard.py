"""/dashboard/ and /members/<slug>/dashboard/: vital signs and who is missing (issue #18).
Public: every number comes from public records, profile data only as suppressed counts. The
page reads the bounded cut of one stored row (records.DashboardSnapshot, `data["page"]`), so
it costs the same however much the portal holds; `?csv=<chart>` serves a chart's complete
numbers from the same row."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ogp_portal.core.charts import table_csv_response
from ogp_portal.organisations.models import Member

from .dashboard.charts import csv_table, missing_charts, vital_charts
from .dashboard.refresh import page_for, snapshot_for


def _dashboard(request: HttpRequest, member: Member | None, base_url: str) -> HttpResponseBase:
    def csv(slug: str) -> str:
        return f"{base_url}?csv={slug}"

    wanted = request.GET.get("csv")
    if wanted:
        table = csv_table(wanted, snapshot_for(member).data, csv)
        if table is None:
            raise Http404
        prefix = member.slug if member else "portal"
        return table_csv_response(*table, f"{prefix}-dashboard-{wanted}.csv")
    computed_at, page = page_for(member)
    missing = page["missing"]
    return render(
        request,
        "records/dashboard.html",
        {
            "member": member,
            "computed_at": computed_at,
            "vital": vital_charts(page, csv),
            "missing": missing_charts(page, csv),
            "inputs_total": page["inputs"]["total"],
            "regions": missing["regions"],
            "returning": missing["returning"],
            "policy_areas": missing["policy_areas"],
            "returning_csv": csv("returning"),
        },
    )


def portal_dashboard(request: HttpRequest) -> HttpResponseBase:
    return _dashboard(request, None, reverse("dashboard:portal"))


def member_dashboard(request: HttpRequest, slug: str) -> HttpResponse | HttpResponseBase:
    member = get_object_or_404(Member, slug=slug)
    return _dashboard(request, member, reverse("dashboard:member", args=[member.slug]))
