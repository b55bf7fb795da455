"""Comments with one level of replies, editing, deletion, flags and moderation."""

import datetime as dt
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations.choices import ModerationState, ProposalStatus
from consultations.comment_post_sql import (
    account_allowed,
    count_comment_on,
    counts_in_insert,
    insert_comment,
)
from consultations.models import Comment, Consultation, Flag, Proposal
from consultations.page_scopes import comment_scopes, proposal_scopes
from consultations.rules import may_take_part, refusal_message
from consultations.text import MAX_COMMENT_LENGTH, render_user_text
from ogp_portal.core import page_cache
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.idempotency import create_once
from ogp_portal.users.models import User

from .ledger import entry_follow_comment, entry_for_comment
from .windows import require_open

EDIT_WINDOW = dt.timedelta(minutes=15)
# Per account: settings.COMMENT_LIMIT_PER_ACCOUNT comments per COMMENT_LIMIT_WINDOW_SECONDS
# (per network address: in the view). Read at each call so the limits can be tuned.
MAX_COMMENTS_PER_ACCOUNT = 10  # the default of settings.COMMENT_LIMIT_PER_ACCOUNT


class RateLimited(DomainError):
    pass


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DomainError(_("Write a comment first."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("Comments are limited to %(max)s characters; yours has %(n)s.")
            % {"max": MAX_COMMENT_LENGTH, "n": len(body)}
        )
    return body


def _account_limit() -> tuple[dt.datetime, int]:
    """Since when comments count towards the per-account limit, and how many are allowed."""
    since = timezone.now() - dt.timedelta(seconds=settings.COMMENT_LIMIT_WINDOW_SECONDS)
    return since, settings.COMMENT_LIMIT_PER_ACCOUNT


def _require_below_limit(user: User) -> None:
    """Refuse (_OverLimit) past the per-account limit. Call it inside the transaction that
    writes the comment, before anything costly (the Markdown): the check holds until that
    transaction ends, so posts from one account sent at the same instant pass it one at a
    time (comment_post_sql.account_allowed). Bounded by the limit itself whatever the
    person wrote before. On PostgreSQL a top-level comment on a proposal checks the limit
    in its own INSERT instead (comment_post_sql.insert_comment)."""
    since, limit = _account_limit()
    if not account_allowed(user.pk, since, limit):
        raise _OverLimit


def post_once(
    actor: User, token: str | None, create: Callable[[], Comment], **options: bool
) -> Comment:
    """create_once for a comment (comment_post, monitoring_comment_post): the same form sent
    twice returns the comment it made; past the per-account limit (_OverLimit), that comment
    too if there is one, else RateLimited. ``options`` go to create_once."""
    find = partial(_sent_before, actor, token)
    try:
        return create_once(token, Comment, create, find=find, **options)
    except _OverLimit:
        found = find() if token else None
        if found is not None:
            return found
        raise RateLimited(_("You are posting very fast; please wait a few minutes.")) from None


def _sent_before(actor: User, token: str | None) -> Comment | None:
    """The comment this person's form with this token made, if any."""
    return Comment.objects.filter(author=actor, submission_token=token).first()


class _OverLimit(Exception):
    """The per-account limit is reached: nothing was written (the caller answers with
    post_once, outside the transaction)."""


def comment_post(
    consultation: Consultation,
    *,
    actor: User,
    body: str,
    proposal: Proposal | None = None,
    commitment: Commitment | None = None,
    parent: Comment | None = None,
    show_name: bool = True,
    token: str | None = None,
) -> Comment:
    """Post a comment (or a reply to a top-level comment) while the window is open.

    `token` comes with the form; the same form sent twice (double click, a retry after a
    timeout) returns the comment already made instead of a second one. The insert and the
    proposal's counter (exact under concurrency) go in together: one transaction, or on
    PostgreSQL for a top-level comment on a proposal one statement without a transaction
    (anything added after that statement in _create_comment runs outside a transaction
    there: keep it to what may fail without undoing the comment). The per-account limit
    (RateLimited) holds for posts of one account sent at the same instant: they are checked
    one at a time (_require_below_limit).
    """
    require_open(consultation)
    if not may_take_part(actor, consultation):
        raise DomainError(refusal_message(actor, consultation))
    if proposal is not None and (
        proposal.consultation_id != consultation.pk or proposal.status == ProposalStatus.DRAFT
    ):
        raise DomainError(_("Comments go on submitted proposals of this consultation."))
    if commitment is not None and commitment.plan_id != consultation.plan_id:
        raise DomainError(_("Comments go on commitments of this consultation's plan."))
    body = _clean_body(body)
    # A top-level comment on a proposal is one statement where the database allows (the
    # comment, the limit's check and the counter; no reply notice, no ledger entry): no
    # transaction needed.
    one_statement = proposal is not None and parent is None and counts_in_insert()
    replied_to = parent  # the comment answered (its author is told), before threading
    if parent is not None:
        if parent.parent is not None:
            parent = parent.parent  # one level of replies: answer the thread's first comment
        if (parent.proposal_id, parent.commitment_id) != (
            getattr(proposal, "pk", None),
            getattr(commitment, "pk", None),
        ):
            raise DomainError(_("A reply must stay in the same discussion."))
    create = partial(
        _create_comment,
        consultation,
        proposal=proposal,
        commitment=commitment,
        parent=parent,
        user=actor,
        show_name=show_name,
        body=body,
        token=token,
        replied_to=replied_to,
        one_statement=one_statement,
    )
    # The comment's INSERT comes first in _create_comment: a form sent twice is refused by
    # comment_submitted_once before anything else is written.
    return post_once(actor, token, create, look_first=False, one_statement=one_statement)


def _create_comment(
    consultation: Consultation,
    *,
    proposal: Proposal | None,
    commitment: Commitment | None,
    parent: Comment | None,
    user: User,
    show_name: bool,
    body: str,
    token: str | None,
    replied_to: Comment | None,
    one_statement: bool = False,
) -> Comment:
    """The writes of comment_post, in one transaction (a duplicate token rolls all back; the
    per-account limit is checked first, before the Markdown is rendered), or, with
    `one_statement`, the comment, the limit's check and the counter in one statement (no
    transaction: then the page cache is told once, after the row is there, rather than now
    and again at the commit; the Markdown is rendered before the statement, refused or not)."""
    # create_once's transaction when there is a token, else one of its own (a refusal then
    # leaves a caller's transaction usable: nothing is written before the check).
    own = not one_statement and not transaction.get_connection().in_atomic_block
    writing = transaction.atomic() if own else nullcontext()
    with writing:
        if not one_statement:
            _require_below_limit(user)
        comment = Comment(
            consultation=consultation,
            proposal=proposal,
            commitment=commitment,
            parent=parent,
            author=user,
            show_name=show_name,
            body=body,
            body_html=render_user_text(body),
            submission_token=token or None,
        )
        counted = proposal.pk if proposal is not None and one_statement else None
        limit = _account_limit() if counted is not None else None
        # comment.save(), written out (comment_post_sql.py)
        if not insert_comment(comment, count_on=counted, limit=limit):
            raise _OverLimit
        if proposal is not None:
            # The counter shows on this proposal's pages only (not the whole site, as a bulk
            # write would): every comment bumps it. The comment's own save has just changed
            # most of those scopes (now and again at the commit, which covers this update too),
            # so only the rest are changed here: two fewer cache round trips per comment.
            done = set(comment_scopes(comment))
            rest = [scope for scope in proposal_scopes(proposal) if scope not in done]
            if counted is not None:
                page_cache.changed(*rest)  # the counter went up with the comment
            else:
                with page_cache.declared(Proposal, *rest):
                    count_comment_on(proposal.pk)
        entry_for_comment(comment)  # a comment on a draft commitment is an input of the plan
        if replied_to is not None:
            _notify_reply(comment, replied_to)
        return comment


def _notify_reply(reply: Comment, replied_to: Comment) -> None:
    """Tell the author of the comment answered and, when that was a reply itself, the
    thread's first author (the reply is filed under the thread); never the replier."""
    from django.utils.text import Truncator
    from django.utils.translation import gettext_lazy

    from ogp_portal.core.notifications import notify
    from ogp_portal.core.reminders import lazy_format

    about = reply.commented_on
    answered = [replied_to]
    if replied_to.parent is not None:
        answered.append(replied_to.parent)
    recipients = [
        c.author
        for c in answered
        if c.author is not None and c.author_id != reply.author_id and not c.deleted_at
    ]
    notify(
        recipients,
        "comment.reply",
        # Says which proposal (or commitment): someone may comment on many.
        lazy_format(
            gettext_lazy("A reply to your comment on “%(title)s”"),
            {"title": Truncator(about.title).chars(60)},
        ),
        "consultations/emails/comment_reply.txt",
        {"comment": reply, "consultation": reply.consultation, "about": about},
        target=reply,
        url=f"{about.get_absolute_url()}#comment-{reply.pk}",
    )


def comment_edit(comment: Comment, *, actor: User, body: str) -> Comment:
    if comment.author_id != actor.pk or comment.deleted_at:
        raise DomainError(_("Only your own comments can be edited."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise DomainError(_("Comments can be edited for 15 minutes after posting."))
    if comment.consultation is not None:
        require_open(comment.consultation)
    elif comment.commitment is not None:  # a monitoring comment
        from .monitoring import require_monitoring_open

        require_monitoring_open(comment.commitment.plan)
    body = _clean_body(body)
    comment.body, comment.body_html, comment.edited_at = (
        body,
        render_user_text(body),
        timezone.now(),
    )
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_delete(comment: Comment, *, actor: User) -> Comment:
    """The text goes; a placeholder keeps the thread readable."""
    if comment.author_id != actor.pk:
        raise DomainError(_("Only your own comments can be deleted."))
    if comment.deleted_at:
        return comment
    with transaction.atomic():
        comment.body = comment.body_html = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "deleted_at"])
        if comment.proposal_id:
            with page_cache.declared(Proposal, *comment_scopes(comment)):
                Proposal.objects.filter(pk=comment.proposal_id, comment_count__gt=0).update(
                    comment_count=F("comment_count") - 1
                )
        entry_follow_comment(comment)
    return comment


def comment_flag(comment: Comment, *, actor: User, reason: str) -> Flag:
    if not reason.strip():
        raise DomainError(_("Say what is wrong with this comment."))
    flag, _created = Flag.objects.get_or_create(
        comment=comment, user=actor, defaults={"reason": reason[:500]}
    )
    return flag


@transaction.atomic
def comment_hide(comment: Comment, *, actor: User, reason: str) -> Comment:
    """Hide a comment with a published reason; the act is recorded."""
    if not reason.strip():
        raise DomainError(_("Hiding a comment needs a reason; it is shown in its place."))
    comment.moderation_state = ModerationState.HIDDEN
    comment.hidden_reason = reason
    comment.save(update_fields=["moderation_state", "hidden_reason"])
    Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    entry_follow_comment(comment)
    record_event(actor, "consultations.comment.hidden", comment, reason=reason)
    return comment


@transaction.atomic
def comment_restore(comment: Comment, *, actor: User, reason: str = "") -> Comment:
    comment.moderation_state = ModerationState.PUBLISHED
    comment.hidden_reason = ""
    comment.save(update_fields=["moderation_state", "hidden_reason"])
    Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    entry_follow_comment(comment)
    record_event(actor, "consultations.comment.restored", comment, reason=reason)
    return comment


@transaction.atomic
def comment_dismiss_flags(comment: Comment, *, actor: User, reason: str = "") -> Comment:
    """Keep a flagged comment as it is: its open flags are resolved and the decision recorded."""
    resolved = Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    record_event(
        actor, "consultations.comment.flags_dismissed", comment, reason=reason, flags=resolved
    )
    return comment
