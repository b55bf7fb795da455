"""The proposal list and the proposal page as readers see them, after the changes that made
rendering them cheaper (issue #20): labels in the reader's language, the filter form showing
what was chosen, fields left alone shown as on a fresh form."""

import re

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from consultations.choices import ProposalStatus
from consultations.forms_proposals import ProposalFilterForm
from consultations.models import Proposal
from consultations.services.proposals import proposal_decide
from tests.factories import UserFactory

from .test_services import bulk_comments, make_consultation, make_proposal


@pytest.fixture
def consultation(plan):
    return make_consultation(plan)


def list_url(consultation):
    return reverse("consultations:proposal-list", args=[consultation.pk])


def filter_form(html: str) -> str:
    return re.search(r'<form method="get" class="filters".*?</form>', html, re.S).group(0)


def test_status_labels_are_the_choices_in_the_readers_language(
    client, citizen, civil_servant, consultation
):
    proposal = make_proposal(citizen, consultation, title="Open courts")
    proposal_decide(
        proposal, actor=civil_servant, decision=ProposalStatus.DEFERRED, reason="Next plan."
    )
    make_proposal(UserFactory(), consultation, title="Open budgets")

    english = client.get(list_url(consultation)).content.decode()
    french = client.get(list_url(consultation), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<span class="badge">Deferred to a future plan</span>' in english
    assert '<span class="badge">Submitted</span>' in english
    assert '<span class="badge">Soumise</span>' in french
    assert "0 supporters" in english
    assert "0 comments" in english
    assert "0 soutien" in french
    assert "0 commentaire" in french
    for status in ProposalStatus:
        assert Proposal(status=status).get_status_display() == str(status.label)
    # A value that is no longer a choice is shown as stored, as Django's own method does.
    assert Proposal(status="withdrawn-long-ago").get_status_display() == "withdrawn-long-ago"


def test_the_filter_form_shows_what_was_chosen_and_fresh_fields_otherwise(
    client, citizen, consultation
):
    make_proposal(citizen, consultation, title="Open courts")
    url = list_url(consultation)

    first = filter_form(client.get(url).content.decode())
    chosen = filter_form(client.get(url, {"q": "courts", "status": "deferred"}).content.decode())
    paged = filter_form(client.get(url, {"page": "1"}).content.decode())
    french = filter_form(client.get(url, {"page": "1"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode())

    assert 'value="courts"' in chosen
    assert re.search(r'<option value="deferred"[^>]*selected', chosen)
    assert not re.search(r'<option value="deferred"[^>]*selected', first)
    assert 'value="courts"' not in first
    assert paged == first
    assert "Statut" in french
    assert "Statut" not in first
    # What the page reuses for a field nobody touched is what a fresh form renders.
    groups = ProposalFilterForm(QueryDict("page=3")).field_groups()
    assert groups["status"] == ProposalFilterForm()["status"].as_field_group()
    assert groups["q"] == ProposalFilterForm()["q"].as_field_group()


def test_anonymous_readers_pages_rendered_afresh_stay_cheap(
    settings, citizen, consultation, django_assert_max_num_queries
):
    """What a reader costs when no stored page fits (page cache off): the list in 3 queries
    (consultation, count, page), the proposal page with its thread in 7 (proposal,
    attachments, proposals merged into it, co-sponsors, count, page, replies): a proposal
    without a response has no links to commitments to read."""
    settings.PAGE_CACHE_SECONDS = 0
    proposal = make_proposal(citizen, consultation, title="Open courts")
    bulk_comments(proposal, [citizen, UserFactory()], 30, 2)
    reader = Client()
    with django_assert_max_num_queries(3):
        assert reader.get(list_url(consultation), {"page": "1"}).status_code == 200
    with django_assert_max_num_queries(7):
        page = reader.get(proposal.get_absolute_url(), {"page": "2"})
    assert "Became part of" not in page.content.decode()
    assert "Open courts" in page.content.decode()


def test_each_row_links_its_proposal_and_says_who_proposed_it(client, citizen, consultation):
    # Given proposals by a verified organisation, by a named person, by a person who gave no
    # name and by an account since deleted, with support and comments counted
    from tests.factories import OrganisationFactory

    by_organisation = make_proposal(citizen, consultation, title="Open <courts> & registers")
    Proposal.objects.filter(pk=by_organisation.pk).update(
        organisation=OrganisationFactory(name="Courts <Watch> & Co"),
        support_count=1,
        comment_count=2,
    )
    named = make_proposal(UserFactory(name="Ada <i>Obi</i>"), consultation, title="Open budgets")
    nameless = make_proposal(UserFactory(name=""), consultation, title="Open contracts")
    former = make_proposal(UserFactory(), consultation, title="Open procurement")
    Proposal.objects.filter(pk=former.pk).update(author=None)

    # When a reader opens the list, in English and in French
    english = client.get(list_url(consultation)).content.decode()
    french = client.get(list_url(consultation), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    # Then each row links to its proposal's page and names who proposed it, in their language
    def row(html, proposal):
        found = re.search(rf'<li>\s*<a href="{proposal.get_absolute_url()}">.*?</li>', html, re.S)
        assert found, proposal.title
        return " ".join(found.group(0).split())

    first = row(english, by_organisation)
    assert f"<strong>P-{by_organisation.pk}</strong> Open &lt;courts&gt; &amp; registers" in first
    assert "by <bdi>Courts &lt;Watch&gt; &amp; Co</bdi>" in first
    assert 'class="badge badge-ok badge-verified">Verified</span>' in first
    assert "· 1 supporter · 2 comments</p>" in first
    assert "by <bdi>Ada &lt;i&gt;Obi&lt;/i&gt;</bdi> · 0 supporters · 0 comments" in row(
        english, named
    )
    assert "by a participant ·" in row(english, nameless)
    assert "by a former participant ·" in row(english, former)
    assert "1 soutien · 2 commentaires" in row(french, by_organisation)
    assert "par un ancien participant ·" in row(french, former)
    assert "par un participant ·" in row(french, nameless)


def test_the_list_of_a_consultation_hidden_from_the_reader_is_not_found(
    client_for, citizen, civil_servant, plan
):
    # Given a consultation whose notice is not published, and one of a plan in planning
    from tests.factories import PlanFactory

    quiet = make_consultation(plan, notice_published_at=None, title="Quiet")
    planning = make_consultation(PlanFactory(member=plan.member, status="planning"))

    for hidden in (quiet, planning):
        # Then anonymous readers and citizens get 404, the member's civil servant the list
        assert Client().get(list_url(hidden)).status_code == 404
        assert client_for(citizen).get(list_url(hidden)).status_code == 404
        assert client_for(civil_servant).get(list_url(hidden)).status_code == 200
    assert Client().get(reverse("consultations:proposal-list", args=[10**9])).status_code == 404


def test_long_lists_count_their_own_rows_whatever_the_filter(
    monkeypatch, client, citizen, consultation, plan
):
    # Given two consultations with lists long enough for a page index (small steps here)
    from consultations import pagination

    from .test_scale_bounds import bulk_proposals

    monkeypatch.setattr(pagination, "COUNT_EXACT_UP_TO", 10)
    monkeypatch.setattr(pagination, "ANCHOR_EVERY", 7)
    other = make_consultation(plan, title="Other ideas")
    bulk_proposals(consultation, citizen, 30)
    bulk_proposals(consultation, citizen, 15, status="under_review")
    bulk_proposals(other, citizen, 12)

    def count(target, **params):
        html = client.get(list_url(target), params).content.decode()
        return re.search(r"<p>(\d+) proposals</p>", html).group(1)

    # When each list is read in turn, then each says its own count (each has its own index)
    assert count(consultation) == "45"
    assert count(consultation, status="under_review") == "15"
    assert count(consultation, status="submitted") == "30"
    assert count(other) == "12"
    assert count(consultation, page="last") == "45"


def test_the_rows_words_are_translated_again_after_a_setting_changes(settings):
    # The rows' words are kept translated per language (proposal_list_tags.word); a changed
    # setting (or a new .mo file in development) must not leave the old words in use.
    from consultations.templatetags.proposal_list_tags import word

    assert word("en", "by") == "by"
    assert word.cache_info().currsize > 0
    settings.LOCALE_PATHS = [*settings.LOCALE_PATHS]
    assert word.cache_info().currsize == 0


def test_the_rows_skipped_over_are_read_without_joins(client, citizen, consultation):
    # A deep page skips rows by their keys alone, which PostgreSQL reads from the index
    # alone; a join there (the organisation's and author's names the rows show) made it
    # read every skipped row from the table.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .test_scale_bounds import bulk_proposals

    bulk_proposals(consultation, citizen, 30)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(list_url(consultation), {"page": "2"}).content.decode()
    assert "Page 2 of 2" in html
    page = next(q["sql"] for q in queries if " IN (SELECT" in q["sql"])
    outer, skipped = page.split(" IN (SELECT", 1)
    assert "JOIN" in outer
    assert "JOIN" not in skipped
