"""The thread's comments written by one tag (consultation_tags.thread_items) are what the
template's loop wrote, byte for byte: comments with and without replies, hidden and deleted
ones, for a reader who may not reply, one who may (a reply form under each comment) and one
whose reply was refused (the form open under its comment, with what was typed)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from consultations.forms_proposals import CommentForm
from consultations.models import Comment
from consultations.views.threads import comment_thread_context

from .test_services import bulk_comments

pytestmark = pytest.mark.django_db

# The loop as _comment_thread.html wrote it before thread_items.
LOOP = """{% load i18n consultation_tags %}<ol class="comment-list">
      {% for comment in comments_page %}
        <li>
          {% comment_article comment %}
          {% with replies=comment.thread_replies %}
            {% if replies %}
              <ol class="comment-replies" aria-label="{% translate 'Replies' %}">
                {% for reply in replies %}<li>{% comment_article reply %}</li>{% endfor %}
              </ol>
            {% endif %}
          {% endwith %}
          {% if failed_parent == comment.pk %}
            <details class="reply" open><summary>{% translate "Reply" %}</summary>{% include "consultations/includes/_comment_form.html" with form=failed_form parent=comment %}</details>
          {% elif not comment_refusal %}
            <details class="reply"><summary>{% translate "Reply" %}</summary>{% include "consultations/includes/_comment_form.html" with form=None parent=comment %}</details>
          {% endif %}
        </li>
      {% endfor %}
    </ol>"""  # noqa: E501
TAG = """{% load consultation_tags %}<ol class="comment-list">
      {% thread_items comments_page %}
    </ol>"""


def _both(user, proposal, **kwargs):
    request = RequestFactory().get(proposal.get_absolute_url())
    request.user = user
    context = comment_thread_context(
        request, consultation=proposal.consultation, proposal=proposal, **kwargs
    )
    context.update(request=request, user=user, csrf_token="TOKEN")
    engine = engines["django"]
    return (
        engine.from_string(LOOP).render(context, request),
        engine.from_string(TAG).render(context, request),
    )


@pytest.fixture
def thread(proposal, citizen, cso_member):
    bulk_comments(proposal, [citizen, cso_member], top_level=6, replies_each=0)
    bulk_comments(proposal, [citizen, cso_member], top_level=3, replies_each=2)
    tops = list(Comment.objects.filter(proposal=proposal, parent__isnull=True).order_by("pk"))
    Comment.objects.filter(pk=tops[1].pk).update(
        moderation_state="hidden", hidden_reason='Off topic & "rude"'
    )
    Comment.objects.filter(pk=tops[2].pk).update(deleted_at=timezone.now())
    Comment.objects.filter(pk=tops[3].pk).update(edited_at=timezone.now())
    return proposal, tops


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_tag_writes_what_the_loop_wrote(thread, citizen, moderator, language):
    proposal, tops = thread
    with translation.override(language):
        for user in (AnonymousUser(), citizen, moderator):
            loop, tag = _both(user, proposal)
            assert tag == loop
        failed = CommentForm(data={"body": "What I typed", "parent": str(tops[4].pk)})
        failed.is_valid()
        loop, tag = _both(citizen, proposal, failed_form=failed)
        assert tag == loop
    assert 'class="comment-replies"' in tag
    assert '<details class="reply" open>' in tag
    assert "What I typed" in tag
    # A reply form under each top-level comment, none under the replies.
    assert (
        tag.count('<details class="reply"') == Comment.objects.filter(parent__isnull=True).count()
    )
