"""The per-account comment limit holds when one account posts many comments at the same
instant (issue #20): a check that only reads lets every simultaneous post pass it."""

import threading
import time
import uuid

import pytest
from django.db import connection, transaction

from consultations.models import Comment, Proposal
from consultations.services.comments import RateLimited, comment_post
from tests.factories import PlanFactory, UserFactory

from .test_services import make_consultation, make_proposal

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite serialises writers; run on PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

LIMIT = 3
POSTS = 8


def _waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _post_at_once(settings, member, *, reply: bool) -> tuple[int, list[RateLimited]]:
    """POSTS comments by one account at once, LIMIT - 1 already posted. Each post's counter
    UPDATE waits on the proposal's row, locked here until all POSTS wait on a lock: every
    post has then read the limit before any of them commits, as on a busy server."""
    settings.COMMENT_LIMIT_PER_ACCOUNT = LIMIT
    consultation = make_consultation(PlanFactory(member=member, status="co_creation"))
    proposal = make_proposal(UserFactory(), consultation)
    poster = UserFactory()
    top = comment_post(consultation, actor=UserFactory(), proposal=proposal, body="Top")
    for i in range(LIMIT - 1):
        comment_post(consultation, actor=poster, proposal=proposal, body=f"Earlier {i}")
    refused, errors = [], []
    barrier = threading.Barrier(POSTS)

    def post(i: int) -> None:
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            comment_post(
                consultation,
                actor=poster,
                proposal=proposal,
                parent=top if reply else None,
                body=f"At once {i}",
                token=str(uuid.uuid4()),
            )
        except RateLimited as error:
            refused.append(error)
        except Exception as error:  # any other failure is reported by the assertion below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(POSTS)]
    with transaction.atomic():
        Proposal.objects.select_for_update().get(pk=proposal.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while _waiting_on_locks() < POSTS and time.monotonic() < deadline:
            time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    stored = Comment.objects.filter(author=poster).count()
    return stored, refused


def test_simultaneous_comments_of_one_account_stop_at_the_limit(settings, member):
    # Given an account one comment below the limit, when it posts 8 comments at once
    stored, refused = _post_at_once(settings, member, reply=False)

    # Then one more is stored and the others are refused
    assert stored == LIMIT
    assert len(refused) == POSTS - 1


def test_simultaneous_replies_of_one_account_stop_at_the_limit(settings, member):
    # The same for replies, which go through a transaction rather than one statement
    stored, refused = _post_at_once(settings, member, reply=True)

    assert stored == LIMIT
    assert len(refused) == POSTS - 1
