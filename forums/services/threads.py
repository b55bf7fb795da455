"""The discussion space: threads, replies and who may read them."""

from django.db import transaction
from django.utils.translation import gettext as _

from forums.models import (
    Forum,
    Post,
    Thread,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User


@transaction.atomic
def thread_start(forum: Forum, *, actor: User, title: str, body: str, is_public: bool) -> Thread:
    """Start a thread with its first message. Public threads are readable by anyone."""
    thread = Thread.objects.create(forum=forum, title=title, is_public=is_public, created_by=actor)
    Post.objects.create(thread=thread, author=actor, body=body)
    record_event(actor, "forums.thread.started", thread, is_public=is_public)
    return thread


@transaction.atomic
def thread_reply(thread: Thread, *, actor: User, body: str) -> Post:
    if not body.strip():
        raise DomainError(_("Write a message."))
    post = Post.objects.create(thread=thread, author=actor, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    record_event(actor, "forums.post.created", post, thread=thread.pk)
    return post


@transaction.atomic
def thread_set_visibility(thread: Thread, *, actor: User, is_public: bool) -> Thread:
    before = thread.is_public
    Thread.objects.filter(pk=thread.pk).update(is_public=is_public)
    thread.refresh_from_db()
    if before != is_public:
        record_event(
            actor,
            "forums.thread.made_public" if is_public else "forums.thread.made_private",
            thread,
        )
    return thread
