"""run_action: the idiom for a button with nothing typed calls one service and turns a
refusal into a message for the page the view redirects to."""

import pytest
from django.contrib import messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from ogp_portal.core.errors import DomainError
from ogp_portal.core.form_views import run_action


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()  # kept in memory: nothing here saves it
    request._messages = FallbackStorage(request)
    return request


def _refuse(error):
    raise error


def test_a_service_that_acts_returns_its_result_and_no_message():
    request = _request()
    assert run_action(request, lambda: 42) == (42, None)
    assert list(messages.get_messages(request)) == []


def test_a_refusal_becomes_an_error_message():
    request = _request()
    result, error = run_action(request, lambda: _refuse(DomainError("Not now.")))
    assert result is None
    assert isinstance(error, DomainError)
    [message] = messages.get_messages(request)
    assert (message.level, message.message) == (messages.ERROR, "Not now.")


def test_a_validation_error_reads_as_one_sentence_at_the_level_asked():
    request = _request()
    run_action(
        request,
        lambda: _refuse(ValidationError(["Too short.", "Too vague."])),
        level=messages.INFO,
    )
    [message] = messages.get_messages(request)
    assert (message.level, message.message) == (messages.INFO, "Too short. Too vague.")


def test_anything_else_is_a_bug_and_is_not_caught():
    request = _request()
    with pytest.raises(KeyError):
        run_action(request, lambda: _refuse(KeyError("x")))
