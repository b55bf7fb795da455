"""The forum's decisions: the public list with results and who voted how, putting a motion
to a meeting, and the stewards' actions on a meeting (agenda, co-signing the minutes)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.models import Decision
from forums.stewardship_forms import AgendaForm
from ogp_portal.core.form_views import refusal_status, require, run_action, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from .base import forum_for
from .meetings import _meeting_context, _meeting_for, motion_form_for

DECISIONS_PER_PAGE = 20


@in_member_time_zone
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every decision of the forum on the public record (its meeting's minutes published),
    newest first, with its result explained and each seat's vote. Those who keep the record
    also see decisions whose minutes are still to come, marked as such."""
    forum = forum_for(slug)
    decisions = Decision.objects.filter(meeting__forum=forum)
    keeps_record = request.user.has_perm("forums.publish_minutes", forum)
    if not keeps_record:
        decisions = decisions.on_record()
    decisions = (
        decisions.select_related("meeting", "meeting__working_group", "plan")
        .prefetch_related("votes")
        .order_by("-meeting__starts_at", "-position", "-pk")
    )
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    plan_ids = {d.plan_id for d in page if d.plan_id}
    # A plan still in planning is a draft: its name is shown only to who may see it.
    visible_plans = (
        set(
            ActionPlan.objects.visible_to(request.user)
            .filter(pk__in=plan_ids)
            .values_list("pk", flat=True)
        )
        if plan_ids
        else set()
    )
    rows = [
        {"decision": d, "result": d.result(), "plan_visible": d.plan_id in visible_plans}
        for d in page
    ]
    context = {
        "forum": forum,
        "member": forum.member,
        "page_obj": page,
        "rows": rows,
        "keeps_record": keeps_record,
    }
    return render(request, "forums/decision_list.html", context)


@require_POST
@in_member_time_zone
def meeting_motion(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Put a motion to the meeting and record its result."""
    meeting = _meeting_for(pk)
    require(request, "forums.record_decisions", meeting.forum)
    form = motion_form_for(meeting, request.POST)
    error = None
    if form.is_valid():
        decision, error = run_service(
            form,
            lambda: services.motion_decide(meeting, actor=request.user, **form.service_kwargs()),
        )
        if decision is not None:
            if decision.is_passed:
                messages.success(request, _("The motion passed."))
            else:
                messages.warning(
                    request,
                    _("The motion failed: %(reason)s") % {"reason": decision.result().reason},
                )
            return redirect(meeting)
        meeting.refresh_from_db()
    context = _meeting_context(request, meeting, motion_form=form)
    return render(request, "forums/meeting_detail.html", context, status=refusal_status(error))


@require_POST
@in_member_time_zone
def meeting_agenda(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Set the agenda of a meeting not yet held."""
    meeting = _meeting_for(pk)
    require(request, "forums.set_agenda", meeting.forum)
    form = AgendaForm(request.POST)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.meeting_set_agenda(
                meeting, actor=request.user, agenda=form.cleaned_data["agenda"]
            ),
        )
        if error is None:
            messages.success(request, _("The agenda is saved."))
            return redirect(meeting)
        meeting.refresh_from_db()
    context = _meeting_context(request, meeting, agenda_form=form)
    return render(request, "forums/meeting_detail.html", context, status=refusal_status(error))


@require_POST
@in_member_time_zone
def meeting_cosign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A co-chair co-signs the drafted minutes (the last signature publishes them)."""
    meeting = _meeting_for(pk)
    require(request, "forums.cosign_minutes", meeting.forum)
    result, _error = run_action(
        request, lambda: services.meeting_cosign_minutes(meeting, actor=request.user)
    )
    if result is not None:
        if result.minutes_are_published:
            messages.success(request, _("You signed the minutes; they are published."))
        else:
            messages.success(request, _("You signed the minutes."))
    return redirect(meeting)
