"""The signed-in user's read written out in SQL (ogp_portal/users/user_sql.py) loads what the
ORM loads, fails as the ORM fails, and is what every signed-in request uses, through the
portal's authentication backends (ogp_portal/users/auth_backends.py), and nothing else."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ogp_portal.users import auth_backends, user_sql
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def orm_get(**lookup):
    return QuerySet(get_user_model()).get(**lookup)


def sql_get(pk):
    return user_sql.by_pk(get_user_model(), DEFAULT_DB_ALIAS, pk)


def test_the_user_read_by_pk_is_the_one_the_orm_reads():
    User = get_user_model()
    user = UserFactory(is_staff=True, preferred_language="fr")
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    for pk in (user.pk, str(user.pk)):
        fast, orm = sql_get(pk), orm_get(pk=user.pk)
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
        sql_get(pk)
    with pytest.raises(User.DoesNotExist) as orm:
        orm_get(pk=pk)
    assert str(fast.value) == str(orm.value)


def test_a_pk_that_is_no_number_fails_as_with_the_orm():
    with pytest.raises(ValueError, match="expected a number") as fast:
        sql_get("x")
    with pytest.raises(ValueError, match="expected a number") as orm:
        orm_get(pk="x")
    assert str(fast.value) == str(orm.value)


def test_the_managers_reads_are_the_orms():
    # A get(pk=) elsewhere in the portal is the ORM's own, with its LIMIT
    User = get_user_model()
    user = UserFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert User.objects.get(pk=user.pk) == user
    assert "LIMIT" in ctx.captured_queries[0]["sql"]
    assert User.objects.get(email=user.email) == user
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=user.pk, is_active=False)


@pytest.mark.parametrize(
    "backend", [auth_backends.ModelBackend, auth_backends.AuthenticationBackend]
)
def test_the_session_user_is_read_in_one_statement_and_inactive_users_are_refused(backend):
    user = UserFactory()
    with CaptureQueriesContext(connection) as ctx:
        assert backend().get_user(user.pk) == user
    assert len(ctx.captured_queries) == 1
    assert "LIMIT" not in ctx.captured_queries[0]["sql"]  # the written-out read, not the ORM's
    assert backend().get_user(user.pk + 1000) is None
    user.is_active = False
    user.save()
    assert backend().get_user(user.pk) is None


def test_a_signed_in_request_sees_its_user_and_a_deleted_user_is_signed_out(client):
    user = UserFactory()
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.wsgi_request.user == user
    user_reads = [q["sql"] for q in ctx.captured_queries if "users_user" in q["sql"]]
    assert user_reads
    assert "LIMIT" not in user_reads[0]  # request.user, by the written-out read
    user.delete()
    response = client.get("/")
    assert not response.wsgi_request.user.is_authenticated


def test_signing_in_with_the_form_reads_the_user_with_the_portals_backend(client, civil_servant):
    # When a person signs in with their e-mail address and password
    client.post(reverse("account_login"), {"login": civil_servant.email, "password": PASSWORD})

    # Then the session names one of the portal's backends, whose read loads them next time
    backend = client.session[BACKEND_SESSION_KEY]
    assert backend in settings.AUTHENTICATION_BACKENDS
    assert backend.startswith("ogp_portal.users.auth_backends.")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.wsgi_request.user == civil_servant
    user_reads = [q["sql"] for q in ctx.captured_queries if "users_user" in q["sql"]]
    assert "LIMIT" not in user_reads[0]
