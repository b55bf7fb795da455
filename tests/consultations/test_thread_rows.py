"""A thread's pages read in SQL (consultations/thread_rows.py) hold what the ORM reads: the
same top-level comments on each page, in posting order, each with its replies in order, with
the same values (SQLite's datetimes and booleans converted as the ORM converts them), from
a short thread (exact count) and from a long one (page index, anchors)."""

import datetime as dt

import pytest
from django.utils import timezone

from consultations import pagination
from consultations.choices import ModerationState
from consultations.models import Comment
from consultations.thread_rows import ThreadComment
from consultations.views.threads import THREAD_ORDER, _thread_paginator
from tests.factories import CommitmentFactory, UserFactory

from .test_services import bulk_comments


def as_row(comment: Comment, replies: list) -> ThreadComment:
    return ThreadComment(
        comment.pk,
        comment.consultation_id,
        comment.parent_id,
        comment.author_id,
        comment.show_name,
        comment.body_html,
        comment.moderation_state,
        comment.hidden_reason,
        comment.is_lead_answer,
        comment.created_at,
        comment.edited_at,
        comment.deleted_at,
        comment.author.name if comment.author is not None else None,
        replies,
    )


def orm_thread(**target) -> list[ThreadComment]:
    shown = Comment.objects.select_related("author").order_by(*THREAD_ORDER)
    return [
        as_row(top, [as_row(reply, []) for reply in shown.filter(parent=top)])
        for top in shown.filter(parent__isnull=True, **target)
    ]


def read_pages(proposal=None, commitment=None) -> tuple[list, object]:
    top_level = Comment.objects.filter(parent__isnull=True)
    top_level = (
        top_level.filter(proposal=proposal) if proposal else top_level.filter(commitment=commitment)
    )
    paginator = _thread_paginator(top_level, proposal, commitment)
    rows = []
    for number in range(1, paginator.num_pages + 1):
        rows += paginator.get_page(number).object_list
    return rows, paginator


def vary(comments: list[Comment]) -> None:
    """Every state a thread shows: hidden, deleted, edited, a lead's answer, no author."""
    now = timezone.now()
    first, second, third, fourth, fifth = comments[:5]
    Comment.objects.filter(pk=first.pk).update(
        moderation_state=ModerationState.HIDDEN, hidden_reason="Off topic"
    )
    Comment.objects.filter(pk=second.pk).update(deleted_at=now)
    Comment.objects.filter(pk=third.pk).update(edited_at=now - dt.timedelta(minutes=3))
    Comment.objects.filter(pk=fourth.pk).update(is_lead_answer=True)
    Comment.objects.filter(pk=fifth.pk).update(author=None)


@pytest.mark.parametrize("long_thread", [False, True])
def test_pages_hold_what_the_orm_reads(monkeypatch, cso_member, proposal, long_thread):
    if long_thread:  # the page index and its anchors, on a thread of a few dozen
        monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 5)
        monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    authors = [UserFactory(name=f"Writer {i}") for i in range(3)]
    bulk_comments(proposal, authors, top_level=45, replies_each=2)
    comments = list(Comment.objects.filter(proposal=proposal).order_by("pk"))
    vary(comments[::9])  # top-level comments and replies alike
    rows, paginator = read_pages(proposal=proposal)
    assert (paginator.index is not None) is long_thread
    expected = orm_thread(proposal=proposal)
    assert paginator.count == len(expected) == 45
    assert rows == expected
    assert sum(len(row.thread_replies) for row in rows) == 90
    last = paginator.get_page("last")
    assert last.object_list == expected[40:]
    assert not last.has_next()
    assert paginator.get_page(1).has_next()


def test_a_commitment_thread_with_monitoring_comments(plan, cso_member):
    commitment = CommitmentFactory(plan=plan)
    top = Comment.objects.create(
        commitment=commitment, author=cso_member, body="On progress", body_html="<p>On</p>"
    )
    Comment.objects.create(
        commitment=commitment,
        parent=top,
        author=None,
        is_lead_answer=True,
        body="Answer",
        body_html="<p>Answer</p>",
    )
    rows, paginator = read_pages(commitment=commitment)
    assert rows == orm_thread(commitment=commitment)
    assert rows[0].consultation_id is None
    assert rows[0].thread_replies[0].is_lead_answer is True


def test_an_empty_thread(proposal):
    rows, paginator = read_pages(proposal=proposal)
    assert rows == []
    assert paginator.count == 0


def page_read_alone(paginator, number) -> tuple:
    """The page as BoundedPaginator reads it (the count known first)."""
    page = paginator.get_page(number)
    return page.number, page.object_list, page.has_next()


# 45 top-level comments, 3 pages of 20. Anchors every 20 rows: the last one starts page 3,
# every page (the last, a number past the end) is one statement. Every 7 rows: the rows
# before the last anchor (42) are not whole pages, the last page is read after its count.
@pytest.mark.parametrize(("steps", "statements_for_last"), [(None, 1), ((5, 20), 1), ((5, 7), 2)])
@pytest.mark.parametrize("number", [None, "1", "2", "3", "last", "4", "99", "0", "x"])
def test_a_page_is_read_with_the_thread_count_in_one_statement(
    monkeypatch,
    cso_member,
    proposal,
    django_assert_max_num_queries,
    steps,
    statements_for_last,
    number,
):
    if steps is not None:  # a long thread: its page index, with small steps
        monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", steps[0])
        monkeypatch.setattr(pagination, "ANCHOR_EVERY", steps[1])
    bulk_comments(proposal, [UserFactory(name="Writer")], top_level=45, replies_each=2)
    vary(list(Comment.objects.filter(proposal=proposal).order_by("pk"))[::9])
    top_level = Comment.objects.filter(proposal=proposal, parent__isnull=True)
    counted_first = _thread_paginator(top_level, proposal, None)
    assert counted_first.num_pages == 3  # counted alone first (and the index built)
    assert (counted_first.index is not None) is (steps is not None)
    expected = orm_thread(proposal=proposal)
    past_the_end = number in ("last", "4", "99")
    with django_assert_max_num_queries(statements_for_last if past_the_end else 1):
        paginator = _thread_paginator(top_level, proposal, None)
        page = paginator.get_page(number)
    assert (page.number, page.object_list, page.has_next()) == page_read_alone(
        counted_first, number
    )
    assert (paginator.count, paginator.num_pages) == (45, 3)
    assert page.object_list == expected[(page.number - 1) * 20 : page.number * 20]


def test_an_empty_thread_in_one_statement(proposal, django_assert_num_queries):
    with django_assert_num_queries(1):
        paginator = _thread_paginator(Comment.objects.none(), proposal, None)
        page = paginator.get_page("last")
    assert (page.number, page.object_list, paginator.count, paginator.num_pages) == (1, [], 0, 1)
