"""Public plan pages and the civil servants' screens to write and move a plan."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView

from ogp_portal.core import page_cache
from ogp_portal.core.diffs import version_list
from ogp_portal.core.form_views import (
    PermissionRequiredMixin,
    ServiceFormMixin,
    require,
    run_action,
)
from ogp_portal.core.translations import attach_translations, content_type_id
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.models import Member
from ogp_portal.users.types import AuthenticatedHttpRequest

from . import services
from .adoption import adoption_checklist
from .choices import PlanStatus
from .cycle import cycle_flags, member_today
from .forms import PlanForm, PolicyAreaForm
from .models import ActionPlan, PolicyArea
from .page_actions import plan_actions
from .timeline import plan_timeline
from .views_influence import influence_context
from .workflows import next_statuses


class PlanListView(ListView):
    paginate_by = 25

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("member")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        access = access_for(self.request.user)
        member_ids = {m for m, role in access.member_roles if role == Role.CIVIL_SERVANT}
        context["plannable_members"] = Member.objects.filter(pk__in=member_ids)
        return context


# Open milestones shown on a plan's page, earliest due first.
TIMELINE_LENGTH = 20


class PlanDetailView(DetailView):
    context_object_name = "plan"

    def get_queryset(self):
        # Drafts of other members answer 404, as if they did not exist.
        return ActionPlan.objects.visible_to(self.request.user).select_related(
            "member", "influence"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        areas = list(plan.policy_areas.all())
        commitments = list(plan.commitments.visible_to(user).select_related("policy_area"))
        # The next open milestones: commitments registers them (plans.timeline).
        timeline, timeline_total = plan_timeline(commitments, TIMELINE_LENGTH)
        attach_translations([plan, *areas, *commitments, *timeline], get_language() or "en")
        can_edit = user.has_perm("plans.change_actionplan", plan)
        transitions = []
        if user.has_perm("plans.transition_actionplan", plan):
            for status in next_statuses(plan.status):
                transitions.append(
                    (
                        PlanStatus(status),
                        services.transition_problems(plan, status),
                        status in CONFIRM_FIRST,
                    )
                )
        member_plans = list(plan.member.action_plans.all())
        context["notice_restarts"] = (
            services.notice_restarts(plan) if plan.notice_published_at else []
        )
        # Consultations live in a higher app: read through the reverse relation.
        consultations = list(plan.consultations.visible_to(user).order_by("-opens_at"))
        for consultation in consultations:  # the page says which are open
            page_cache.valid_until(self.request, consultation.opens_at, consultation.closes_at)
        context.update(
            areas=areas,
            consultations=consultations,
            plan_actions=plan_actions(user, plan),
            commitments=commitments,
            hidden_commitments=not plan.commitments_are_public
            and not user.has_perm("plans.view_drafts_of_actionplan", plan),
            timeline=timeline,
            timeline_total=timeline_total,
            can_edit=can_edit,
            transitions=transitions,
            # The "ready to adopt" checklist, from the checks adoption itself runs.
            checklist=adoption_checklist(plan)
            if can_edit and PlanStatus.ADOPTED in next_statuses(plan.status)
            else [],
            flags=cycle_flags(plan.member, member_plans, member_today(plan.member)),
            translation_languages=plan.translation_languages,
            plan_content_type=content_type_id(ActionPlan),
            area_content_type=content_type_id(PolicyArea),
            influence=influence_context(plan, user),
        )
        return context


class PlanCreateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = PlanForm
    template_name = "plans/actionplan_form.html"
    permission_required = "plans.add_actionplan"

    def get_permission_object(self):
        slug = self.request.GET.get("member") or self.request.POST.get("member")
        self.member = get_object_or_404(Member, slug=slug)
        return self.member

    def get_initial(self):
        languages = self.member.languages or ["en"]
        return {"primary_language": languages[0]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(member=self.member, **kwargs)

    def form_valid(self, form):
        data = self.service_data(form)
        plan, refused = self.call_service(
            form, partial(services.plan_create, self.member, actor=self.request.user, **data)
        )
        if plan is None:  # refused: `refused` is the response that says why
            return refused
        messages.success(self.request, _("The plan is created in planning."))
        return redirect(plan)


class PlanUpdateView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = PlanForm
    template_name = "plans/actionplan_form.html"
    permission_required = "plans.change_actionplan"

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.plan}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, member=self.plan.member, **kwargs)

    def form_valid(self, form):
        data, version = self.service_data(form), form.cleaned_data.get("version") or 0
        # Unsaved edits live on form.instance; keep the stored copy for the service.
        plan = ActionPlan.objects.get(pk=self.plan.pk)
        _result, refused = self.call_service(
            form,
            partial(
                services.plan_update,
                plan,
                actor=self.request.user,
                expected_version=version,
                **data,
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The plan is saved."))
        return redirect(plan)


# Stages that make the plan's content public or final: asked for first on a page that says what
# will happen (GET shows it, its POST moves the plan).
CONFIRM_FIRST = {
    PlanStatus.NOTICE: gettext_lazy(
        "The plan page, its co-creation timeline and the ways to take part become public, and "
        "the notice period starts."
    ),
    PlanStatus.DRAFT_PUBLIC_COMMENT: gettext_lazy(
        "The draft plan and all its commitments become public and open for comment."
    ),
    PlanStatus.ADOPTED: gettext_lazy(
        "The plan becomes final. Its consultations take no more input, and every input keeps "
        "the response published to it. This cannot be undone."
    ),
    PlanStatus.ENDED: gettext_lazy("The plan period is over: implementation reporting closes."),
    PlanStatus.ARCHIVED: gettext_lazy("The plan is archived: it stays public, read-only."),
}


def plan_transition_confirm(request: HttpRequest, pk: int, to: str) -> HttpResponse:
    """What moving the plan to `to` will do, what still blocks it, and the button to do it."""
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), pk=pk)
    require(request, "plans.transition_actionplan", plan)
    if to not in PlanStatus.values or to not in next_statuses(plan.status):
        raise Http404
    return render(
        request,
        "plans/plan_transition_confirm.html",
        {
            "plan": plan,
            "stage": PlanStatus(to),
            "effect": CONFIRM_FIRST.get(PlanStatus(to), ""),
            "problems": services.transition_problems(plan, to),
            "checklist": adoption_checklist(plan) if to == PlanStatus.ADOPTED else [],
        },
    )


@require_POST
def plan_transition(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(ActionPlan.objects.visible_to(request.user), pk=pk)
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(plan.get_absolute_url())
    require(request, "plans.transition_actionplan", plan)
    to_status = request.POST.get("to", "")
    if to_status not in PlanStatus.values:
        messages.error(request, _("Unknown stage."))
        return redirect(plan)
    if to_status in CONFIRM_FIRST and not request.POST.get("confirmed"):
        return redirect(reverse("plans:plan-transition-confirm", args=[plan.pk, to_status]))
    _plan, refused = run_action(
        request,
        lambda: services.plan_transition(
            plan, actor=user, to_status=to_status, reason=request.POST.get("reason", "")
        ),
    )
    if not refused:
        messages.success(
            request, _("The plan is now in “%(stage)s”.") % {"stage": plan.get_status_display()}
        )
    return redirect(plan)


class PolicyAreaFormView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    """Create (plan_pk) or edit (pk) a policy area."""

    # The permissions need a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    plan: ActionPlan
    area: PolicyArea | None
    form_class = PolicyAreaForm
    template_name = "plans/policyarea_form.html"

    def get_permission_required(self):
        return ["plans.change_policyarea" if "pk" in self.kwargs else "plans.add_policyarea"]

    def get_permission_object(self):
        if "pk" in self.kwargs:
            self.area = get_object_or_404(
                PolicyArea.objects.select_related("plan__member"), pk=self.kwargs["pk"]
            )
            self.plan = self.area.plan
            return self.area
        self.area = None
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.area, "plan": self.plan}

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, area=self.area, **kwargs)

    def form_valid(self, form):
        area = PolicyArea.objects.get(pk=self.area.pk) if self.area else None
        _result, refused = self.call_service(
            form,
            partial(
                services.policy_area_save,
                self.plan,
                actor=self.request.user,
                area=area,
                **form.cleaned_data,
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The policy area is saved."))
        return redirect(self.plan)


class PlanHistoryView(DetailView):
    """Every saved version of the plan's text and of its policy areas, newest first."""

    template_name = "plans/actionplan_history.html"
    context_object_name = "plan"

    def get_queryset(self):
        return ActionPlan.objects.visible_to(self.request.user).select_related("member")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["versions"] = version_list(
            [
                (plan.history.all(), lambda r: _("Plan")),
                (
                    PolicyArea.history.filter(plan_id=plan.pk),
                    lambda r: _("Policy area: %(name)s") % {"name": r.name},
                ),
            ]
        )
        return context
