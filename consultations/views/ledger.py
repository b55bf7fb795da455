"""The ledger of a plan's inputs (/plans/<id>/inputs/): the public list with its filters and
CSV, each input's page with its fate, and the staff screens (record an input typed in,
respond to selected inputs, send a response for review, publish it)."""

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from consultations.choices import ResponseStatus
from consultations.filters import InputEntryFilter
from consultations.forms_ledger import InputRecordForm, ResponseDraftForm, ResponseEditForm
from consultations.models import InputEntry, ReasonedResponse
from consultations.pagination import BoundedPaginator
from consultations.services import ledger as ledger_services
from consultations.services import responses as response_services
from ogp_portal.core.form_views import (
    PermissionRequiredMixin,
    ServiceFormMixin,
    require,
    run_action,
)
from ogp_portal.core.spreadsheets import csv_stream
from ogp_portal.users.models import User
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

ENTRIES_PER_PAGE = 50
MANAGE = "consultations.manage_ledger"


def visible_plan(request: HttpRequest, plan_pk: int) -> ActionPlan:
    """The plan of a ledger page, or 404 for whoever may not see it (drafts included)."""
    return get_object_or_404(
        ActionPlan.objects.visible_to(request.user).select_related("member"), pk=plan_pk
    )


# What each page shows beside the entry itself. Each page joins only these: with every
# relation at once (eight LEFT JOINs) PostgreSQL spent ~90 ms planning each query that then
# ran in 1 ms (the ledger of a 190,000-input plan).
LIST_RELATED = ("response", "organisation", "reconsideration")
CSV_RELATED = ("response", "organisation", "policy_area", "consultation")
DETAIL_RELATED = ("response", "organisation", "policy_area", "consultation", "cluster")


def ledger_entries(request: HttpRequest, plan: ActionPlan, staff: bool, related=LIST_RELATED):
    """The entries this person may read: staff see hidden ones too (marked)."""
    entries = InputEntry.objects.filter(plan=plan)
    if not staff:
        entries = entries.public()
    return entries.select_related(*related)


def input_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    staff = request.user.has_perm(MANAGE, plan)
    filters = InputEntryFilter(
        request.GET, queryset=ledger_entries(request, plan, staff), plan=plan, user=request.user
    )
    paginator = BoundedPaginator(filters.qs, ENTRIES_PER_PAGE, order=("-created_at", "-pk"))
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/input_list.html",
        {
            "plan": plan,
            "filters": filters,
            "page_obj": page,
            "entries": page.object_list,
            "staff": staff,
            "query": request.GET.urlencode(),
        },
    )


CSV_HEADER = (
    "reference",
    "kind",
    "channel",
    "consultation",
    "received_on",
    "title",
    "organisation",
    "policy_area",
    "decision",
    "reason",
    "response_published_at",
    "commitment_ids",
    "cluster",
)


def input_csv(request: HttpRequest, plan_pk: int) -> StreamingHttpResponse:
    """The public ledger under the current filter, streamed. Codes, not labels, for kind,
    channel and decision; never a name or a way to reach someone typed in by staff."""
    plan = visible_plan(request, plan_pk)
    filters = InputEntryFilter(
        request.GET,
        queryset=ledger_entries(request, plan, False, CSV_RELATED),
        plan=plan,
        user=request.user,
    )
    entries = filters.qs.order_by("created_at", "pk").prefetch_related("response__commitments")
    tz = plan.member.zone

    def rows():
        for entry in entries.iterator(chunk_size=500):
            response = entry.response if entry.response and entry.response.published_at else None
            yield [
                entry.reference,
                entry.kind,
                entry.channel,
                entry.consultation.title if entry.consultation else "",
                entry.received_on.isoformat() if entry.received_on else "",
                entry.title,
                entry.organisation.name if entry.organisation else "",
                entry.policy_area.name if entry.policy_area else "",
                response.decision if response else "",
                response.reason if response else "",
                timezone.localtime(response.published_at, tz).isoformat(timespec="minutes")
                if response
                else "",
                " ".join(c.ogp_id for c in response.commitments.all()) if response else "",
                entry.cluster_id or "",
            ]

    response = StreamingHttpResponse(
        csv_stream(CSV_HEADER, rows()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}-inputs.csv"'
    return response


def input_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    staff = request.user.has_perm(MANAGE, plan)
    entry = get_object_or_404(ledger_entries(request, plan, staff, DETAIL_RELATED), pk=pk)
    response = entry.response
    if response is not None and not (response.published_at or staff):
        response = None  # a draft is not public
    siblings = 0
    commitments: list = []
    if response is not None:
        # Only the inputs this reader may see on the response's page (no hidden ones).
        siblings = (
            ledger_entries(request, plan, staff, ())
            .filter(response=response)
            .exclude(pk=entry.pk)
            .count()
        )
        commitments = list(response.commitments.order_by("ogp_id"))
    return render(
        request,
        "consultations/input_detail.html",
        {
            "plan": plan,
            "entry": entry,
            "response": response,
            "siblings": siblings,
            "commitments": commitments,
            "staff": staff,
        },
    )


class LedgerStaffMixin(PermissionRequiredMixin):
    permission_required = MANAGE
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}  # type: ignore[misc]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}  # type: ignore[misc]


class InputRecordView(ServiceFormMixin, LedgerStaffMixin, FormView):
    """Type in one input received on paper, by phone, by e-mail, at a workshop or meeting."""

    template_name = "consultations/input_record_form.html"
    form_class = InputRecordForm
    request: AuthenticatedHttpRequest

    def get_initial(self):
        # A forum meeting page links here with its name and address filled in.
        initial = {k: self.request.GET[k] for k in ("kind", "source_label", "source_url")
                   if k in self.request.GET}  # fmt: skip
        if initial.get("kind") == "forum":
            initial.setdefault("channel", "meeting")
        return initial

    def form_valid(self, form):
        entry, refused = self.call_service(
            form,
            lambda: ledger_services.input_record(
                self.plan, actor=self.request.user, **self.service_data(form)
            ),
        )
        if refused or entry is None:
            return refused
        messages.success(
            self.request, _("The input is in the ledger as %(ref)s.") % {"ref": entry.reference}
        )
        if "another" in self.request.POST:
            return redirect("ledger:input-record", plan_pk=self.plan.pk)
        return redirect(entry.get_absolute_url())


class ResponseDraftView(ServiceFormMixin, LedgerStaffMixin, FormView):
    """Answer the inputs selected on the ledger page with one draft response."""

    template_name = "consultations/response_form.html"
    form_class = ResponseDraftForm
    request: AuthenticatedHttpRequest

    def get_initial(self):
        return {"entries": self.request.GET.getlist("entries")}

    def form_valid(self, form):
        response, refused = self.call_service(
            form,
            lambda: response_services.response_draft(
                self.plan, actor=self.request.user, **form.cleaned_data
            ),
        )
        if refused or response is None:
            return refused
        messages.success(self.request, _("The response is saved as a draft; it is not public yet."))
        return redirect("ledger:response-detail", plan_pk=self.plan.pk, pk=response.pk)


class ResponseEditView(ServiceFormMixin, LedgerStaffMixin, FormView):
    """Change the decision or reasoning of a response before it is published."""

    template_name = "consultations/response_edit_form.html"
    form_class = ResponseEditForm
    request: AuthenticatedHttpRequest

    def get_permission_object(self):
        plan = super().get_permission_object()
        self.response = get_object_or_404(
            ReasonedResponse.objects.filter(plan=plan, published_at__isnull=True),
            pk=self.kwargs["pk"],
        )
        return plan

    def get_initial(self):
        return {
            "decision": self.response.decision,
            "reason": self.response.reason,
            "commitments": list(self.response.commitments.all()),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "response": self.response}

    def form_valid(self, form):
        response, refused = self.call_service(
            form,
            lambda: response_services.response_edit(
                self.response, actor=self.request.user, **form.cleaned_data
            ),
        )
        if refused or response is None:
            return refused
        messages.success(self.request, _("The draft response is saved; it is not public yet."))
        return redirect("ledger:response-detail", plan_pk=self.plan.pk, pk=response.pk)


def response_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    response = get_object_or_404(ReasonedResponse.objects.filter(plan=plan), pk=pk)
    staff = request.user.has_perm(MANAGE, plan)
    if not (response.published_at or staff):
        raise Http404
    entries = ledger_entries(request, plan, staff, ()).filter(response=response).order_by("pk")
    return render(
        request,
        "consultations/response_detail.html",
        {
            "plan": plan,
            "response": response,
            "entries": entries[:200],
            "entry_count": entries.count(),
            "commitments": response.commitments.order_by("ogp_id"),
            "staff": staff,
            "editable": response.status != ResponseStatus.PUBLISHED,
        },
    )


@require_POST
def response_action(request: HttpRequest, plan_pk: int, pk: int, action: str) -> HttpResponse:
    plan = get_object_or_404(ActionPlan, pk=plan_pk)
    require(request, MANAGE, plan)
    response = get_object_or_404(ReasonedResponse.objects.filter(plan=plan), pk=pk)
    service = {
        "review": response_services.response_submit_for_review,
        "publish": response_services.response_publish,
        "withdraw": response_services.response_withdraw,
    }.get(action)
    if service is None:
        raise Http404
    actor = cast(User, request.user)  # require() let only the plan's civil servants in
    done, _error = run_action(request, lambda: service(response, actor=actor))
    if done is not None and action == "withdraw":
        messages.success(
            request, _("The draft response is withdrawn; its inputs await a response.")
        )
        return redirect("ledger:input-list", plan_pk=plan.pk)
    if done is not None:
        messages.success(
            request,
            _("The response is published.") if action == "publish"
            else _("The response is waiting for review."),
        )  # fmt: skip
    return redirect("ledger:response-detail", plan_pk=plan.pk, pk=response.pk)
