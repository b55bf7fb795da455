"""Comments on proposals and draft commitments: post, reply, edit, delete, flag, moderate."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_ratelimit.decorators import ratelimit

from commitments.models import Commitment
from consultations.choices import ModerationState, ProposalStatus
from consultations.forms_proposals import CommentEditForm, CommentForm, ReasonForm
from consultations.models import Comment, Consultation, Flag, Proposal
from consultations.services.comments import (
    RateLimited,
    comment_delete,
    comment_dismiss_flags,
    comment_edit,
    comment_flag,
    comment_hide,
    comment_post,
    comment_restore,
)
from consultations.services.monitoring import monitoring_comment_post
from ogp_portal.core.form_views import PermissionRequiredMixin, require, run_action, run_service
from ogp_portal.users.types import AuthenticatedHttpRequest
from plans.models import ActionPlan

from .proposal_page import proposal_to_comment_on, render_proposal_detail, visible_proposal
from .threads import (
    comment_thread_context,
    consultation_for_commitment,
    is_monitoring_comment,
    target_url,
)

# Seconds a refused (rate-limited) poster is told to wait (Retry-After).
RETRY_AFTER_SECONDS = 60


def ip_rate(group, request) -> str:
    """Per network address (settings.COMMENT_RATE_PER_IP), on top of the per-account limit
    in the service. The address is the client's, also behind a trusted proxy
    (ogp_portal/core/client_ip.py)."""
    return settings.COMMENT_RATE_PER_IP


IP_RATE = ip_rate


def _render_refused(request, form, *, proposal, commitment, consultation, status):
    """Show the target again with the refusal and the typed text in the form."""
    if proposal is not None:
        # The post loaded the proposal with its consultation only; the page shows more.
        proposal = visible_proposal(request, proposal.pk)
        return render_proposal_detail(request, proposal, status=status, failed_form=form)
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
    consultation: Consultation | None
    if request.POST.get("proposal"):
        try:
            proposal = proposal_to_comment_on(request, int(request.POST["proposal"]))
        except ValueError:
            return HttpResponseBadRequest()
        if proposal.status == ProposalStatus.DRAFT:
            return HttpResponseBadRequest()
        consultation = proposal.consultation
        target: Proposal | Commitment = proposal
    elif request.POST.get("commitment"):
        commitment = get_object_or_404(
            Commitment.objects.visible_to(user).select_related("plan__member"),
            ogp_id=request.POST["commitment"],
        )
        consultation = consultation_for_commitment(commitment)
        target = commitment
    else:
        return HttpResponseBadRequest()
    if not user.is_authenticated:
        return redirect(f"/accounts/login/?next={target.get_absolute_url()}")
    form = CommentForm(request.POST)
    if form.is_bot:
        # Honeypot filled: answer as if it worked, keep nothing.
        messages.success(request, _("Your comment is posted."))
        return redirect(target.get_absolute_url())
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
        if commitment is not None and is_monitoring_comment(commitment, consultation):
            comment, error = run_service(
                form,
                lambda: monitoring_comment_post(
                    commitment,
                    actor=user,
                    body=form.cleaned_data["body"],
                    parent=parent,
                    show_name=form.cleaned_data["show_name"],
                    token=request.POST.get("submission_token", "")[:64] or None,
                ),
            )
            if comment is not None:
                messages.success(request, _("Your comment is posted."))
                return redirect(target_url(comment))
            if isinstance(error, RateLimited):
                status = 429
        elif consultation is None:
            form.add_error(None, _("There is no consultation on this plan to comment in."))
        else:
            comment, error = run_service(
                form,
                lambda: comment_post(
                    consultation,
                    actor=user,
                    body=form.cleaned_data["body"],
                    proposal=proposal,
                    commitment=commitment,
                    parent=parent,
                    show_name=form.cleaned_data["show_name"],
                    token=request.POST.get("submission_token", "")[:64] or None,
                ),
            )
            if comment is not None:
                messages.success(request, _("Your comment is posted."))
                return redirect(target_url(comment))
            if isinstance(error, RateLimited):
                status = 429
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
            "proposal", "commitment__plan__member", "parent", "consultation__plan__member"
        ),
        pk=pk,
        author_id=request.user.pk,
        deleted_at__isnull=True,
    )


@login_required
def comment_edit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Edit one's own comment within 15 minutes of posting."""
    comment = _own_comment(request, pk)
    if request.method == "POST":
        form = CommentEditForm(request.POST)
        if form.is_valid():
            _comment, error = run_service(
                form,
                lambda: comment_edit(comment, actor=request.user, body=form.cleaned_data["body"]),
            )
            if error is None:
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
def comment_delete_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _own_comment(request, pk)
    _comment, refused = run_action(request, lambda: comment_delete(comment, actor=request.user))
    if not refused:
        messages.success(request, _("Your comment is deleted."))
    return redirect(target_url(comment))


@require_POST
@login_required
@ratelimit(key="ip", rate=IP_RATE, method="POST", block=False)
def comment_flag_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = get_object_or_404(
        Comment.objects.select_related("proposal", "commitment", "parent"), pk=pk
    )
    form = ReasonForm(request.POST)
    if getattr(request, "limited", False):
        messages.error(request, _("Too many requests from your network; try again in a minute."))
    elif not form.is_valid():
        messages.error(request, _("Say what is wrong with this comment."))
    else:
        _flag, refused = run_action(
            request,
            lambda: comment_flag(comment, actor=request.user, reason=form.cleaned_data["reason"]),
        )
        if not refused:
            messages.success(request, _("Thank you. A moderator will look at this comment."))
    return redirect(target_url(comment))


def _moderated_comment(request, pk: int) -> Comment:
    comment = get_object_or_404(
        Comment.objects.select_related(
            "proposal", "commitment__plan", "parent", "consultation__plan__member"
        ),
        pk=pk,
    )
    require(request, "consultations.moderate_comment", comment)
    return comment


def _back(request, comment: Comment) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return target_url(comment)


@require_POST
@login_required
def comment_hide_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Hide a comment; the reason is published in its place and recorded."""
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hiding a comment needs a reason; it is shown in its place."))
        return redirect(_back(request, comment))
    _comment, refused = run_action(
        request,
        lambda: comment_hide(comment, actor=request.user, reason=form.cleaned_data["reason"]),
    )
    if not refused:
        messages.success(request, _("The comment is hidden; the reason is shown in its place."))
    return redirect(_back(request, comment))


@require_POST
@login_required
def comment_restore_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST, required=False)
    form.is_valid()
    _comment, refused = run_action(
        request,
        lambda: comment_restore(
            comment, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
    )
    if not refused:
        messages.success(request, _("The comment is shown again."))
    return redirect(_back(request, comment))


@require_POST
@login_required
def comment_dismiss_flags_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Keep a flagged comment; its flags are closed and the decision recorded."""
    comment = _moderated_comment(request, pk)
    form = ReasonForm(request.POST, required=False)
    form.is_valid()
    _comment, refused = run_action(
        request,
        lambda: comment_dismiss_flags(
            comment, actor=request.user, reason=form.cleaned_data.get("reason", "")
        ),
    )
    if not refused:
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

    def queue(self):
        return Comment.objects.filter(consultation=self.consultation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        base = self.queue().select_related("author", "proposal", "commitment")
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
            consultation=getattr(self, "consultation", None),
            page_obj=page,
            flagged=page.object_list,
            hidden=list(base.filter(moderation_state=ModerationState.HIDDEN).order_by("-pk")[:100]),
        )
        return context


class MonitoringModerationQueueView(ModerationQueueView):
    """The same queue for the comments on a plan's commitments during implementation (they
    belong to no consultation)."""

    permission_required = "consultations.moderate_monitoring"

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["plan_pk"]
        )
        return self.plan

    def queue(self):
        return Comment.objects.filter(consultation__isnull=True, commitment__plan=self.plan)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "plan": self.plan}
