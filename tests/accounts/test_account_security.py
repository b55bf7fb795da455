"""Account security from outside: password length rules, reset only to a verified address,
and the notices mailed to the old or primary address when the account changes."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

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


# --- Password reset only to a verified address -----------------------------------------------


def test_password_reset_to_an_unverified_secondary_address_sends_nothing(client, citizen):
    # Given an account holding an address nobody has verified (anyone can type one in)
    EmailAddress.objects.create(user=citizen, email="not.mine@example.org", verified=False)

    # When a reset is asked for that address
    response = client.post(reverse("account_reset_password"), {"email": "not.mine@example.org"})

    # Then the page answers as usual and nothing at all is mailed to that address
    assert response.status_code == 302
    assert [m for m in mail.outbox if "not.mine@example.org" in m.to] == []
    assert mail.outbox == []


def test_password_reset_to_the_verified_address_sends_the_link(client, citizen):
    response = client.post(reverse("account_reset_password"), {"email": citizen.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [citizen.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_password_reset_for_an_unverified_only_account_sends_nothing(client):
    user = UserFactory(email="never.verified@example.org", verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)

    client.post(reverse("account_reset_password"), {"email": user.email})

    assert mail.outbox == []
