"""The part of a comment every reader sees is kept per process, under a key made of all it
shows (consultation_tags.comment_article): a change shows at once, languages and time zones
never mix, and each reader still gets their own buttons."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from consultations.choices import ModerationState
from consultations.models import Comment
from consultations.templatetags.consultation_tags import shown_comment


@pytest.fixture(autouse=True)
def _pages_rendered_each_time(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the comment's fragment is under test, not the page's


def make_comment(proposal, author, **fields):
    return Comment.objects.create(
        consultation=proposal.consultation,
        proposal=proposal,
        author=author,
        show_name=True,
        body="First words",
        body_html="<p>First words</p>",
        **fields,
    )


def page(client, proposal, language="en"):
    return client.get(proposal.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_an_edited_hidden_or_deleted_comment_shows_its_new_state_at_once(client, citizen, proposal):
    comment = make_comment(proposal, citizen)
    assert "First words" in page(client, proposal)  # now kept

    Comment.objects.filter(pk=comment.pk).update(
        body_html="<p>Second words</p>", edited_at=timezone.now()
    )
    html = page(client, proposal)
    assert "Second words" in html
    assert "First words" not in html
    assert '<span class="badge">edited</span>' in html

    Comment.objects.filter(pk=comment.pk).update(
        moderation_state=ModerationState.HIDDEN, hidden_reason="Off topic"
    )
    html = page(client, proposal)
    assert "Hidden by a moderator: Off topic" in html
    assert "Second words" not in html

    Comment.objects.filter(pk=comment.pk).update(deleted_at=timezone.now())
    html = page(client, proposal)
    assert "This comment was deleted." in html
    assert "Off topic" not in html


def test_a_renamed_author_shows_under_the_new_name(client, citizen, proposal):
    citizen.name = "Old Name"
    citizen.save()
    make_comment(proposal, citizen)
    assert "<bdi>Old Name</bdi>" in page(client, proposal)

    citizen.name = "New Name"
    citizen.save()
    html = page(client, proposal)
    assert "<bdi>New Name</bdi>" in html
    assert "Old Name" not in html


def test_two_languages_do_not_mix(client, citizen, proposal):
    make_comment(proposal, citizen, edited_at=timezone.now())
    Comment.objects.update(show_name=False)
    french = page(client, proposal, "fr")
    english = page(client, proposal, "en")
    assert "a participant" in english
    assert "a participant" not in french
    with translation.override("fr"):
        assert translation.gettext("a participant") in french
        assert translation.gettext("a participant") not in english


def test_two_time_zones_do_not_mix(citizen, proposal):
    comment = make_comment(proposal, citizen)
    with timezone.override(datetime.UTC):
        in_utc = shown_comment(comment)
    with timezone.override("Asia/Tokyo"):
        in_tokyo = shown_comment(comment)
    assert in_utc.when == in_tokyo.when  # the same instant...
    assert in_utc != in_tokyo  # ...written in two zones: two fragments


def test_each_reader_still_gets_their_own_buttons(
    client, client_for, citizen, cso_member, proposal
):
    comment = make_comment(proposal, citizen)
    edit = reverse("consultations:comment-edit", args=[comment.pk])
    assert "inline-decision" not in page(client, proposal)
    assert edit in page(client_for(citizen), proposal)
    others = page(client_for(cso_member), proposal)
    assert edit not in others
    assert f'id="flag-{comment.pk}"' in others
