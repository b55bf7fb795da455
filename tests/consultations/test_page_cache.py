"""Public pages served from the cache to anonymous readers: fast, and never out of date.

Every test in the suite runs with the page cache on (settings/test.py), so any page read
twice around a write checks its invalidation; these tests pin the rules themselves
(ogp_portal/core/page_cache.py), on the consultation pages that use it most.
"""

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Comment
from ogp_portal.core.page_cache import PLACEHOLDER
from plans import services as plan_services
from plans.choices import PlanStatus
from tests.core.test_page_cache_crowd import crowd_get
from tests.factories import PlanFactory

from .test_services import make_proposal

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_the_second_anonymous_reader_gets_the_page_without_a_query(
    proposal, django_assert_num_queries
):
    first = Client().get(proposal.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = Client().get(proposal.get_absolute_url())
    assert second.status_code == 200
    assert second["X-Page-Cache"] == "hit"
    assert proposal.title in second.content.decode()
    assert second["Content-Type"].startswith("text/html")
    assert second["X-Frame-Options"] == "DENY"
    # Nothing in a stored page belongs to one reader: no comment form and its one-time token
    # (readers who are not signed in are asked to sign in instead).
    assert "submission_token" not in second.content.decode()


def test_a_new_comment_shows_at_once_to_anonymous_readers(client_for, citizen, proposal):
    reader = Client()
    assert "Count me in" not in reader.get(proposal.get_absolute_url()).content.decode()
    client_for(citizen).post(
        reverse("consultations:comment-create"), {"proposal": proposal.pk, "body": "Count me in"}
    )
    assert Comment.objects.filter(body="Count me in").exists()
    page = reader.get(proposal.get_absolute_url())
    assert "Count me in" in page.content.decode()
    # ... and on the consultation's list, which shows how many comments each proposal has
    listing = reader.get(reverse("consultations:proposal-list", args=[proposal.consultation_id]))
    assert "1 comment" in listing.content.decode()


def test_a_support_click_shows_at_once_in_the_count(client_for, citizen, proposal):
    reader = Client()
    listing_url = reverse("consultations:proposal-list", args=[proposal.consultation_id])
    assert "0 supporters" in reader.get(listing_url).content.decode()
    client_for(citizen).post(reverse("consultations:proposal-support", args=[proposal.pk]))
    assert "1 supporter" in reader.get(listing_url).content.decode()


def test_a_comment_elsewhere_keeps_this_proposals_page(client_for, citizen, proposal):
    other = make_proposal(citizen, proposal.consultation, title="Publish the budgets")
    Client().get(proposal.get_absolute_url())
    client_for(citizen).post(
        reverse("consultations:comment-create"), {"proposal": other.pk, "body": "Elsewhere"}
    )
    assert Client().get(proposal.get_absolute_url())["X-Page-Cache"] == "hit"


def test_every_reader_gets_their_own_working_csrf_token(proposal):
    url = proposal.get_absolute_url()
    Client().get(url)  # stored
    tokens = []
    for _ in range(2):
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(url)
        assert page["X-Page-Cache"] == "hit"
        html = page.content.decode()
        assert PLACEHOLDER not in html
        token = TOKEN.search(html).group(1)
        tokens.append(token)
        # The token works with this reader's cookie: the language switcher posts.
        switched = reader.post(
            reverse("set_language"), {"language": "fr", "next": url, "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302
    assert tokens[0] != tokens[1]


def test_signed_in_people_always_get_their_own_page(client_for, citizen, proposal):
    Client().get(proposal.get_absolute_url())  # stored for anonymous readers
    page = client_for(citizen).get(proposal.get_absolute_url())
    assert "X-Page-Cache" not in page
    assert "Sign out" in page.content.decode()


def test_a_reader_with_a_message_waiting_is_not_served_a_stored_page(proposal):
    Client().get(proposal.get_absolute_url())
    reader = Client()
    reader.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in reader.get(proposal.get_absolute_url())


def test_pages_are_kept_per_language(proposal):
    url = proposal.get_absolute_url()
    Client().get(url)
    french = Client(headers={"accept-language": "fr"}).get(url)
    assert french["Content-Language"] == "fr"
    assert french["X-Page-Cache"] == "miss"
    assert Client().get(url)["Content-Language"] == "en"


def test_a_draft_plan_stays_hidden_and_appears_when_published(client_for, member, civil_servant):
    plan = PlanFactory.create(
        member=member, status=PlanStatus.PLANNING, co_creation_timeline="Soon"
    )
    reader = Client()
    assert reader.get(plan.get_absolute_url()).status_code == 404
    assert plan.title not in reader.get(reverse("plans:plan-list")).content.decode()
    # The civil servant sees the draft; that page is theirs, not stored for others.
    assert client_for(civil_servant).get(plan.get_absolute_url()).status_code == 200
    assert reader.get(plan.get_absolute_url()).status_code == 404
    plan_services.plan_transition(plan, actor=civil_servant, to_status=PlanStatus.NOTICE)
    assert reader.get(plan.get_absolute_url()).status_code == 200
    assert plan.title in reader.get(reverse("plans:plan-list")).content.decode()


def test_a_window_closing_shows_without_any_write(proposal):
    consultation = proposal.consultation
    url = reverse("consultations:proposal-list", args=[consultation.pk])
    before = Client().get(url).content.decode()
    assert "closed on" not in before
    with time_machine.travel(consultation.closes_at + timezone.timedelta(seconds=1)):
        after = Client().get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "closed on" in after.content.decode()


def test_with_the_cache_off_nothing_is_stored(settings, proposal):
    settings.PAGE_CACHE_SECONDS = 0
    Client().get(proposal.get_absolute_url())
    assert "X-Page-Cache" not in Client().get(proposal.get_absolute_url())


def test_with_the_cache_server_down_pages_are_still_served(settings, proposal):
    # A real Redis client pointed at a port where nothing listens: every cache call fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    page = Client().get(proposal.get_absolute_url())
    assert page.status_code == 200
    assert proposal.title in page.content.decode()
    assert PLACEHOLDER not in page.content.decode()
    assert "X-Page-Cache" not in page


def test_a_comment_or_a_support_keeps_the_pages_that_do_not_show_it(client_for, citizen, proposal):
    # Every comment and support bumps a counter on its proposal with QuerySet.update; that
    # write names its proposal's pages (page_cache.declared), it does not drop the whole site.
    elsewhere = make_proposal(citizen, proposal.consultation, title="Publish the budgets")
    unrelated = [
        reverse("core:home"),
        reverse("plans:plan-list"),
        reverse("commitments:commitment-list"),
        reverse("consultations:consultation-list"),
        elsewhere.get_absolute_url(),
    ]
    for url in unrelated:
        Client().get(url)
    author = client_for(citizen)
    author.post(
        reverse("consultations:comment-create"), {"proposal": proposal.pk, "body": "Count me in"}
    )
    author.post(reverse("consultations:proposal-support", args=[proposal.pk]))
    assert "Count me in" in Client().get(proposal.get_absolute_url()).content.decode()
    for url in unrelated:
        assert Client().get(url)["X-Page-Cache"] == "hit", url


def test_a_reader_asking_for_no_cache_gets_a_fresh_page_that_is_not_kept(
    proposal, django_assert_max_num_queries
):
    url = proposal.get_absolute_url()
    fresh = Client().get(url, HTTP_CACHE_CONTROL="no-cache")
    assert fresh.status_code == 200
    assert proposal.title in fresh.content.decode()
    assert "X-Page-Cache" not in fresh
    # Nothing was stored: the next reader renders it, and the one after gets the stored copy.
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"
    # A stored page is not served to who asks for a fresh one either.
    assert "X-Page-Cache" not in Client().get(url, HTTP_CACHE_CONTROL="max-age=0, no-cache")


# --- a crowd of readers: one render (ogp_portal/core/page_cache.py, serve_or_render) ---


@pytest.mark.django_db(transaction=True)
def test_a_crowd_on_a_page_not_kept_yet_has_it_rendered_once(proposal):
    # What every reader of a busy page meets after a write to it: all miss at once.
    answers = crowd_get(proposal.get_absolute_url())
    assert [page.status_code for page in answers] == [200] * len(answers)
    assert sorted(page["X-Page-Cache"] for page in answers) == ["hit"] * 7 + ["miss"]
    for page in answers:
        assert proposal.title in page.content.decode()
        assert PLACEHOLDER not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_crowd_on_an_expired_page_has_it_rendered_once(proposal):
    url = proposal.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        Client().get(url)
        traveller.shift(61)  # kept 60 s (settings/test.py)
        answers = crowd_get(url)
    states = sorted(page["X-Page-Cache"] for page in answers)
    # One renders it again; the others get the expired copy meanwhile (or the new one).
    assert states.count("miss") == 1
    assert set(states) <= {"miss", "stale", "hit"}
    for page in answers:
        assert page.status_code == 200
        assert proposal.title in page.content.decode()
        assert PLACEHOLDER not in page.content.decode()


def test_a_change_after_a_page_expired_shows_at_once_not_the_expired_copy(proposal):
    url = proposal.get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        Client().get(url)
        traveller.shift(61)  # expired: its copy is kept a little longer, for a crowd
        proposal.title = "Open the procurement registers"
        proposal.save()
        page = Client().get(url)
    assert page["X-Page-Cache"] == "miss"
    assert "Open the procurement registers" in page.content.decode()
