"""The signed-in user's read written out in SQL (ogp_portal/users/user_sql.py) loads what the
ORM loads, fails as the ORM fails, and is what every signed-in request uses."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def orm_get(**lookup):
    return QuerySet(get_user_model()).get(**lookup)


def test_the_user_read_by_pk_is_the_one_the_orm_reads():
    User = get_user_model()
    user = UserFactory(is_staff=True, preferred_language="fr")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    for pk in (user.pk, str(user.pk)):
        fast, orm = User.objects.get(pk=pk), orm_get(pk=user.pk)
        assert type(fast) is type(orm)
        for field in User._meta.concrete_fields:
            assert getattr(fast, field.attname) == getattr(orm, field.attname), field.name
            assert type(getattr(fast, field.attname)) is type(getattr(orm, field.attname))
        assert (fast._state.db, fast._state.adding) == (orm._state.db, orm._state.adding)


@pytest.mark.parametrize("pk", [0, -1, 2**70, None, "123456789"])
def test_a_user_not_there_is_not_found_as_by_the_orm(pk):
    User = get_user_model()
    UserFactory()
    with pytest.raises(User.DoesNotExist) as fast:
        User.objects.get(pk=pk)
    with pytest.raises(User.DoesNotExist) as orm:
        orm_get(pk=pk)
    assert str(fast.value) == str(orm.value)


def test_a_pk_that_is_no_number_fails_as_with_the_orm():
    User = get_user_model()
    with pytest.raises(ValueError, match="expected a number") as fast:
        User.objects.get(pk="x")
    with pytest.raises(ValueError, match="expected a number") as orm:
        orm_get(pk="x")
    assert str(fast.value) == str(orm.value)


def test_other_lookups_still_go_through_the_orm():
    User = get_user_model()
    user = UserFactory()
    assert User.objects.get(email=user.email) == user
    assert User.objects.get(pk=user.pk, is_active=True) == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk, is_active=False)


def test_the_session_user_is_read_in_one_statement_and_inactive_users_are_refused():
    user = UserFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert ModelBackend().get_user(user.pk) == user
    assert len(ctx.captured_queries) == 1
    assert "LIMIT" not in ctx.captured_queries[0]["sql"]  # the written-out read, not the ORM's
    user.is_active = False
    user.save()
    assert ModelBackend().get_user(user.pk) is None


def test_a_signed_in_request_sees_its_user_and_a_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/")
    assert response.wsgi_request.user == user
    user.delete()
    response = client.get("/")
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.parametrize(
    "backend",
    [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ],
)
def test_a_session_signed_in_by_either_backend_stays_signed_in(client, backend):
    # Each stored session names the backend that signed its person in; Django loads the user
    # only while that path is in AUTHENTICATION_BACKENDS, so renaming a backend would sign
    # everyone out at the next deploy.
    user = UserFactory()
    client.force_login(user, backend=backend)
    assert client.session["_auth_user_backend"] == backend
    response = client.get("/")
    assert response.wsgi_request.user == user
