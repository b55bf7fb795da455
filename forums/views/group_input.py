"""Input to a working group from outside it: applying to join (and the decision), drafts
and the comments on them, and hiding a comment with a reason."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import services
from forums.choices import GroupApplicationStatus
from forums.group_input_forms import (
    ApplicationDecisionForm,
    DraftCommentForm,
    GroupApplicationForm,
    GroupDraftForm,
    HideCommentForm,
)
from forums.models import DraftComment, GroupApplication, GroupDraft, WorkingGroup
from ogp_portal.core.form_views import refusal_status, require, run_service
from ogp_portal.core.time_zones import in_member_time_zone
from ogp_portal.users.types import AuthenticatedHttpRequest

from .base import activate_time_zone

MAX_DRAFTS = 50


def group_input_context(request: HttpRequest, group: WorkingGroup, **forms: object) -> dict:
    """What the group page shows of outside input: its drafts, the visitor's own application
    (with the reason of a decision), the forms the visitor may use, and, for whoever runs the
    group, the pending applications. A fixed number of queries."""
    user = request.user
    drafts = list(
        group.drafts.select_related("author")
        .annotate(comment_total=Count("comments", filter=Q(comments__is_hidden=False)))
        .order_by("-created_at")[:MAX_DRAFTS]
    )
    context: dict = {"drafts": drafts, "my_application": None}
    if user.is_authenticated:
        context["my_application"] = (
            group.applications.filter(applicant=user).order_by("-created_at").first()
        )
        if user.has_perm("forums.apply_to_group", group):
            pending = context["my_application"]
            if pending is None or pending.status != GroupApplicationStatus.PENDING:
                context["apply_form"] = forms.get("apply_form") or GroupApplicationForm()
        if user.has_perm("forums.post_group_draft", group):
            context["draft_form"] = forms.get("draft_form") or GroupDraftForm()
        if user.has_perm("forums.decide_group_applications", group):
            context["pending_applications"] = list(
                group.applications.filter(status=GroupApplicationStatus.PENDING)
                .select_related("applicant")
                .order_by("created_at")
            )
            context["decision_form"] = ApplicationDecisionForm()
            context["decision_errors"] = forms.get("decision_errors")
    return context


def _render_group(request: HttpRequest, group: WorkingGroup, status: int, **forms) -> HttpResponse:
    from .groups import _group_context

    context = _group_context(request, group)
    context.update(group_input_context(request, group, **forms))
    return render(request, "forums/group_detail.html", context, status=status)


def _group_for(pk: int) -> WorkingGroup:
    group = get_object_or_404(
        WorkingGroup.objects.select_related("forum__member", "policy_area__plan"), pk=pk
    )
    activate_time_zone(group.forum)
    return group


@require_POST
@in_member_time_zone
def group_apply(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    require(request, "forums.apply_to_group", group)
    form = GroupApplicationForm(request.POST)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.group_application_submit(
                group, actor=request.user, **form.cleaned_data
            ),
        )
        if error is None:
            messages.success(request, _("Your application is sent to the group."))
            return redirect(group)
    return _render_group(request, group, refusal_status(error), apply_form=form)


@require_POST
@in_member_time_zone
def application_decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        GroupApplication.objects.select_related("group__forum__member", "applicant"), pk=pk
    )
    group = application.group
    activate_time_zone(group.forum)
    require(request, "forums.decide_group_applications", group)
    form = ApplicationDecisionForm(request.POST)
    error = None
    if form.is_valid():
        service = (
            services.group_application_accept
            if form.cleaned_data["decision"] == "accept"
            else services.group_application_decline
        )
        _result, error = run_service(
            form,
            lambda: service(application, actor=request.user, reason=form.cleaned_data["reason"]),
        )
        if error is None:
            messages.success(request, _("The decision is recorded and the applicant is told."))
            return redirect(group)
    # Every error of the form (a refusal, a reason too long, no decision), as plain text.
    return _render_group(request, group, refusal_status(error), decision_errors=_messages_of(form))


@require_POST
@in_member_time_zone
def group_draft_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    group = _group_for(pk)
    require(request, "forums.post_group_draft", group)
    form = GroupDraftForm(request.POST)
    error = None
    if form.is_valid():
        draft, error = run_service(
            form,
            lambda: services.group_draft_post(group, actor=request.user, **form.cleaned_data),
        )
        if draft is not None:
            messages.success(request, _("The draft is up for comment."))
            return redirect(draft)
    return _render_group(request, group, refusal_status(error), draft_form=form)


def _draft_for(pk: int) -> GroupDraft:
    draft = get_object_or_404(
        GroupDraft.objects.select_related("group__forum__member", "author"), pk=pk
    )
    activate_time_zone(draft.group.forum)
    return draft


def _render_draft(
    request: HttpRequest, draft: GroupDraft, status: int = 200, comment_form=None
) -> HttpResponse:
    group = draft.group
    user = request.user
    context = {
        "draft": draft,
        "group": group,
        "forum": group.forum,
        "comments": list(draft.comments.select_related("author").order_by("created_at")),
        "can_moderate": user.has_perm("forums.moderate_group_drafts", group),
        "hide_form": HideCommentForm(),
    }
    if user.has_perm("forums.comment_group_draft", group):
        context["comment_form"] = comment_form or DraftCommentForm()
    return render(request, "forums/group_draft_detail.html", context, status=status)


@in_member_time_zone
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_draft(request, _draft_for(pk))


@require_POST
@in_member_time_zone
def draft_comment(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(pk)
    require(request, "forums.comment_group_draft", draft.group)
    form = DraftCommentForm(request.POST)
    error = None
    if form.is_valid():
        comment, error = run_service(
            form,
            lambda: services.draft_comment_post(draft, actor=request.user, **form.cleaned_data),
        )
        if comment is not None:
            messages.success(request, _("Your comment is posted."))
            return redirect(comment.get_absolute_url())
    return _render_draft(request, draft, refusal_status(error), comment_form=form)


@require_POST
@in_member_time_zone
def draft_comment_hide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        DraftComment.objects.select_related("draft__group__forum__member"), pk=pk
    )
    draft = comment.draft
    activate_time_zone(draft.group.forum)
    require(request, "forums.moderate_group_drafts", draft.group)
    form = HideCommentForm(request.POST)
    error = None
    if form.is_valid():
        _result, error = run_service(
            form,
            lambda: services.draft_comment_hide(comment, actor=request.user, **form.cleaned_data),
        )
        if error is None:
            messages.success(request, _("The comment is hidden; its reason is shown."))
            return redirect(draft)
    messages.error(request, " ".join(_messages_of(form)))
    return redirect(draft)


def _messages_of(form) -> list[str]:
    """The texts of every error of a form (run_service puts a refusal among them), as plain
    strings: str() of an ErrorList is HTML, which the messages would show escaped."""
    return [message for errors in form.errors.values() for message in errors]
