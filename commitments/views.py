"""Public commitment pages and the screens civil servants and commitment leads use."""

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView
from django_filters.views import FilterView

from ogp_portal.core import list_downloads
from ogp_portal.core.diffs import version_list
from ogp_portal.core.files import file_response
from ogp_portal.core.form_views import (
    PermissionRequiredMixin,
    ServiceFormMixin,
    refusal_status,
    require,
    run_action,
    run_service,
)
from ogp_portal.core.translations import attach_translations, content_type_id
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from . import services
from .filters import CommitmentFilter
from .forms import CommitmentForm, MilestoneForm, PartnerForm, ProgressForm, WithdrawForm
from .models import Commitment, Milestone, ProgressUpdate

# The IRM's assessments shown on the commitment page (keys of Commitment.irm_assessment).
IRM_LABELS = (
    ("irm_verifiable", gettext_lazy("Verifiable")),
    ("irm_potential_for_results", gettext_lazy("Potential for results")),
    ("legacy_potential_impact", gettext_lazy("Potential impact")),
    ("irm_completion", gettext_lazy("Completion")),
    ("irm_early_results", gettext_lazy("Early results")),
    ("legacy_dig", gettext_lazy("Did it open government?")),
    ("starred", gettext_lazy("Starred")),
)


def _visible_commitment(request, ogp_id: str) -> Commitment:
    return get_object_or_404(
        Commitment.objects.visible_to(request.user).select_related(
            "plan__member", "policy_area", "lead_organisation", "carried_from__plan"
        ),
        ogp_id=ogp_id,
    )


# The columns of the list's CSV and JSON download (the filtered list, not the OGP schema).
LIST_COLUMNS = ("ogp_id", "title", "member", "plan", "policy_area", "lead_institution", "status")


class CommitmentListView(FilterView):
    filterset_class = CommitmentFilter
    paginate_by = 25
    template_name = "commitments/commitment_list.html"

    def get(self, request, *args, **kwargs):
        fmt = list_downloads.wanted_format(request)
        if fmt is None:
            return super().get(request, *args, **kwargs)
        # The same filters and visibility as the page, every match (not one page), streamed.
        filterset = self.get_filterset(self.get_filterset_class())
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        rows = (
            (
                c.ogp_id,
                c.title,
                c.plan.member.name,
                c.plan.title,
                c.policy_area.name if c.policy_area else "",
                c.lead_institution,
                c.get_status_display(),
            )
            for c in queryset.iterator(chunk_size=list_downloads.CHUNK)
        )
        return list_downloads.stream_list(fmt, "commitments", LIST_COLUMNS, rows)

    def get_queryset(self):
        return (
            Commitment.objects.visible_to(self.request.user)
            .select_related("plan__member", "policy_area")
            .order_by("plan__member__name", "-plan__period_start", "position", "ogp_id")
        )

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        attach_translations(context["page_obj"].object_list, get_language() or "en")
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["download_links"] = list_downloads.download_links(self.request)
        return context


def closure_context(commitment: Commitment, user) -> dict:
    """The commitment page's closure part: its completion, the IRM's assessments, the
    commitments it was carried from or into, and what the visitor may do about them."""
    from . import closure  # closure builds on services, which views import too

    irm = commitment.irm_assessment or {}
    can_carry = (
        user.has_perm("commitments.carry_over", commitment)
        and commitment.plan.status in closure.ASSESSABLE_PLAN_STATUSES
        and closure.is_unfinished(commitment)
    )
    carried_into = list(commitment.carried_into.select_related("plan"))
    return {
        "can_assess": commitment.plan.status in closure.ASSESSABLE_PLAN_STATUSES
        and user.has_perm("commitments.assess_completion", commitment),
        "can_carry": can_carry and not carried_into,
        "successor": closure.successor_plan(commitment.plan) if can_carry else None,
        "carried_into": carried_into,
        "irm_rows": [
            (label, str(irm[key]).replace("_", " "))
            for key, label in IRM_LABELS
            if irm.get(key) not in (None, "")
        ],
    }


class CommitmentDetailView(DetailView):
    template_name = "commitments/commitment_detail.html"
    context_object_name = "commitment"

    def get_object(self, queryset=None):
        return _visible_commitment(self.request, self.kwargs["ogp_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment, user = self.object, self.request.user
        milestones = list(commitment.milestones.all())
        attach_translations([commitment, commitment.plan, *milestones], get_language() or "en")
        plan = commitment.plan
        assessments = list(commitment.shadow_assessments.select_related("organisation"))
        can_manage_team = user.has_perm("commitments.manage_team", commitment)
        context.update(
            plan=plan,
            partners=list(commitment.partners.select_related("organisation")),
            can_manage_team=can_manage_team,
            partner_form=PartnerForm(commitment=commitment) if can_manage_team else None,
            # Civil society's assessments whose status differs from the government's.
            disagreements=[a for a in assessments if a.status != commitment.status],
            assessment_count=len(assessments),
            milestones=milestones,
            updates=commitment.progress_updates.select_related("milestone", "author")[:50],
            # Traceability links are owned by consultations; read them through the reverse
            # relation without importing that app.
            origins=[
                link.proposal
                for link in commitment.origin_links.select_related("proposal__organisation")
            ],
            can_edit=user.has_perm("commitments.change_commitment", commitment),
            can_post=user.has_perm("commitments.post_progress", commitment),
            **closure_context(commitment, user),
            withdraw_form=kwargs.get("withdraw_form") or WithdrawForm(),
            translation_languages=plan.translation_languages,
            content_type=content_type_id(Commitment),
            milestone_content_type=content_type_id(Milestone),
        )
        return context


class CommitmentCreateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = CommitmentForm
    template_name = "commitments/commitment_form.html"
    permission_required = "commitments.add_commitment"

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_initial(self):
        return {"start_date": self.plan.period_start, "end_date": self.plan.period_end}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, **kwargs)

    def form_valid(self, form):
        data, token = self.service_data(form), form.cleaned_data.get("submission_token")
        commitment, refused = self.call_service(
            form,
            partial(
                services.commitment_create,
                self.plan,
                actor=self.request.user,
                submission_token=token,
                **data,
            ),
        )
        if commitment is None:  # refused: `refused` is the response that says why
            return refused
        messages.success(
            self.request,
            _("Commitment %(id)s is created. Add its milestones next.") % {"id": commitment.ogp_id},
        )
        return redirect(commitment)


class CommitmentUpdateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = CommitmentForm
    template_name = "commitments/commitment_form.html"
    permission_required = "commitments.change_commitment"

    def get_permission_object(self):
        self.commitment = get_object_or_404(
            Commitment.objects.select_related("plan__member"), ogp_id=self.kwargs["ogp_id"]
        )
        return self.commitment

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.commitment,
            "plan": self.commitment.plan,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.commitment.plan, commitment=self.commitment, **kwargs
        )

    def form_valid(self, form):
        data, version = self.service_data(form), form.cleaned_data.get("version") or 0
        _result, refused = self.call_service(
            form,
            lambda: services.commitment_update(
                self.commitment, actor=self.request.user, expected_version=version, **data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The commitment is saved."))
        return redirect(self.commitment)


def _commitment_for_change(request, ogp_id: str, perm: str) -> Commitment:
    """The commitment if the person holds `perm` on it; a commitment they cannot even see
    answers 404 (drafts never leak)."""
    commitment = get_object_or_404(Commitment.objects.select_related("plan__member"), ogp_id=ogp_id)
    if (
        not request.user.has_perm(perm, commitment)
        and not Commitment.objects.visible_to(request.user).filter(pk=commitment.pk).exists()
    ):
        raise Http404
    require(request, perm, commitment)
    return commitment


# The two views below are behind sign-in too: `require` in _commitment_for_change sends
# anonymous people to sign in before anything else happens.


@require_POST
def commitment_move(request: AuthenticatedHttpRequest, ogp_id: str) -> HttpResponse:
    commitment = _commitment_for_change(request, ogp_id, "commitments.change_commitment")
    direction = -1 if request.POST.get("direction") == "up" else 1
    run_action(
        request,
        lambda: services.commitment_move(commitment, actor=request.user, direction=direction),
    )
    return redirect(commitment.plan)


@require_POST
def commitment_withdraw(request: AuthenticatedHttpRequest, ogp_id: str) -> HttpResponse:
    """Withdraw with a public reason. A refusal shows the commitment page again with the
    reason typed and why, in the withdraw form."""
    commitment = _commitment_for_change(request, ogp_id, "commitments.change_commitment")
    form = WithdrawForm(request.POST)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.commitment_withdraw(
                commitment, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if error is None:
            messages.success(request, _("The commitment is withdrawn."))
            return redirect(commitment)
    page = CommitmentDetailView(request=request, kwargs={"ogp_id": ogp_id})
    page.object = _visible_commitment(request, ogp_id)
    context = page.get_context_data(object=page.object, withdraw_form=form)
    return render(request, page.template_name, context, status=refusal_status(error))


class CommitmentHistoryView(DetailView):
    """Every saved version of the commitment and of its milestones, newest first."""

    template_name = "commitments/commitment_history.html"
    context_object_name = "commitment"

    def get_object(self, queryset=None):
        return _visible_commitment(self.request, self.kwargs["ogp_id"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commitment = self.object
        context["versions"] = version_list(
            [
                (commitment.history.all(), lambda r: _("Commitment")),
                (
                    Milestone.history.filter(commitment_id=commitment.pk),
                    lambda r: _("Milestone: %(text)s") % {"text": r.description[:60]},
                ),
            ]
        )
        return context


class MilestoneFormView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    """Create (ogp_id) or edit (pk) a milestone."""

    # The permissions need a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    commitment: Commitment
    milestone: Milestone | None
    form_class = MilestoneForm
    template_name = "commitments/milestone_form.html"

    def get_permission_required(self):
        return [
            "commitments.change_milestone" if "pk" in self.kwargs else "commitments.add_milestone"
        ]

    def get_permission_object(self):
        if "pk" in self.kwargs:
            self.milestone = get_object_or_404(
                Milestone.objects.select_related("commitment__plan__member"), pk=self.kwargs["pk"]
            )
            self.commitment = self.milestone.commitment
            return self.milestone
        self.milestone = None
        self.commitment = get_object_or_404(
            Commitment.objects.select_related("plan__member"), ogp_id=self.kwargs["ogp_id"]
        )
        return self.commitment

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.milestone}

    def get_initial(self):
        if self.milestone:
            return {}
        return {"start_date": self.commitment.start_date, "due_date": self.commitment.end_date}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commitment=self.commitment, milestone=self.milestone, **kwargs
        )

    def form_valid(self, form):
        data, version = self.service_data(form), form.cleaned_data.get("version") or 0
        user = self.request.user
        if self.milestone:
            call = partial(
                services.milestone_update,
                self.milestone,
                actor=user,
                expected_version=version,
                **data,
            )
        else:
            token = form.cleaned_data.get("submission_token")
            call = partial(
                services.milestone_create,
                self.commitment,
                actor=user,
                submission_token=token,
                **data,
            )
        _result, refused = self.call_service(form, call)
        if refused:
            return refused
        messages.success(self.request, _("The milestone is saved."))
        return redirect(self.commitment)


MilestoneCreateView = MilestoneUpdateView = MilestoneFormView


class ProgressCreateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = ProgressForm
    template_name = "commitments/progress_form.html"
    permission_required = "commitments.post_progress"

    def get_permission_object(self):
        # Progress is reported on commitments the person can see (not on others' drafts).
        self.commitment = _visible_commitment(self.request, self.kwargs["ogp_id"])
        return self.commitment

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "commitment": self.commitment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(commitment=self.commitment, **kwargs)

    def form_valid(self, form):
        _result, refused = self.call_service(
            form,
            lambda: services.progress_post(
                self.commitment, actor=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("Your progress update is published."))
        return redirect(self.commitment)


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for whoever may see the commitment."""
    update = get_object_or_404(
        ProgressUpdate.objects.filter(commitment__in=Commitment.objects.visible_to(request.user)),
        pk=pk,
    )
    return file_response(update.evidence_file)
