"""Each consultation has a public moderation log: what was hidden or restored, when, why and
the moderator's role, never their name; linked from the consultation page."""

import pytest
from django.urls import reverse

from consultations.services.comments import comment_post

pytestmark = pytest.mark.django_db


def test_the_public_moderation_log_shows_what_when_why_and_role_not_name(
    client, client_for, citizen, moderator, proposal, consultation
):
    moderator.name = "Maria Moderator"
    moderator.save()
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Rude words")
    mod = client_for(moderator)
    mod.post(reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "Insults"})
    mod.post(
        reverse("consultations:comment-restore", args=[comment.pk]), {"reason": "Appeal upheld"}
    )
    client.logout()

    # The consultation page links to its log, for anyone
    detail = client.get(consultation.get_absolute_url()).content.decode()
    url = reverse("consultations:consultation-moderation-log", args=[consultation.pk])
    assert url in detail

    html = client.get(url).content.decode()
    assert "Comment hidden" in html
    assert "Insults" in html
    assert "Comment restored" in html
    assert "Appeal upheld" in html
    assert f"#comment-{comment.pk}" in html
    assert "Moderator" in html
    assert "Maria Moderator" not in html
    assert moderator.email not in html
    assert "Rude words" not in html


def test_the_log_of_another_consultation_stays_empty(
    client, citizen, moderator, proposal, consultation, client_for
):
    from .test_services import make_consultation

    other = make_consultation(consultation.plan, is_open=False, title="Another window")
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Rude")
    client_for(moderator).post(
        reverse("consultations:comment-hide", args=[comment.pk]), {"reason": "Insults"}
    )
    client.logout()
    html = client.get(
        reverse("consultations:consultation-moderation-log", args=[other.pk])
    ).content.decode()
    assert "No comment has been moderated in this consultation." in html
    assert "Insults" not in html
