"""Who steers the forum: its governance rules and its technical secretariat."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.models import Forum, TechnicalSecretariatMember
from forums.stewardship_forms import (
    GovernanceForm,
    SecretariatMemberForm,
    SecretariatRemovalForm,
)
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


def _secretariat_page(request, forum: Forum, form, removal=None, status: int = 200):
    """The technical secretariat: who is on it (each with a form to take them off) and the
    form to name someone."""
    members = list(forum.secretariat_members.select_related("organisation"))
    sent_pk, sent_form = removal if removal else (None, None)
    context = {
        "form": form,
        "forum": forum,
        "member": forum.member,
        # One removal form per person, each with its own field names (no duplicate ids).
        "secretariat": [
            (
                person,
                sent_form
                if person.pk == sent_pk
                else SecretariatRemovalForm(prefix=f"remove-{person.pk}"),
            )
            for person in members
        ],
    }
    return render(request, "forums/secretariat_member_form.html", context, status=status)


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
    return _secretariat_page(request, forum, form, status=status)


@require_POST
@in_member_time_zone
def secretariat_member_remove(
    request: AuthenticatedHttpRequest, slug: str, pk: int
) -> HttpResponse:
    forum = forum_for(slug)
    require(request, "forums.change_forum", forum)
    person = get_object_or_404(TechnicalSecretariatMember, pk=pk, forum=forum)
    form = SecretariatRemovalForm(request.POST, prefix=f"remove-{person.pk}")
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.secretariat_member_remove(
                person, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if error is None:
            messages.success(
                request,
                _("%(name)s has left the technical secretariat.") % {"name": person.name},
            )
            return redirect("forums:secretariat-member-create", forum.member.slug)
    return _secretariat_page(
        request,
        forum,
        SecretariatMemberForm(forum=forum),
        removal=(person.pk, form),
        status=refusal_status(error),
    )
