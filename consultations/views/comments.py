"""Comments on proposals and draft commitments: post, reply, edit, delete, flag, moderate."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit
from rules.contrib.views import PermissionRequiredMixin

from commitments.models import Commitment
from consultations.choices import ModerationState, ProposalStatus
from consultations.forms_proposals import CommentEditForm, CommentForm, ReasonForm
from consultations.models import Comment, Consultation, Flag, Proposal
from consultations.pagination import BoundedPaginator
from consultations.rules import may_take_part
from consultations.services.comments import (
    EDIT_WINDOW,
    RateLimited,
    comment_delete,
    comment_dismiss_flags,
    comment_edit,
    comment_flag,
    comment_hide,
    comment_post,
    comment_restore,
)
from consultations.services.windows import WindowClosed, require_open
from ogp_portal.core.errors import DomainError

COMMENTS_PER_PAGE = 20
# Seconds a refused (rate-limited) poster is told to wait (Retry-After).
RETRY_AFTER_SECONDS = 60


def ip_rate(group, request) -> str:
    """Per network address (settings.COMMENT_RATE_PER_IP), on top of the per-account limit
    in the service. The address is the client's, also behind a trusted proxy
    (ogp_portal/core/client_ip.py)."""
    return settings.COMMENT_RATE_PER_IP


IP_RATE = ip_rate


def consultation_for_commitment(commitment: Commitment) -> Consultation | None:
    """The consultation a comment on this commitment belongs to: the plan's open one
    (draft-plan comments first), else its most recent one (whose window then explains why
    commenting is closed)."""
    consultations = Consultation.objects.filter(plan_id=commitment.plan_id).select_related(
        "plan__member"
    )
    now = timezone.now()
    open_now = list(consultations.open_at(now))
    if open_now:
        open_now.sort(key=lambda c: (c.kind != "draft_plan_comment", -c.opens_at.timestamp()))
        return open_now[0]
    return consultations.order_by("-opens_at", "-pk").first()


def _target_filter(proposal=None, commitment=None) -> Q:
    if proposal is not None:
        return Q(proposal=proposal)
    return Q(commitment=commitment)


def comment_thread_context(
    request: HttpRequest,
    *,
    consultation: Consultation | None,
    proposal: Proposal | None = None,
    commitment: Commitment | None = None,
    failed_form: CommentForm | None = None,
) -> dict:
    """Everything the comment thread include needs: one page of top-level comments with their
    replies (three queries whatever the number of comments), the form or why there is none.
    The commitment page can call this with commitment= and include
    consultations/includes/_comments_commitment.html."""
    user = request.user
    top_level = (
        Comment.objects.filter(_target_filter(proposal, commitment), parent__isnull=True)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    page = _thread_paginator(top_level).get_page(request.GET.get("page"))
    refusal = ""
    if not user.is_authenticated:
        refusal = _("Sign in to comment.")
    elif consultation is None:
        refusal = _("There is no consultation on this plan to comment in.")
    else:
        try:
            require_open(consultation)
        except WindowClosed as error:
            refusal = str(error)
        else:
            if not may_take_part(user, consultation):
                refusal = _("This consultation is open to verified civil-society organisations.")
    failed_parent = None
    if failed_form is not None:
        try:
            failed_parent = int(failed_form.data.get("parent") or 0) or None
        except ValueError:
            failed_parent = None
    return {
        # Each comment form on the page sends "<this>-<form>" as its submission token.
        "comment_token": uuid.uuid4().hex,
        "comments_page": page,
        "comment_target": ("proposal", proposal.pk)
        if proposal
        else ("commitment", commitment.ogp_id),
        "comment_consultation": consultation,
        "comment_form": failed_form if failed_form is not None and not failed_parent else None,
        "failed_form": failed_form if failed_parent else None,
        "failed_parent": failed_parent,
        "comment_refusal": refusal,
        "edit_since": timezone.now() - EDIT_WINDOW,
        "may_moderate_comments": consultation is not None
        and user.has_perm("consultations.moderate", consultation),
    }


def _thread_paginator(top_level) -> BoundedPaginator:
    """Pages of a thread in posting order; the first, a middle and the last page cost the
    same with 20 or 20,000 comments (consultations/pagination.py)."""
    return BoundedPaginator(top_level, COMMENTS_PER_PAGE, order=("created_at", "pk"))


def _comment_page_number(comment: Comment) -> int:
    """Which page of its thread a comment (or its parent) is on."""
    top = comment.parent or comment
    thread = Comment.objects.filter(
        _target_filter(top.proposal_id, top.commitment_id), parent__isnull=True
    )
    before = _thread_paginator(thread).position_of(top.created_at, top.pk)
    return before // COMMENTS_PER_PAGE + 1


def target_url(comment: Comment) -> str:
    base = (comment.proposal or comment.commitment).get_absolute_url()
    return f"{base}?page={_comment_page_number(comment)}#comment-{comment.pk}"


def _render_refused(request, form, *, proposal, commitment, consultation, status):
    """Show the target again with the refusal and the typed text in the form."""
    if proposal is not None:
        from .proposals import _render_detail

        return _render_detail(request, proposal, status=status, failed_form=form)
    return render(
        request,
        "consultations/includes/_comment_page.html",
        {
            "mode": "retry",
            "commitment": commitment,
            **comment_thread_context(
                request, consultation=consultation, commitment=commitment, failed_form=form
            ),
        },
        status=status,
    )


@require_POST
@ratelimit(key="ip", rate=IP_RATE, method="POST", block=False)
def comment_create(request: HttpRequest) -> HttpResponse:
    """Post a comment or a reply on a proposal (proposal=<pk>) or a draft commitment
    (commitment=<ogp id>). Refusals show the page again with the text kept."""
    user = request.user
    proposal = commitment = None
    if request.POST.get("proposal"):
        from .proposals import visible_proposal

        try:
            proposal = visible_proposal(request, int(request.POST["proposal"]))
        except ValueError:
            return HttpResponseBadRequest()
        if proposal.status == ProposalStatus.DRAFT:
            return HttpResponseBadRequest()
        consultation = proposal.consultation
        here = proposal.get_absolute_url()
    elif request.POST.get("commitment"):
        commitment = get_object_or_404(
            Commitment.objects.visible_to(user).select_related("plan__member"),
            ogp_id=request.POST["commitment"],
        )
        consultation = consultation_for_commitment(commitment)
        here = commitment.get_absolute_url()
    else:
        return HttpResponseBadRequest()
    if not user.is_authenticated:
        return redirect(f"/accounts/login/?next={here}")
    form = CommentForm(request.POST)
    if form.is_bot:
        # Honeypot filled: answer as if it worked, keep nothing.
        messages.success(request, _("Your comment is posted."))
        return redirect(here)
    status = 200
    if getattr(request, "limited", False):
        form.is_valid()
        form.add_error(
            None,
            _("Too many comments from your network just now. Wait a minute and send it again."),
        )
        status = 429
    elif form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = get_object_or_404(
                Comment,
                pk=form.cleaned_data["parent"],
                proposal=proposal,
                commitment=commitment,
            )
        try:
            if consultation is None:
                raise DomainError(_("There is no consultation on this plan to comment in."))
            comment = comment_post(
                consultation,
                actor=user,
                body=form.cleaned_data["body"],
                proposal=proposal,
                commitment=commitment,
                parent=parent,
                show_name=form.cleaned_data["show_name"],
                token=request.POST.get("submission_token", "")[:64] or None,
            )
        except RateLimited as error:
            form.add_error(None, str(error))
            status = 429
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your comment is posted."))
            return redirect(target_url(comment))
    response = _render_refused(
        request,
        form,
        proposal=proposal,
        commitment=commitment,
        consultation=consultation,
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _own_comment(request, pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related(
            "proposal", "commitment", "parent", "consultation__plan__member"
        ),
        pk=pk,
        author_id=request.user.pk,
        deleted_at__isnull=True,
    )


@login_required
def comment_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit one's own comment within 15 minutes of posting."""
    comment = _own_comment(request, pk)
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            try:
                comment_edit(comment, actor=request.user, body=form.cleaned_data["body"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your comment is updated."))
                return redirect(target_url(comment))
    else:
        form = CommentEditForm(initial={"body": comment.body})
    return render(
        request,
        "consultations/includes/_comment_page.html",
        {"mode": "edit", "comment": comment, "form": form, "back": target_url(comment)},
    )


@require_POST
@login_required
def comment_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    try:
        comment_delete(comment, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your comment is deleted."))
    return redirect(target_url(comment))


@require_POST
@login_required
@ratelimit(key="ip", rate=IP_RATE, method="POST", block=False)
def comment_flag_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("proposal", "commitment", "parent"), pk=pk
    )
    form = ReasonForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, _("Too many requests from your network; try again in a minute."))
    elif not form.is_valid():
        messages.error(request, _("Say what is wrong with this comment."))
    else:
        try:
            comment_flag(comment, actor=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you. A moderator will look at this comment."))
    return redirect(target_url(comment))


def _moderated_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "proposal", "commitment", "parent", "consultation__plan__member"
        ),
        pk=pk,
    )
    if not request.user.has_perm("consultations.moderate", comment.consultation):
        raise PermissionDenied
    return comment


def _back(request, comment: Comment) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return target_url(comment)


@require_POST
@login_required
def comment_hide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Hide a comment; the reason is published in its place and recorded."""
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hiding a comment needs a reason; it is shown in its place."))
        return redirect(_back(request, comment))
    try:
        comment_hide(comment, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The comment is hidden; the reason is shown in its place."))
    return redirect(_back(request, comment))


@require_POST
@login_required
def comment_restore_view(request: HttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST, required=False)
    form.is_valid()
    comment_restore(comment, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("The comment is shown again."))
    return redirect(_back(request, comment))


@require_POST
@login_required
def comment_dismiss_flags_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a flagged comment; its flags are closed and the decision recorded."""
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST, required=False)
    form.is_valid()
    comment_dismiss_flags(comment, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("The comment stays; its flags are closed."))
    return redirect(_back(request, comment))


class ModerationQueueView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Flagged comments of one consultation with their open flags; hidden ones to restore."""

    template_name = "consultations/moderation_queue.html"
    permission_required = "consultations.moderate"

    def get_permission_object(self):
        self.consultation = get_object_or_404(
            Consultation.objects.select_related("plan__member"), pk=self.kwargs["consultation_pk"]
        )
        return self.consultation

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = Comment.objects.filter(consultation=self.consultation).select_related(
            "author", "proposal", "commitment"
        )
        flagged = (
            base.filter(
                moderation_state=ModerationState.PUBLISHED,
                deleted_at__isnull=True,
                # Both in one filter() so they apply to the same flag: an open flag exists.
                flags__isnull=False,
                flags__resolved_at__isnull=True,
            )
            .distinct()
            .prefetch_related(
                Prefetch(
                    "flags",
                    queryset=Flag.objects.filter(resolved_at__isnull=True).select_related("user"),
                    to_attr="open_flags",
                )
            )
            .order_by("created_at", "pk")
        )
        page = Paginator(flagged, 50).get_page(self.request.GET.get("page"))
        context.update(
            consultation=self.consultation,
            page_obj=page,
            flagged=page.object_list,
            hidden=list(base.filter(moderation_state=ModerationState.HIDDEN).order_by("-pk")[:100]),
        )
        return context
