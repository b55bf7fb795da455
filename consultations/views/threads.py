"""The comment thread under a proposal or a draft commitment: one page of comments with their
replies, the form or why there is none, and the link to a comment in its thread. Shared by the
comment views, the proposal page and the commitment page's template tag."""

import uuid

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations import pagination
from consultations.comment_post_sql import top_level_before
from consultations.forms_proposals import CommentForm
from consultations.models import Comment, Consultation, Proposal
from consultations.pagination import BoundedPaginator
from consultations.rules import may_take_part
from consultations.services.comments import EDIT_WINDOW
from consultations.services.monitoring import MONITORED_STATUSES, monitoring_refusal
from consultations.services.windows import WindowClosed, require_open
from consultations.thread_rows import ThreadPaginator

COMMENTS_PER_PAGE = 20
THREAD_ORDER = ("created_at", "pk")  # a thread's top-level comments, in posting order


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


def is_monitoring_comment(commitment: Commitment, consultation: Consultation | None) -> bool:
    """Whether a comment on this commitment posted now is a monitoring comment: the plan is
    adopted or in implementation (its consultations take no more input then; the monitoring
    service says whether the end date has passed)."""
    return commitment.plan.status in MONITORED_STATUSES


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
    replies (two queries whatever the number of comments), the form or why there is none.
    The commitment page can call this with commitment= and include
    consultations/includes/_comments_commitment.html."""
    target: tuple[str, object]
    if proposal is not None:
        target = ("proposal", proposal.pk)
    elif commitment is not None:
        target = ("commitment", commitment.ogp_id)
    else:
        raise TypeError("A comment thread is under a proposal or a commitment.")
    user = request.user
    # The thread's queryset, built only if the page index has to be (re)built.
    paginator = _thread_paginator(
        lambda: Comment.objects.filter(_target_filter(proposal, commitment), parent__isnull=True),
        proposal,
        commitment,
    )
    # ThreadComment rows, each with its replies (thread_rows.py): one query for the page.
    page = paginator.get_page(request.GET.get("page"))
    refusal = ""
    monitoring = commitment is not None and is_monitoring_comment(commitment, consultation)
    if not user.is_authenticated:
        refusal = _("Sign in to comment.")
    elif monitoring and commitment is not None:
        refusal = monitoring_refusal(commitment.plan)
        if not refusal and not may_take_part_in_monitoring(user):
            refusal = _("Sign in with a verified e-mail address to take part.")
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
        "comment_target": target,
        "comment_consultation": consultation,
        "comment_form": failed_form if failed_form is not None and not failed_parent else None,
        "failed_form": failed_form if failed_parent else None,
        "failed_parent": failed_parent,
        "comment_refusal": refusal,
        # Monitoring during implementation: the thread explains who may comment and answer.
        "comment_monitoring": monitoring
        and commitment is not None
        and not monitoring_refusal(commitment.plan),
        "edit_since": timezone.now() - EDIT_WINDOW,
        "may_moderate_comments": _may_moderate(user, consultation, commitment),
        "monitoring_plan_pk": commitment.plan_id if monitoring and commitment is not None else None,
    }


def may_take_part_in_monitoring(user) -> bool:
    from ogp_portal.organisations.access import access_for

    return access_for(user).email_verified


def _may_moderate(user, consultation: Consultation | None, commitment: Commitment | None) -> bool:
    """Moderators of the plan's member, for a consultation's thread or a commitment's
    (whose monitoring comments have no consultation)."""
    if commitment is not None and commitment.plan.status in MONITORED_STATUSES:
        return user.has_perm("consultations.moderate_monitoring", commitment.plan)
    if consultation is not None:
        return user.has_perm("consultations.moderate", consultation)
    if commitment is not None:
        return user.has_perm(
            "consultations.moderate_comment", Comment(commitment=commitment, consultation=None)
        )
    return False


def _thread_paginator(top_level, proposal, commitment) -> ThreadPaginator:
    """Pages of a thread in posting order; the first, a middle and the last page cost the
    same with 20 or 20,000 comments (consultations/pagination.py)."""
    return ThreadPaginator(
        top_level,
        COMMENTS_PER_PAGE,
        target="proposal" if proposal is not None else "commitment",
        target_id=proposal.pk if proposal is not None else commitment.pk,
        order=THREAD_ORDER,
        index_key=_thread_index_key(
            proposal.pk if proposal is not None else None,
            commitment.pk if commitment is not None else None,
        ),
    )


def _thread_index_key(proposal_id: int | None, commitment_id: int | None) -> str:
    """What names a thread's page index: its rows are the top-level comments under this
    proposal or commitment, whatever else the query says (which columns it loads). Naming
    it saves compiling the query's SQL on each page view to derive a key from it."""
    if proposal_id is not None:
        return f"thread:proposal:{proposal_id}"
    return f"thread:commitment:{commitment_id}"


def _comment_page_number(comment: Comment) -> int:
    """Which page of its thread a comment (or its parent) is on."""
    top = comment.parent or comment
    before = top_level_before(top, pagination.COUNT_EXACT_UP_TO + 1)
    if before > pagination.COUNT_EXACT_UP_TO:
        # A long thread: counted from its page index (the one its pages use).
        thread = Comment.objects.filter(
            _target_filter(top.proposal_id, top.commitment_id), parent__isnull=True
        )
        paginator = BoundedPaginator(
            thread,
            COMMENTS_PER_PAGE,
            order=THREAD_ORDER,
            index_key=_thread_index_key(top.proposal_id, top.commitment_id),
        )
        before = paginator.position_of(top.created_at, top.pk)
    return before // COMMENTS_PER_PAGE + 1


def target_url(comment: Comment) -> str:
    base = comment.commented_on.get_absolute_url()
    return f"{base}?page={_comment_page_number(comment)}#comment-{comment.pk}"
