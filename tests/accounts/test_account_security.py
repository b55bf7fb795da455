"""Account security from outside: password length rules, reset only to a verified address,
and the notices mailed to the old or primary address when the account changes."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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


# --- Notices to the old or primary address ---------------------------------------------------


def _sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_adding_an_address_tells_the_primary_address(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("account_email"), {"email": "second@example.org", "action_add": ""}
    )

    assert response.status_code == 302
    notices = _sent_to(citizen.email)
    assert len(notices) == 1
    assert "second@example.org" in notices[0].body
    assert "added" in notices[0].subject
    # The new address gets only its verification link, not the notice
    assert all("added to your account" not in m.body for m in _sent_to("second@example.org"))


def test_changing_the_primary_address_tells_the_old_address(client, citizen):
    EmailAddress.objects.create(user=citizen, email="second@example.org", verified=True)
    client.force_login(citizen)

    response = client.post(
        reverse("account_email"), {"email": "second@example.org", "action_primary": ""}
    )

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="second@example.org").primary
    notices = _sent_to("citizen@example.org")
    assert len(notices) == 1
    assert "second@example.org" in notices[0].body
    assert _sent_to("second@example.org") == []


def test_changing_the_password_tells_the_primary_address(client, citizen):
    client.force_login(citizen)
    new = _strong(20)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    notices = _sent_to(citizen.email)
    assert len(notices) == 1
    assert "password" in notices[0].subject.lower()


def test_resetting_the_password_tells_the_primary_address(client, citizen):
    client.post(reverse("account_reset_password"), {"email": citizen.email})
    link = re.search(r"https?://[^/\s]+(/accounts/[^\s]+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # allauth moves the key into the session
    new = _strong(20)

    response = client.post(form_url, {"password1": new, "password2": new})

    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == [citizen.email]
    assert "password" in mail.outbox[1].subject.lower()


# allauth mails the activation notice on commit, while the request is still being served:
# a real transaction, not the test's rolled-back one, lets it run at that moment.
@pytest.mark.django_db(transaction=True)
def test_two_factor_on_and_off_tells_the_primary_address(client, citizen):
    from allauth.mfa.totp.internal.auth import (
        SECRET_SESSION_KEY,
        format_hotp_value,
        hotp_value,
    )

    client.force_login(citizen)
    # allauth asks for the password again before a two-factor change
    reauthenticate = client.get(reverse("mfa_activate_totp"))["Location"]
    client.post(reauthenticate, {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))

    response = client.post(reverse("mfa_activate_totp"), {"code": code})

    assert response.status_code == 302
    subjects = [m.subject for m in _sent_to(citizen.email)]
    assert any("activated" in s.lower() for s in subjects), subjects

    mail.outbox.clear()
    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    subjects = [m.subject for m in _sent_to(citizen.email)]
    assert any("deactivated" in s.lower() for s in subjects), subjects
