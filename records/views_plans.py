"""A plan's pages on the public record, mounted under /plans/ (records/urls_plans.py): its
self-assessment against the minimum requirements and its outreach log (MR 3.2).

Views parse, authorize, call a service and respond; every page runs in the member's time zone.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core import exports
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from . import irm_package, services
from .forms import OutreachForm
from .irm_package.content import SCHEMA_PATH
from .models import OutreachActivity
from .selectors.self_assessment import plan_self_assessment


def _plan_for(request: HttpRequest, pk: int) -> ActionPlan:
    """The plan if the visitor may see it (a draft is "not found" to outsiders)."""
    plan = get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("member"), pk=pk
    )
    timezone.activate(plan.member.zone)
    return plan


@in_member_time_zone
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Every minimum requirement of the plan's rule set, met or not over its period, with the
    records behind each line."""
    plan = _plan_for(request, pk)
    assessment = plan_self_assessment(plan)
    return render(
        request,
        "records/self_assessment.html",
        {
            "plan": plan,
            "member": plan.member,
            "assessment": assessment,
            "can_download_package": irm_package.can_export(request.user, plan),
        },
    )


def irm_package_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's IRM evidence package: the stored archive for the current content, if any,
    and the button that makes it (a job with a progress page; a GET never starts one)."""
    plan = _plan_for(request, pk)
    if not irm_package.can_export(request.user, plan):
        raise Http404
    language = plan.primary_language
    context = {
        "plan": plan,
        "member": plan.member,
        "kind": irm_package.KIND,
        "language": language,
        "content_type_id": ContentType.objects.get_for_model(ActionPlan).pk,
        "current": exports.current_file(irm_package.KIND, plan, language),
    }
    return render(request, "records/irm_package.html", context)


def irm_package_schema(request: HttpRequest) -> FileResponse:
    """The JSON Schema the package's irm-package.json follows (public)."""
    return FileResponse(
        SCHEMA_PATH.open("rb"), content_type="application/schema+json", filename=SCHEMA_PATH.name
    )


@in_member_time_zone
def outreach_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    """The plan's outreach activities, newest first (public)."""
    plan = _plan_for(request, plan_pk)
    activities = OutreachActivity.objects.filter(plan=plan).order_by("-held_on", "-pk")
    context = {
        "plan": plan,
        "member": plan.member,
        "page_obj": Paginator(activities, 25).get_page(request.GET.get("page")),
        "can_add": request.user.has_perm("records.add_outreach", plan),
    }
    return render(request, "records/outreach_list.html", context)


@in_member_time_zone
def outreach_create(request: AuthenticatedHttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan_for(request, plan_pk)
    require(request, "records.add_outreach", plan)
    form = OutreachForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        activity, error = run_service(
            form, lambda: services.outreach_record(plan, actor=request.user, **form.cleaned_data)
        )
        if activity is not None:
            messages.success(request, _("The outreach activity is on the record."))
            return redirect("plan_records:outreach-list", plan_pk=plan.pk)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request,
        "records/outreach_form.html",
        {"form": form, "plan": plan, "member": plan.member},
        status=status,
    )


def outreach_file(request: HttpRequest, pk: int) -> FileResponse:
    """An outreach activity's evidence file, if its plan is visible to the visitor."""
    activity = get_object_or_404(
        OutreachActivity.objects.filter(plan__in=ActionPlan.objects.visible_to(request.user)),
        pk=pk,
    )
    return file_response(activity.evidence)
