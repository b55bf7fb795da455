"""Account security from outside: password length rules, reset only to a verified address,
and the notices mailed to the old or primary address when the account changes."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "Vq7#mLp2!xZr"  # 12 characters, not common, not numeric


def _strong(length: int) -> str:
    return (STRONG * (length // len(STRONG) + 1))[:length]


def _sign_up(client, password: str):
    return client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": password, "password2": password},
    )


# --- Password length and common passwords ---------------------------------------------------


@pytest.mark.parametrize("length", [8, 11])
def test_sign_up_refuses_a_password_under_12_characters(client, length):
    response = _sign_up(client, _strong(length))

    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not EmailAddress.objects.filter(email="new.person@example.org").exists()


def test_sign_up_refuses_a_password_over_128_characters(client):
    response = _sign_up(client, _strong(129))

    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert "at most 128 characters" in response.content.decode()
    assert not EmailAddress.objects.filter(email="new.person@example.org").exists()


@pytest.mark.parametrize("length", [12, 128])
def test_sign_up_accepts_a_strong_password_of_12_to_128_characters(client, length):
    response = _sign_up(client, _strong(length))

    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="new.person@example.org").exists()


def test_sign_up_refuses_a_common_password(client):
    response = _sign_up(client, "password1234")

    assert response.status_code == 200
    assert "too common" in response.content.decode()


def test_password_change_follows_the_same_rules(client, citizen):
    client.force_login(citizen)
    for password, expected in [(_strong(11), "at least 12"), (_strong(129), "at most 128")]:
        response = client.post(
            reverse("account_change_password"),
            {"oldpassword": PASSWORD, "password1": password, "password2": password},
        )
        assert response.status_code == 200
        assert expected in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)
