"""Sessions in the database (ogp_portal/core/sessions.py): read without the ORM, with
Django's rules: a live session signs its person in, an expired or unknown one nobody."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_live_session_signs_its_person_in_and_an_expired_one_nobody(client):
    # Given a person signed in
    person = UserFactory()
    client.force_login(person)
    assert client.get("/").wsgi_request.user == person

    # When their session has expired
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    # Then nobody is signed in with it
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_an_unknown_session_key_signs_nobody_in_and_gets_a_new_key(client):
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/")
    assert not response.wsgi_request.user.is_authenticated
    assert response.wsgi_request.session.session_key is None


def test_what_a_session_keeps_is_read_back(client):
    person = UserFactory()
    client.force_login(person)
    session = client.session
    session["kept"] = {"answer": 42}
    session.save()
    assert client.get("/").wsgi_request.session["kept"] == {"answer": 42}
