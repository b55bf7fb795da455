"""/dashboard/ and /members/<slug>/dashboard/: vital signs and who is missing (issue #18).
Public: every number comes from public records, profile data only as suppressed counts. The
page reads one stored row (records.DashboardSnapshot); `?csv=<chart>` serves a chart's
numbers."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ogp_portal.core.charts import chart_csv_response
from ogp_portal.organisations.models import Member

from .dashboard.charts import missing_charts, vital_charts
from .dashboard.refresh import snapshot_for


def _dashboard(request: HttpRequest, member: Member | None, base_url: str) -> HttpResponseBase:
    snapshot = snapshot_for(member)
    data = snapshot.data

    def csv(slug: str) -> str:
        return f"{base_url}?csv={slug}"

    vital = vital_charts(data, csv)
    wanted = request.GET.get("csv")
    if wanted:
        # One chart's file: the who-is-missing charts are drawn only if it is one of theirs.
        chart = vital.get(wanted) or missing_charts(data, csv).get(wanted)
        if chart is None:
            raise Http404
        prefix = member.slug if member else "portal"
        return chart_csv_response(chart, f"{prefix}-dashboard-{wanted}.csv")
    return render(
        request,
        "records/dashboard.html",
        {
            "member": member,
            "snapshot": snapshot,
            "vital": vital,
            "missing": missing_charts(data, csv),
            "inputs_total": data["inputs"]["total"],
            "regions": data["missing"]["regions"],
            "returning": data["missing"]["returning"],
            "policy_areas": data["missing"]["policy_areas"],
        },
    )


def portal_dashboard(request: HttpRequest) -> HttpResponseBase:
    return _dashboard(request, None, reverse("dashboard:portal"))


def member_dashboard(request: HttpRequest, slug: str) -> HttpResponse | HttpResponseBase:
    member = get_object_or_404(Member, slug=slug)
    return _dashboard(request, member, reverse("dashboard:member", args=[member.slug]))
