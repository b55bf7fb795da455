"""Pages whose cost must not grow with the data, and comment/support writes that stay exact
under concurrency (issue #7). The same query bound holds with 3 and with 60 rows; the page
index (consultations/pagination.py) is exercised with small steps so its pages can be
compared with plain OFFSET pages."""

import threading
import uuid

import pytest
import time_machine
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from consultations import pagination
from consultations.models import Comment, Proposal, ReasonedResponse, Support
from consultations.pagination import BoundedPaginator
from consultations.services.proposals import support_add
from ogp_portal.core import page_cache
from tests.factories import PlanFactory, UserFactory

from .test_services import make_consultation, make_proposal


def bulk_proposals(consultation, author, n, *, status="submitted"):
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=author,
            submitter_type="citizen",
            title=f"Bulk idea {i}",
            status=status,
            # Ties on purpose: the primary key must break them the same way everywhere.
            submitted_at=now - timezone.timedelta(minutes=i // 3),
        )
        for i in range(n)
    )
    # bulk_create sends no signals: say what a bulk load says (as seed_scale does).
    page_cache.changed("all")


def bulk_comments(proposal, authors, n):
    Comment.objects.bulk_create(
        Comment(
            consultation=proposal.consultation,
            proposal=proposal,
            author=authors[i % len(authors)],
            body=f"Comment {i}",
            body_html=f"<p>Comment {i}</p>",
        )
        for i in range(n)
    )


def list_url(consultation):
    return reverse("consultations:proposal-list", args=[consultation.pk])


# --- query counts do not grow -----------------------------------------------------------


@pytest.mark.parametrize("n", [3, 60])
def test_proposal_list_pages_are_bounded(
    client_for, citizen, consultation, django_assert_max_num_queries, n
):
    bulk_proposals(consultation, citizen, n)
    bulk_proposals(consultation, citizen, n // 3 + 1, status="under_review")
    client = client_for(citizen)
    for params in ({}, {"page": "3"}, {"page": "last"}, {"status": "under_review"}, {"q": "3"}):
        with django_assert_max_num_queries(12):
            response = client.get(list_url(consultation), params)
        assert response.status_code == 200


@pytest.mark.parametrize("n", [3, 60])
def test_proposal_page_first_and_last_comment_page_are_bounded(
    client_for, citizen, consultation, django_assert_max_num_queries, n
):
    proposal = make_proposal(citizen, consultation)
    bulk_comments(proposal, [citizen, UserFactory()], n)
    client = client_for(citizen)
    for params in ({}, {"page": "last"}):
        with django_assert_max_num_queries(20):
            response = client.get(proposal.get_absolute_url(), params)
        assert response.status_code == 200
        assert f"Comment {n - 1}" in response.content.decode() or not params


def report_url(consultation):
    return reverse("consultations:consultation-report", args=[consultation.pk])


def bulk_decide(consultation, every: int, *, published=True):
    """A reasoned response (decisions in turn) to every `every`-th published proposal."""
    decisions = ["accepted", "not_accepted", "deferred", "out_of_scope"]
    proposals = list(
        Proposal.objects.published().filter(consultation=consultation, response__isnull=True)
    )[::every]
    for i, proposal in enumerate(proposals):
        response = ReasonedResponse.objects.create(
            consultation=consultation,
            decision=decisions[i % len(decisions)],
            reason=f"Reason {i}",
            published_at=timezone.now() if published else None,
        )
        Proposal.objects.filter(pk=proposal.pk).update(status=response.decision, response=response)


@pytest.mark.parametrize("n", [3, 60])
def test_consultation_report_is_bounded(
    small_steps, client, citizen, consultation, django_assert_max_num_queries, n
):
    # With 60 proposals the list goes through the page index (small_steps): same bound.
    bulk_proposals(consultation, citizen, n)
    bulk_decide(consultation, 2)
    for params in ({}, {"page": "2"}, {"page": "last"}):
        # Figures: 2 GROUP BYs + 2 counts + events; list: count, page index and its tail,
        # page, commitment links; questions + answers; consultation, export controls.
        with django_assert_max_num_queries(15):
            response = client.get(report_url(consultation), params)
        assert response.status_code == 200
        assert len(response.context["proposals"]) <= 50


@pytest.mark.parametrize("n", [3, 60])
def test_consultation_detail_is_bounded(
    client, client_for, citizen, consultation, django_assert_max_num_queries, n
):
    bulk_proposals(consultation, citizen, n)
    for viewer in (client, client_for(citizen)):
        with django_assert_max_num_queries(16):
            response = viewer.get(consultation.get_absolute_url())
        assert response.status_code == 200
        assert response.context["proposal_count"] == n


def test_detail_counts_proposals_up_to_a_cap(monkeypatch, client, citizen, consultation):
    from consultations.views import windows

    monkeypatch.setattr(windows, "PROPOSAL_COUNT_EXACT_UP_TO", 25)
    bulk_proposals(consultation, citizen, 25)
    bulk_proposals(consultation, citizen, 1, status="draft")
    html = client.get(consultation.get_absolute_url()).content.decode()
    assert "25 published proposals" in html
    assert "All 25 proposals" in html
    bulk_proposals(consultation, citizen, 1)
    response = client.get(consultation.get_absolute_url())
    html = response.content.decode()
    assert response.context["proposal_count_is_capped"]
    assert "More than 25 published proposals" in html
    assert "All proposals" in html


def test_report_lists_one_page_and_its_figures_match_the_data(
    small_steps, client, citizen, consultation
):
    # Given 120 published proposals (and a draft), 40 of them decided, 5 more with a
    # response not published yet
    bulk_proposals(consultation, citizen, 120)
    bulk_proposals(consultation, citizen, 1, status="draft")
    bulk_decide(consultation, 3)
    bulk_decide(consultation, 16, published=False)
    published = Proposal.objects.published().filter(consultation=consultation)
    decided = published.filter(response__published_at__isnull=False).count()
    assert decided == 40
    # When the report is read page by page
    pages, response = [], client.get(report_url(consultation))
    figures = response.context
    while True:
        pages.append([p.pk for p in response.context["proposals"]])
        page = response.context["page_obj"]
        if not page.has_next():
            break
        response = client.get(report_url(consultation), {"page": page.next_page_number()})
    # Then the figures are those of the data: decisions by kind add up to the decided ones
    assert figures["proposals_count"] == 120
    assert figures["proposals_decided"] == decided
    assert sum(n for _label, n in figures["by_decision"]) == decided
    by_decision = {str(label): n for label, n in figures["by_decision"]}
    assert (
        by_decision["Accepted"]
        == published.filter(
            response__decision="accepted", response__published_at__isnull=False
        ).count()
    )
    assert by_decision["Merged into another proposal"] == 0
    assert figures["proposals_undecided"] == 120 - decided
    assert sum(n for _label, n in figures["by_sector"]) == 120
    assert figures["by_channel"][0]["inputs"] == 120
    # and the pages list every published proposal once, 50 a page, oldest first
    assert [len(p) for p in pages] == [50, 50, 20]
    assert sum(pages, []) == list(
        published.order_by("submitted_at", "pk").values_list("pk", flat=True)
    )
    html = client.get(report_url(consultation), {"page": "2"}).content.decode()
    assert "Page 2 of 3" in html
    assert 'aria-label="Pages"' in html
    assert reverse("consultations:consultation-report-csv", args=[consultation.pk]) in html
    # the newest proposal was decided first (bulk_decide): its reason is on the last page
    assert "Reason 0" in client.get(report_url(consultation), {"page": "last"}).content.decode()


@pytest.mark.parametrize("n", [3, 60])
def test_home_page_is_bounded(db, client, django_assert_max_num_queries, n):
    from tests.factories import MemberFactory

    MemberFactory.create_batch(n)
    # Members, plus the sections apps register (core/home.py), a fixed number of rows each:
    # consultations open and coming, latest responses, coming meetings, latest decisions.
    with django_assert_max_num_queries(7):
        assert client.get("/").status_code == 200


# --- the page index gives the same pages as OFFSET ---------------------------------------


@pytest.fixture
def small_steps(monkeypatch):
    """Index from 10 rows on, an anchor every 7 rows: the indexed path with a small list."""
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)


def test_indexed_proposal_pages_match_offset_pages(small_steps, citizen, consultation):
    bulk_proposals(consultation, citizen, 64)
    queryset = Proposal.objects.published().filter(consultation=consultation)
    expected = list(queryset.order_by("-submitted_at", "-pk").values_list("pk", flat=True))
    paginator = BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))
    assert paginator.index is not None
    assert paginator.count == 64
    assert paginator.num_pages == 13
    for number in range(1, 14):
        page = paginator.get_page(number)
        assert [p.pk for p in page] == expected[(number - 1) * 5 : number * 5]
        assert page.has_next() == (number < 13)
    assert paginator.get_page("last").number == 13
    assert paginator.get_page("nonsense").number == 1


def test_a_newest_first_list_takes_its_count_from_the_stored_index(
    small_steps, citizen, consultation, django_assert_num_queries
):
    bulk_proposals(consultation, citizen, 64)
    queryset = Proposal.objects.published().filter(consultation=consultation)
    BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))  # builds and caches the index
    # No query at all: the stored index says the list is long (no capped count) and how
    # long (the oldest rows, after the last anchor, are not counted again on every request).
    with django_assert_num_queries(0):
        paginator = BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))
    assert paginator.count == 64
    assert paginator.get_page("last").number == 13


def test_a_process_keeps_the_page_index_it_read_for_a_few_seconds(
    small_steps, citizen, consultation, django_assert_num_queries
):
    from django.core.cache import cache

    bulk_proposals(consultation, citizen, 64)
    queryset = Proposal.objects.published().filter(consultation=consultation)
    built = BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))  # built and stored
    # Given the cache no longer answers for it (the page view does not ask it again)
    cache.delete(built._cache_key())
    with django_assert_num_queries(0):
        paginator = BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))
    assert paginator.index == built.index
    assert paginator.count == 64
    # A few seconds on, the process asks the cache again: lost there (evicted, the server
    # restarted), the index is built again (the capped count, its anchors and its tail), so
    # no process pages the list by an index the others no longer have for long.
    later = timezone.now() + timezone.timedelta(seconds=pagination.KEPT_FOR + 1)
    with time_machine.travel(later, tick=False), django_assert_num_queries(3):
        paginator = BoundedPaginator(queryset, 5, order=("-submitted_at", "-pk"))
    assert paginator.index == built.index


def test_a_long_list_is_served_with_the_cache_server_down(
    small_steps, settings, client, citizen, consultation
):
    # Given a list long enough for a page index, and a cache nothing answers at
    bulk_proposals(consultation, citizen, 64)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # When a reader opens a deep page, then it is there, counted, built from a fresh index
    response = client.get(list_url(consultation), {"page": "2"})
    assert response.status_code == 200
    assert "64 proposals" in response.content.decode()
    assert len(response.context["page_obj"]) == 25


def test_indexed_comment_pages_count_new_comments_exactly(small_steps, citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    bulk_comments(proposal, [citizen], 30)
    thread = Comment.objects.filter(proposal=proposal, parent__isnull=True)
    BoundedPaginator(thread, 4, order=("created_at", "pk"))  # builds and caches the index
    bulk_comments(proposal, [citizen], 5)  # posted after the index was cached
    paginator = BoundedPaginator(thread, 4, order=("created_at", "pk"))
    assert paginator.count == 35
    expected = list(thread.order_by("created_at", "pk"))
    assert list(paginator.get_page("last")) == expected[32:]
    for position in (0, 6, 7, 20, 34):
        row = expected[position]
        assert paginator.position_of(row.created_at, row.pk) == position


def test_a_search_lists_its_first_matches_only(small_steps, client, citizen, consultation):
    bulk_proposals(consultation, citizen, 30)
    response = client.get(list_url(consultation), {"q": "Bulk", "page": "9"})
    page = response.context["page_obj"]
    assert page.paginator.count_is_capped
    assert page.number == 1  # at most 10 matches are listed: one page of 25
    assert "Add words to the search" in response.content.decode()


def test_pagination_links_are_labelled(client, citizen, consultation):
    bulk_proposals(consultation, citizen, 60)
    html = client.get(list_url(consultation), {"page": "2"}).content.decode()
    assert 'aria-label="Pages"' in html
    assert 'aria-current="page"' in html
    assert "Page 2 of 3" in html
    for label in ("First page", "Previous", "Next", "Last page"):
        assert label in html


# --- comments: double submit, limits, addresses -------------------------------------------


def post_comment(client, proposal, body, **extra):
    return client.post(
        reverse("consultations:comment-create"), {"proposal": proposal.pk, "body": body, **extra}
    )


def test_the_same_comment_form_sent_twice_makes_one_comment(client_for, citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    client = client_for(citizen)
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert 'name="submission_token"' in page
    token = uuid.uuid4().hex
    first = post_comment(client, proposal, "Only once please", submission_token=token)
    second = post_comment(client, proposal, "Only once please", submission_token=token)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.comment_count == 1
    # Another form (another token) with the same words is another comment.
    post_comment(client, proposal, "Only once please", submission_token=uuid.uuid4().hex)
    assert Comment.objects.count() == 2


def test_a_rate_limited_comment_says_when_to_come_back(client_for, citizen, consultation, settings):
    settings.COMMENT_LIMIT_PER_ACCOUNT = 1
    proposal = make_proposal(citizen, consultation)
    client = client_for(citizen)
    assert post_comment(client, proposal, "First").status_code == 302
    response = post_comment(client, proposal, "Kept text")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert ">Kept text</textarea>" in response.content.decode()


def test_per_address_limit_uses_the_proxy_address_only_when_trusted(
    client_for, consultation, settings
):
    # Per hour, not per minute: django-ratelimit's windows are fixed to the clock, so three
    # posts on a slow machine could straddle a minute's end and all be allowed.
    settings.COMMENT_RATE_PER_IP = "2/h"
    proposal = make_proposal(UserFactory(), consultation)
    client = client_for(UserFactory())

    def post(i, address):
        return client.post(
            reverse("consultations:comment-create"),
            {"proposal": proposal.pk, "body": f"Point {i}"},
            HTTP_X_FORWARDED_FOR=address,
        )

    # Not behind a trusted proxy: the header is ignored, every post is from 127.0.0.1.
    assert [post(i, f"10.0.0.{i}").status_code for i in range(3)] == [302, 302, 429]
    settings.COMMENT_RATE_PER_IP = "2/h"
    settings.TRUSTED_PROXY_COUNT = 1
    # Behind one proxy: its last entry is the client, so each address has its own budget.
    assert [post(i, f"spoofed, 10.0.1.{i}").status_code for i in range(3, 6)] == [302] * 3


def test_client_ip_reads_only_the_trusted_part_of_the_chain(rf, settings):
    from ogp_portal.core.client_ip import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="10.9.9.9")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.9.9.9"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "10.1.2.3"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request) == "6.6.6.6"
    settings.TRUSTED_PROXY_COUNT = 3  # a shorter chain than our proxies write: not trusted
    assert client_ip(request) == "10.9.9.9"
    bad = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-address", REMOTE_ADDR="10.9.9.9")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(bad) == "10.9.9.9"


# --- concurrency (real threads, committed data) --------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_support_clicks_from_many_people_at_once_add_up(member):
    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan)
    proposal = make_proposal(UserFactory(), consultation)
    people = [UserFactory() for _ in range(12)]
    start = threading.Barrier(len(people) * 2)
    errors = []

    def click(person):
        try:
            start.wait()
            support_add(
                Proposal.objects.select_related("consultation").get(pk=proposal.pk), actor=person
            )
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=(p,)) for p in people * 2]  # double clicks
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    proposal.refresh_from_db()
    assert proposal.support_count == Support.objects.filter(proposal=proposal).count() == 12


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_comment_counter_is_exact_under_concurrent_posts(member):
    from consultations.services.comments import comment_post

    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan)
    proposal = make_proposal(UserFactory(), consultation)
    people = [UserFactory() for _ in range(10)]
    start = threading.Barrier(len(people))
    errors = []

    def post(person):
        try:
            start.wait()
            for i in range(3):
                comment_post(
                    consultation,
                    actor=person,
                    proposal=proposal,
                    body=f"{person.pk} {i}",
                    token=f"{person.pk}-{i}",
                )
                # The same form again (a retry): still one comment.
                comment_post(
                    consultation,
                    actor=person,
                    proposal=proposal,
                    body=f"{person.pk} {i}",
                    token=f"{person.pk}-{i}",
                )
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    proposal.refresh_from_db()
    assert proposal.comment_count == Comment.objects.filter(proposal=proposal).count() == 30


def test_two_threads_keep_their_own_page_index(
    small_steps, settings, client, citizen, consultation
):
    settings.PAGE_CACHE_SECONDS = 0
    short, long = make_proposal(citizen, consultation), make_proposal(citizen, consultation)
    bulk_comments(short, [citizen], 30)
    bulk_comments(long, [citizen], 45)
    for proposal, pages in ((long, 3), (short, 2), (long, 3)):
        html = client.get(proposal.get_absolute_url(), {"page": "last"}).content.decode()
        assert f"Page {pages} of {pages}" in html
