"""Groups of near-duplicate inputs under /plans/<id>/inputs/clusters/: staff start the job
that suggests groups and follow its progress, confirm, merge, split or dismiss groups, and
answer a confirmed group with one response. A confirmed group's page is public: its inputs,
its response and its history."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from commitments.models import Commitment
from consultations.choices import ResponseDecision
from consultations.models import ClusterEvent, ClusteringJob, ClusteringStatus, InputCluster
from consultations.services import clusters as services
from ogp_portal.core.form_views import require, run_action, run_service
from plans.models import ActionPlan

from .ledger import MANAGE, ledger_entries, visible_plan

CLUSTERS_PER_PAGE = 50
MEMBERS_SHOWN = 200


class ClusterResponseForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=ResponseDecision.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reasoned response"), widget=forms.Textarea(attrs={"rows": 5})
    )
    commitments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Commitments it shaped"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, plan: ActionPlan, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["commitments"]
        field.queryset = Commitment.objects.filter(plan=plan).order_by("ogp_id")  # type: ignore[attr-defined]


def cluster_list(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    require(request, MANAGE, plan)
    clusters = (
        InputCluster.objects.filter(plan=plan)
        .annotate(size=Count("entries"))
        .order_by("confirmed_at", "-size", "pk")
    )
    page = Paginator(clusters, CLUSTERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/cluster_list.html",
        {
            "plan": plan,
            "page_obj": page,
            "clusters": page.object_list,
            "job": ClusteringJob.objects.filter(plan=plan).first(),
        },
    )


@require_POST
def cluster_suggest(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    require(request, MANAGE, plan)
    job, refused = run_action(
        request,
        lambda: services.clustering_request(plan, actor=request.user),  # type: ignore[arg-type]
    )
    if job is None:
        return redirect("clusters:cluster-list", plan_pk=plan.pk)
    return redirect("clusters:job-detail", plan_pk=plan.pk, pk=job.pk)


def job_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    require(request, MANAGE, plan)
    job = get_object_or_404(ClusteringJob, plan=plan, pk=pk)
    return render(
        request,
        "consultations/cluster_job.html",
        {
            "plan": plan,
            "job": job,
            "running": job.status in (ClusteringStatus.QUEUED, ClusteringStatus.RUNNING),
        },
    )


def _cluster(request: HttpRequest, plan: ActionPlan, pk: int, staff: bool) -> InputCluster:
    cluster = get_object_or_404(InputCluster, plan=plan, pk=pk)
    if cluster.confirmed_at is None and not staff:
        raise Http404  # a suggestion is a working note of the staff
    return cluster


def cluster_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = visible_plan(request, plan_pk)
    staff = request.user.has_perm(MANAGE, plan)
    cluster = _cluster(request, plan, pk, staff)
    members = (
        ledger_entries(request, plan, staff, ("response",)).filter(cluster=cluster).order_by("pk")
    )
    shown = list(members[:MEMBERS_SHOWN])
    responses = {e.response for e in shown if e.response_id}
    return render(
        request,
        "consultations/cluster_detail.html",
        {
            "plan": plan,
            "cluster": cluster,
            "members": shown,
            "member_count": members.count(),
            "responses": sorted(
                (r for r in responses if r.published_at or staff),
                key=lambda r: r.pk,
            ),
            "events": ClusterEvent.objects.filter(cluster=cluster).order_by("created_at", "pk"),
            "staff": staff,
            "others": InputCluster.objects.filter(plan=plan).exclude(pk=cluster.pk)[:100]
            if staff
            else [],
            "response_form": ClusterResponseForm(plan=plan) if staff else None,
        },
    )


@require_POST
def cluster_action(request: HttpRequest, plan_pk: int, pk: int, action: str) -> HttpResponse:
    """confirm, merge (other=<pk>), split (entries=<pk>…, label), dismiss, respond."""
    plan = visible_plan(request, plan_pk)
    require(request, MANAGE, plan)
    cluster = _cluster(request, plan, pk, True)
    user = request.user
    here = redirect("clusters:cluster-detail", plan_pk=plan.pk, pk=cluster.pk)
    if action == "confirm":
        _done, refused = run_action(request, lambda: services.cluster_confirm(cluster, actor=user))  # type: ignore[arg-type]
        if not refused:
            messages.success(request, _("The group is confirmed."))
        return here
    if action == "merge":
        other = get_object_or_404(InputCluster, plan=plan, pk=request.POST.get("other") or 0)
        _done, refused = run_action(
            request,
            lambda: services.cluster_merge(cluster, actor=user, other=other),  # type: ignore[arg-type]
        )
        if not refused:
            messages.success(request, _("The groups are merged."))
        return here
    if action == "split":
        ids = [int(v) for v in request.POST.getlist("entries") if v.isdigit()]
        new, refused = run_action(
            request,
            lambda: services.cluster_split(
                cluster,
                actor=user,  # type: ignore[arg-type]
                entry_ids=ids,
                label=request.POST.get("label", ""),
            ),
        )
        if new is not None:
            messages.success(request, _("The chosen inputs form a group of their own."))
            return redirect("clusters:cluster-detail", plan_pk=plan.pk, pk=new.pk)
        return here
    if action == "dismiss":
        _done, refused = run_action(request, lambda: services.cluster_dismiss(cluster, actor=user))  # type: ignore[arg-type]
        if not refused:
            messages.success(request, _("The group is dismissed; its inputs stand alone again."))
            return redirect("clusters:cluster-list", plan_pk=plan.pk)
        return here
    if action == "respond":
        form = ClusterResponseForm(request.POST, plan=plan)
        if form.is_valid():
            response, _error = run_service(
                form,
                lambda: services.cluster_respond(
                    cluster,
                    actor=user,  # type: ignore[arg-type]
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    commitments=form.cleaned_data["commitments"],
                ),
            )
            if response is not None:
                messages.success(
                    request, _("The response is saved as a draft; it is not public yet.")
                )
                return redirect("ledger:response-detail", plan_pk=plan.pk, pk=response.pk)
        for error in form.non_field_errors() or [_("Check the decision and the reasoning.")]:
            messages.error(request, str(error))
        return here
    raise Http404
