"""The comment post, made cheap for the flood (issue #20): what a person notices stays the
same. One comment per form however often it is sent, the counter equal to the rows, the
redirect to the page the comment is on, refusals with the text kept and Retry-After."""

import datetime as dt
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations import pagination
from consultations.choices import ProposalStatus
from consultations.comment_post_sql import (
    insert_comment,
    proposal_to_comment_on,
    recent_comment_ids,
)
from consultations.models import Comment, Consultation, Proposal
from consultations.services import comments as comment_services
from consultations.views.threads import COMMENTS_PER_PAGE, THREAD_ORDER, target_url
from ogp_portal.core import page_cache
from plans.models import ActionPlan
from tests.factories import CommitmentFactory, PlanFactory, UserFactory

from .test_services import bulk_comments, make_consultation, make_proposal

CREATE = "consultations:comment-create"


def post_comment(client, proposal, body, **extra):
    return client.post(reverse(CREATE), {"proposal": proposal.pk, "body": body, **extra})


def test_the_same_form_sent_twice_makes_one_comment(client_for, citizen, proposal):
    # Given a comment form with its one-time token, sent, then sent again (a double click,
    # a retry after a timeout)
    client = client_for(citizen)
    token = str(uuid.uuid4())
    first = post_comment(client, proposal, "Only once, please", submission_token=token)
    again = post_comment(client, proposal, "Only once, please", submission_token=token)

    # Then both answers lead to the one comment, and the counter counted it once
    comment = Comment.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_double_makes_one_comment_shown_at_once(client_for, proposal):
    # Given a reader who has the proposal's page and its consultation's list stored, and a
    # request outside any transaction, as in production (on PostgreSQL the comment and its
    # counter are then one statement, with no transaction and one page-cache refresh)
    reader, citizen = Client(), UserFactory()
    listing = reverse("consultations:proposal-list", args=[proposal.consultation_id])
    assert "Said once" not in reader.get(proposal.get_absolute_url()).content.decode()
    assert "1 comment" not in reader.get(listing).content.decode()

    # When a form is sent twice with its one token
    client, token = client_for(citizen), str(uuid.uuid4())
    first = post_comment(client, proposal, "Said once", submission_token=token)
    again = post_comment(client, proposal, "Said once", submission_token=token)

    # Then one comment, counted once, both answers lead to it, and readers see it at once
    comment = Comment.objects.get()
    assert first["Location"] == again["Location"]
    assert first["Location"].endswith(f"#comment-{comment.pk}")
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    assert "Said once" in reader.get(proposal.get_absolute_url()).content.decode()
    assert "1 comment" in reader.get(listing).content.decode()


def test_the_same_token_from_two_people_makes_two_comments(client_for, citizen, proposal):
    token = str(uuid.uuid4())
    post_comment(client_for(citizen), proposal, "Mine", submission_token=token)
    post_comment(client_for(UserFactory()), proposal, "Mine too", submission_token=token)
    assert Comment.objects.count() == 2


def test_the_counter_equals_the_comments_after_many_posts(client_for, proposal):
    writers = [UserFactory() for _ in range(3)]
    for i in range(9):
        response = post_comment(client_for(writers[i % 3]), proposal, f"Point {i}")
        assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.comment_count == Comment.objects.filter(proposal=proposal).count() == 9


def test_the_redirect_goes_to_the_page_the_comment_is_on(client_for, citizen, proposal):
    # Given a thread that fills its first page
    bulk_comments(proposal, [UserFactory()], top_level=COMMENTS_PER_PAGE, replies_each=0)

    # When one more comment, then a reply to the first comment, are posted
    client = client_for(citizen)
    response = post_comment(client, proposal, "Page two")
    comment = Comment.objects.get(body="Page two")
    first = Comment.objects.filter(proposal=proposal).order_by("created_at", "pk").first()
    reply = post_comment(client, proposal, "Back on page one", parent=str(first.pk))

    # Then each lands where it is shown: the new comment on page 2, the reply on page 1
    assert response["Location"] == f"{proposal.get_absolute_url()}?page=2#comment-{comment.pk}"
    assert "?page=1#comment-" in reply["Location"]
    assert "Page two" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("target", ["proposal", "commitment"])
def test_every_comment_links_to_the_page_that_shows_it(monkeypatch, proposal, target):
    # Given a thread with replies, longer than the exact count (made small here, so the page
    # index counts the later comments), whose comments share their posting instants
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 25)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 10)
    on = {"proposal": proposal}
    if target == "commitment":
        on = {"commitment": CommitmentFactory(plan=proposal.consultation.plan)}
    author, instants = (
        UserFactory(),
        [timezone.now() - dt.timedelta(minutes=i // 3) for i in range(47)],
    )
    tops = Comment.objects.bulk_create(
        Comment(consultation=proposal.consultation, author=author, body=f"Top {i}", **on)
        for i in range(47)
    )
    if tops[0].pk is None:  # databases without RETURNING
        tops = list(Comment.objects.filter(parent__isnull=True).order_by("pk"))
    Comment.objects.bulk_create(
        Comment(consultation=proposal.consultation, author=author, parent=top, body="Re", **on)
        for top in tops
    )
    for top, instant in zip(tops, sorted(instants), strict=True):
        Comment.objects.filter(pk=top.pk).update(created_at=instant)
    thread = Comment.objects.filter(parent__isnull=True, **on).order_by(*THREAD_ORDER)

    # Then each comment and its reply link to the page that shows them
    for i, top in enumerate(thread):
        page = i // COMMENTS_PER_PAGE + 1
        reply = top.replies.get()
        assert (
            target_url(top) == f"{top.commented_on.get_absolute_url()}?page={page}#comment-{top.pk}"
        )
        assert target_url(reply).endswith(f"?page={page}#comment-{reply.pk}")
    assert {target_url(top).split("?")[1].split("#")[0] for top in thread} == {
        "page=1",
        "page=2",
        "page=3",
    }


def test_a_refused_comment_keeps_the_text_on_the_whole_page_with_retry_after(
    client_for, citizen, proposal
):
    # Given an account at its limit of comments for now
    client = client_for(citizen)
    for i in range(10):
        post_comment(client, proposal, f"Point {i}")

    # When it posts one more
    response = post_comment(client, proposal, "Still one more thing")

    # Then the proposal's page comes back, whole, with the text and when to try again
    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert ">Still one more thing</textarea>" in html
    assert proposal.title in html
    assert proposal.author.name in html or "a participant" in html
    assert Comment.objects.filter(body="Still one more thing").count() == 0


def test_at_the_limit_a_form_sent_again_leads_to_its_comment_and_counts_nothing(
    client_for, citizen, proposal
):
    # Given an account whose last comment, sent with its token, reached the limit
    client = client_for(citizen)
    for i in range(9):
        post_comment(client, proposal, f"Point {i}")
    token = str(uuid.uuid4())
    last = post_comment(client, proposal, "The tenth", submission_token=token)

    # When that form is sent again, and then a new comment
    again = post_comment(client, proposal, "The tenth", submission_token=token)
    refused = post_comment(client, proposal, "The eleventh", submission_token=str(uuid.uuid4()))

    # Then the form sent again leads to the comment it made, the new one is refused with its
    # text kept, and the counter counted neither
    assert again.status_code == last.status_code == 302
    assert again["Location"] == last["Location"]
    assert refused.status_code == 429
    assert ">The eleventh</textarea>" in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.comment_count == Comment.objects.filter(proposal=proposal).count() == 10


def test_a_reply_past_the_limit_is_refused_before_its_text_is_rendered(
    client_for, citizen, proposal, monkeypatch
):
    # Given an account at its limit, and a comment to reply to
    client = client_for(citizen)
    for i in range(10):
        post_comment(client, proposal, f"Point {i}")
    top = Comment.objects.filter(proposal=proposal).first()
    rendered: list[str] = []

    def render(body: str) -> str:
        rendered.append(body)
        return body

    monkeypatch.setattr(comment_services, "render_user_text", render)

    # When it replies (a reply checks the limit in its transaction, before the Markdown)
    refused = post_comment(client, proposal, "A **late** reply", parent=top.pk)

    # Then the refusal rendered nothing, and the form keeps the text as typed
    assert refused.status_code == 429
    assert ">A **late** reply</textarea>" in refused.content.decode()
    assert rendered == []


def test_a_comment_refreshes_the_page_of_the_proposal_it_was_merged_into(
    client_for, citizen, proposal
):
    # Given a proposal merged into another, whose page an anonymous reader has stored
    target = make_proposal(citizen, proposal.consultation, title="The combined proposal")
    Proposal.objects.filter(pk=proposal.pk).update(merged_into=target, status=ProposalStatus.MERGED)
    assert Client().get(target.get_absolute_url())["X-Page-Cache"] == "miss"
    assert Client().get(target.get_absolute_url())["X-Page-Cache"] == "hit"

    # When someone comments on the merged proposal
    assert post_comment(client_for(citizen), proposal, "Still matters").status_code == 302

    # Then the page it was merged into is drawn again, not served as stored
    assert Client().get(target.get_absolute_url())["X-Page-Cache"] == "miss"


def test_a_comment_post_costs_a_bounded_number_of_queries(
    client_for, citizen, proposal, django_assert_max_num_queries
):
    # Given a thread with many comments (the count of the page it lands on is bounded)
    bulk_comments(proposal, [UserFactory()], top_level=60, replies_each=1)
    client = client_for(citizen)
    post_comment(client, proposal, "Warm up")  # first request of the session

    # The flood's post: session, user, access (one query), proposal, rate read, insert,
    # counter, the page it lands on; and here the savepoint around the insert and its release
    # (the test runs in a transaction). It was 14: a look-up of the token before the insert,
    # and the whole thread counted before the comments before this one; then 12, with the
    # access summary in three queries. On PostgreSQL the insert also reads the rate, puts the
    # counter up and counts the comments before it (the page it lands on): 7.
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 10):
        response = post_comment(client, proposal, "Counted", submission_token=str(uuid.uuid4()))
    assert response.status_code == 302


def test_the_visibility_asked_of_one_consultation_agrees_with_the_list(
    member, citizen, civil_servant, other_member_civil_servant, msf_member, moderator, secretariat
):
    # Given consultations on a draft and a published plan, announced or still being prepared
    consultations = [
        make_consultation(PlanFactory(member=member, status=status), notice_published_at=notice)
        for status in ("planning", "co_creation")
        for notice in (None, timezone.now())
    ]
    people = [
        AnonymousUser(),
        citizen,
        civil_servant,
        other_member_civil_servant,
        msf_member,
        moderator,
        secretariat,
    ]

    # Then the comment post's check (one loaded consultation) says what the lists say
    for person in people:
        listed = set(Consultation.objects.visible_to(person).values_list("pk", flat=True))
        for consultation in Consultation.objects.select_related("plan").filter(
            pk__in=[c.pk for c in consultations]
        ):
            assert consultation.is_visible_to(person) == (consultation.pk in listed), (
                person,
                consultation.plan.status,
                consultation.notice_published_at,
            )
            assert consultation.plan.is_visible_to(person) == (
                ActionPlan.objects.visible_to(person).filter(pk=consultation.plan_id).exists()
            )


def test_a_comment_on_a_consultation_not_yet_announced_is_refused_to_outsiders(
    client_for, citizen, civil_servant, proposal
):
    # Given a consultation whose notice is not published yet (insiders prepare it)
    Consultation.objects.filter(pk=proposal.consultation_id).update(notice_published_at=None)

    # Then an outsider's comment finds nothing, and none is kept
    assert post_comment(client_for(citizen), proposal, "Not yet").status_code == 404
    assert not Comment.objects.exists()


def test_the_recent_comments_counted_for_the_limit_are_the_ones_in_the_window(proposal):
    # Given comments by one person just before, at and after the window's start, and another's
    author, other = UserFactory(), UserFactory()
    since = timezone.now() - dt.timedelta(minutes=5)
    instants = [since - dt.timedelta(microseconds=1), since, since + dt.timedelta(seconds=1)]
    for instant in [*instants, since + dt.timedelta(seconds=2)]:
        comment = Comment.objects.create(
            consultation=proposal.consultation, proposal=proposal, author=author, body="x"
        )
        Comment.objects.filter(pk=comment.pk).update(created_at=instant)
    Comment.objects.create(consultation=proposal.consultation, proposal=proposal, author=other)

    # Then the ids counted are the ORM's, those from the window's start on, up to the limit
    in_window = Comment.objects.filter(author=author, created_at__gte=since)
    assert sorted(recent_comment_ids(author.pk, since, 10)) == sorted(
        in_window.values_list("pk", flat=True)
    )
    assert len(recent_comment_ids(author.pk, since, 10)) == 3
    assert len(recent_comment_ids(author.pk, since, 2)) == 2


def test_the_proposal_loaded_for_a_post_is_the_one_the_orm_loads(citizen, proposal):
    # Given a proposal merged into another, of a consultation announced and one not yet
    target = make_proposal(citizen, proposal.consultation, title="The combined proposal")
    Proposal.objects.filter(pk=proposal.pk).update(merged_into=target, status=ProposalStatus.MERGED)
    Consultation.objects.filter(pk=proposal.consultation_id).update(notice_published_at=None)
    orm = Proposal.objects.select_related("consultation__plan").only(
        "status", "title", "author", "organisation", "merged_into", "consultation__title",
        "consultation__audience", "consultation__notice_published_at", "consultation__opens_at",
        "consultation__closes_at", "consultation__plan__status", "consultation__plan__member",
        "consultation__plan__title",
    )  # fmt: skip

    def fields(row):
        return {name: value for name, value in vars(row).items() if name != "_state"}

    # Then the written-out read gives the same rows, values and deferred fields, or None
    for pk in (proposal.pk, target.pk):
        expected, loaded = orm.get(pk=pk), proposal_to_comment_on(pk)
        assert loaded is not None
        for one, other in [
            (expected, loaded),
            (expected.consultation, loaded.consultation),
            (expected.consultation.plan, loaded.consultation.plan),
        ]:
            assert fields(one) == fields(other)
            assert one.get_deferred_fields() == other.get_deferred_fields()
            assert other._state.adding is False
    assert proposal_to_comment_on(target.pk + 1000) is None


def test_a_comment_on_a_proposal_number_out_of_range_finds_nothing(client_for, citizen):
    response = client_for(citizen).post(reverse(CREATE), {"proposal": 10**20, "body": "Hello"})
    assert response.status_code == 404


def test_the_written_out_insert_stores_what_the_orm_stores(settings, citizen, proposal):
    # Given the page cache on, and a comment made by the ORM
    settings.PAGE_CACHE_SECONDS = 600
    fields = {
        "consultation": proposal.consultation,
        "proposal": proposal,
        "author": citizen,
        "body": "Same words",
        "body_html": "<p>Same words</p>",
        "show_name": True,
    }
    made = Comment.objects.create(**fields, submission_token="one")
    generations = {s: cache.get(page_cache._generation_key(s)) for s in ("site", "all")}
    proposal_page = cache.get(page_cache._generation_key(f"proposal:{proposal.pk}"))

    # When the same comment is inserted by the written-out statement
    comment = Comment(**fields, submission_token="two")
    insert_comment(comment)

    # Then the row holds the same values, the instance is saved, only its pages change
    def row(pk):
        values = Comment.objects.filter(pk=pk).values().get()
        return {
            k: v for k, v in values.items() if k not in ("id", "created_at", "submission_token")
        }

    assert comment.pk is not None
    assert comment._state.adding is False
    assert row(comment.pk) == row(made.pk)
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.created_at == comment.created_at
    assert stored.submission_token == "two"
    assert cache.get(page_cache._generation_key(f"proposal:{proposal.pk}")) != proposal_page
    assert {s: cache.get(page_cache._generation_key(s)) for s in ("site", "all")} == generations

    # And the same token from the same person is refused by the database, as with the ORM
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_comment(Comment(**fields, submission_token="two"))
