"""Working groups: creating one, its page, and adding people to it."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.forms import WorkingGroupForm, WorkingGroupMemberForm
from forums.models import WorkingGroup
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import activate_time_zone, forum_for
from .group_input import group_input_context


@in_member_time_zone
def group_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.manage_working_groups", forum)
    form = WorkingGroupForm(request.POST or None, forum=forum, user=request.user)
    error = None
    if request.method == "POST" and form.is_valid():
        group, error = run_service(
            form,
            lambda: services.working_group_create(forum, actor=request.user, **form.cleaned_data),
        )
        if group is not None:  # the service acted; on a refusal there is no result
            messages.success(request, _("The working group is created."))
            return redirect(group)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(request, "forums/group_form.html", {"form": form, "forum": forum}, status=status)


def _group_context(request, group: WorkingGroup, member_form=None) -> dict:
    forum = group.forum
    can_manage = request.user.has_perm("forums.manage_working_groups", forum)
    context = {
        "group": group,
        "forum": forum,
        "member": forum.member,
        "people": list(group.members.select_related("organisation")),
        "meetings": list(group.meetings.select_related("forum__member")[:20]),
        "can_manage": can_manage,
        "can_schedule": request.user.has_perm("forums.schedule_meeting", forum),
    }
    if can_manage:
        context["member_form"] = member_form or WorkingGroupMemberForm(member=forum.member)
    return context


def _group_for(pk: int) -> WorkingGroup:
    group = get_object_or_404(
        WorkingGroup.objects.select_related("forum__member", "policy_area__plan"), pk=pk
    )
    activate_time_zone(group.forum)
    return group


@in_member_time_zone
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    context = _group_context(request, group)
    context.update(group_input_context(request, group))
    return render(request, "forums/group_detail.html", context)


@require_POST
@in_member_time_zone
def group_member_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    require(request, "forums.manage_working_groups", group.forum)
    form = WorkingGroupMemberForm(request.POST, member=group.forum.member)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.working_group_add_member(
                group, actor=request.user, **form.cleaned_data
            ),
        )
        if error is None:
            messages.success(request, _("Added to the group."))
            return redirect(group)
    context = _group_context(request, group, member_form=form)
    context.update(group_input_context(request, group))
    return render(request, "forums/group_detail.html", context, status=refusal_status(error))
