"""The proposal list's statements in SQL (consultations/proposal_list_sql.py) load what the
ORM's did: the consultation with its plan and member, every field; the page's rows, the same
rows in the same order with the same names and values, for every page of a list with and
without its page index, with and without a status filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from consultations import pagination
from consultations.models import Consultation, Proposal
from consultations.pagination import BoundedPaginator
from consultations.proposal_list_sql import (
    ProposalListPaginator,
    consultation_with_plan,
    page_rows,
)
from consultations.templatetags.proposal_list_tags import ROW_FIELDS
from tests.factories import OrganisationFactory, UserFactory

from .test_services import make_consultation

ORDER = ("-submitted_at", "-pk")
STATUSES = ("submitted", "under_review", "accepted", "draft")


@pytest.fixture
def consultation(plan):
    return make_consultation(plan)


def varied_proposals(consultation, n):
    """Every kind of row: statuses (drafts among them), ties on the time, an organisation
    verified or not, an author with a name, without one, or gone."""
    named, unnamed = UserFactory(name="Ana <b>"), UserFactory(name="")
    verified = OrganisationFactory(name="Verified NGO", verified_at=timezone.now())
    unverified = OrganisationFactory(name="New NGO", verified_at=None)
    now = timezone.now()
    Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=(named, unnamed, None)[i % 3],
            organisation=(None, verified, unverified, None)[i % 4],
            submitter_type="citizen",
            title=f"Idea {i} & more",
            status=STATUSES[i % len(STATUSES)],
            support_count=i % 5,
            comment_count=i % 7,
            submitted_at=now - timezone.timedelta(minutes=i // 3),
        )
        for i in range(n)
    )


def pages(consultation, status, *, sql):
    queryset = consultation.proposals.published()
    if status:
        queryset = queryset.filter(status=status)
    paginator: BoundedPaginator
    if sql:
        paginator = ProposalListPaginator(
            queryset, 5, consultation_id=consultation.pk, status=status, order=ORDER
        )
    else:
        paginator = BoundedPaginator(
            queryset, 5, order=ORDER, read=lambda rows: rows.values_list(*ROW_FIELDS, named=True)
        )
    numbers = [*range(1, paginator.num_pages + 2), "last"]
    return paginator.index is not None, [list(paginator.get_page(n)) for n in numbers]


@pytest.mark.parametrize("steps", ["offset", "index"])
@pytest.mark.parametrize("status", ["", "submitted", "accepted", "withdrawn"])
def test_the_rows_in_sql_are_the_orms(steps, status, monkeypatch, plan, consultation):
    if steps == "index":  # an index from 10 rows on, an anchor every 7 rows
        monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
        monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    varied_proposals(consultation, 90)
    varied_proposals(make_consultation(plan, title="Another"), 9)  # never on this list
    indexed, expected = pages(consultation, status, sql=False)
    assert indexed == (steps == "index" and status != "withdrawn")
    assert any(expected) == (status != "withdrawn")  # a status no row has: no rows
    _indexed, found = pages(consultation, status, sql=True)
    assert found == expected
    for page_sql, page_orm in zip(found, expected, strict=True):
        for row_sql, row_orm in zip(page_sql, page_orm, strict=True):
            assert row_sql._fields == row_orm._fields
            assert [type(v) for v in row_sql] == [type(v) for v in row_orm]


def test_the_page_is_one_statement_whose_text_is_the_same_on_every_page(consultation):
    # LIMIT and OFFSET are parameters: one statement text per shape, whatever the page.
    varied_proposals(consultation, 30)
    texts = set()
    for offset in (0, 5, 10):
        with CaptureQueriesContext(connection) as queries:
            rows = page_rows(consultation.pk, "", None, offset, 6)
        assert len(queries) == 1
        assert len(rows) == 6
        texts.add(queries[0]["sql"].split(" LIMIT ")[0])
    assert len(texts) == 1


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_consultation_in_sql_is_the_orms_with_its_plan_and_member(
    consultation, django_assert_num_queries
):
    expected = Consultation.objects.select_related("plan__member").get(pk=consultation.pk)
    with django_assert_num_queries(1):
        found = consultation_with_plan(consultation.pk)
        assert found is not None
        assert fields_of(found) == fields_of(expected)
        assert fields_of(found.plan) == fields_of(expected.plan)
        assert fields_of(found.plan.member) == fields_of(expected.plan.member)
    assert found == expected
    assert found._state.db == expected._state.db
    assert found._state.adding is False
    assert consultation_with_plan(consultation.pk + 1000) is None
    assert consultation_with_plan(2**70) is None  # past the key's range: none, as the ORM says


# --- one build of a page index for readers arriving together ----------------------------


def test_a_missing_page_index_is_built_by_one_reader_while_the_others_wait(
    monkeypatch, consultation
):
    import threading

    from django.core.cache import cache

    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    varied_proposals(consultation, 40)
    queryset = consultation.proposals.published()

    def paginator():
        return BoundedPaginator(queryset, 5, order=ORDER, index_key="shared-test-list")

    key = paginator()._cache_key()
    built = paginator().index  # what a build gives
    cache.delete(key)
    pagination.forget_kept_indexes()  # expired: from the cache and from this process
    # Another reader holds the build: this one waits for what it stores, and builds nothing.
    cache.add(f"{key}:build", 1, 10)
    threading.Timer(0.05, lambda: cache.set(key, built, 60)).start()
    monkeypatch.setattr(BoundedPaginator, "_build_index", lambda self: pytest.fail("built"))
    assert paginator().index == built
    # A build that stores nothing (it failed): the waiting reader builds for itself.
    monkeypatch.undo()
    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    cache.delete(key)
    pagination.forget_kept_indexes()  # expired: from the cache and from this process
    threading.Timer(0.05, lambda: cache.delete(f"{key}:build")).start()
    assert paginator().index == built
    assert cache.get(f"{key}:build") is None


def test_a_reader_waits_for_another_build_no_longer_than_the_cap(monkeypatch, consultation):
    import time

    from django.core.cache import cache

    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    monkeypatch.setattr(pagination, "BUILD_WAIT_SECONDS", 0.3)
    varied_proposals(consultation, 40)
    queryset = consultation.proposals.published()
    paginator = BoundedPaginator(queryset, 5, order=ORDER, index_key="stalled-test-list")
    key = paginator._cache_key()
    cache.delete(key)
    pagination.forget_kept_indexes()  # expired: from the cache and from this process
    # Given another reader took the build and died with its process (its lock stays 10 s)
    cache.set(f"{key}:build", "theirs", 10)
    started = time.monotonic()
    # Then this reader builds for itself after the cap, and leaves the other's lock alone
    assert paginator.index is not None
    assert time.monotonic() - started < 2
    assert cache.get(f"{key}:build") == "theirs"
