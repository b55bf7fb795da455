"""Who steers the forum: its governance rules and its technical secretariat."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forums import services
from forums.stewardship_forms import GovernanceForm, SecretariatMemberForm
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import forum_for


@in_member_time_zone
def forum_governance(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.change_forum", forum)
    form = GovernanceForm(request.POST or None, initial=GovernanceForm.initial_for(forum))
    error = None
    if request.method == "POST" and form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.forum_set_governance(forum, actor=request.user, **form.cleaned_data),
        )
        if error is None:
            messages.success(request, _("The forum's governance is saved."))
            return redirect(forum)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request, "forums/governance_form.html", {"form": form, "forum": forum}, status=status
    )


@in_member_time_zone
def secretariat_member_create(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.change_forum", forum)
    form = SecretariatMemberForm(request.POST or None, forum=forum)
    error = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added, error = run_service(
            form,
            lambda: services.secretariat_member_add(
                forum,
                actor=request.user,
                user=data["user"],
                name=data["name"],
                sector=data["sector"],
                organisation=data["organisation"],
            ),
        )
        if added is not None:
            messages.success(
                request,
                _("%(name)s is on the technical secretariat.") % {"name": added.name},
            )
            return redirect(forum)
    status = refusal_status(error) if request.method == "POST" else 200
    return render(
        request, "forums/secretariat_member_form.html", {"form": form, "forum": forum},
        status=status,
    )  # fmt: skip
