"""A refused action in the consultation screens goes through the one idiom
(ogp_portal/core/form_views.py): a form comes back with what was typed and the reason; a
button with nothing typed leaves the reason as a message on the page it returns to."""

import html

import pytest
from django.urls import reverse

from consultations.models import Comment, GuidingQuestion

from .test_services import close_window

pytestmark = pytest.mark.django_db


def test_a_refused_question_comes_back_with_the_text_typed(client_for, civil_servant, consultation):
    # Given a consultation whose window has closed
    close_window(consultation)
    # When a civil servant adds a guiding question
    response = client_for(civil_servant).post(
        reverse("consultations:question-add", args=[consultation.pk]),
        {"text": "What about the archives?"},
    )
    # Then the form is shown again with the question typed and why it was refused
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "What about the archives?" in page
    assert "The consultation has closed; its questions can no longer change." in page
    assert not GuidingQuestion.objects.filter(text="What about the archives?").exists()


def test_a_refused_comment_comes_back_with_the_text_typed(client_for, cso_member, proposal):
    # Given a proposal of a consultation whose window has closed
    close_window(proposal.consultation)
    # When someone comments on it
    response = client_for(cso_member).post(
        reverse("consultations:comment-create"),
        {"proposal": proposal.pk, "body": "Late but important", "show_name": "on"},
    )
    # Then the proposal page comes back with the comment typed and the reason
    page = html.unescape(response.content.decode())
    assert "Late but important" in page
    assert "new input is no longer accepted" in page
    assert not Comment.objects.exists()


def test_a_refused_button_leaves_the_reason_as_a_message(client_for, cso_member, proposal):
    # Given a closed window
    close_window(proposal.consultation)
    # When someone supports a proposal
    client = client_for(cso_member)
    response = client.post(reverse("consultations:proposal-support", args=[proposal.pk]))
    # Then they return to the proposal and read why nothing happened
    assert response.status_code == 302
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "new input is no longer accepted" in page
