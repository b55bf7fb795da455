"""Sign-up with e-mail verification, login, password reset and the profile."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link_in(message) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/[^\s]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_requires_verification_then_logs_in(client):
    # When a visitor signs up
    response = client.post(
        reverse("account_signup"),
        {"email": "new.person@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    # Then they are told to check their mail and are not signed in yet
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not EmailAddress.objects.get(email="new.person@example.org").verified
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]

    # And signing in before verifying does not get them in
    client.post(reverse("account_login"), {"login": "new.person@example.org", "password": PASSWORD})
    assert "_auth_user_id" not in client.session

    # When they follow the link in the e-mail and confirm
    confirm_url = _link_in(mail.outbox[0])
    assert client.get(confirm_url).status_code == 200
    response = client.post(confirm_url)

    # Then the address is verified, they are signed in and count as a citizen
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified
    user = get_user_model().objects.get(email="new.person@example.org")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.has_perm("organisations.participate")


def test_sign_up_with_bad_input_keeps_what_was_typed(client):
    UserFactory(email="taken@example.org")
    response = client.post(
        reverse("account_signup"),
        {"email": "taken@example.org", "password1": PASSWORD, "password2": "something else"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="taken@example.org"' in page
    assert "errorlist" in page
    assert get_user_model().objects.filter(email="taken@example.org").count() == 1


def test_login_with_wrong_password_is_refused_with_a_message(client, citizen):
    response = client.post(
        reverse("account_login"), {"login": citizen.email, "password": "wrong password"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "not correct" in response.content.decode()


def test_login_lands_on_home_with_the_nav_of_the_person(client, civil_servant, member):
    response = client.post(
        reverse("account_login"), {"login": civil_servant.email, "password": PASSWORD}, follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sign out" in page
    # The nav offers the workspace of the member the civil servant works for
    assert reverse("organisations:member-workspace", args=[member.slug]) in page
    assert reverse("organisations:secretariat") not in page


def test_password_reset_by_email(client, citizen):
    client.post(reverse("account_reset_password"), {"email": citizen.email})
    assert len(mail.outbox) == 1
    reset_url = _link_in(mail.outbox[0])
    # allauth redirects the key URL to a key-less one kept in the session
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(
        form_url, {"password1": "a new long passphrase 42", "password2": "a new long passphrase 42"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password("a new long passphrase 42")


def test_account_emails_link_to_the_canonical_site_address(client, citizen, settings):
    settings.SITE_URL = "https://ogp.example.org"
    # Given a reset asked for through another host name (an internal name, a proxy's port)
    client.post(reverse("account_reset_password"), {"email": citizen.email}, HTTP_HOST="web:8000")

    # Then the link in the e-mail is on the portal's one public address
    body = mail.outbox[0].body
    assert "https://ogp.example.org/accounts/password/reset/key/" in body
    assert "web:8000" not in body


def test_profile_saves_name_and_language(client_for, citizen):
    client = client_for(citizen)
    response = client.post(
        reverse("users:profile"), {"name": "Chidi A.", "preferred_language": "fr"}
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.name, citizen.preferred_language) == ("Chidi A.", "fr")


def test_secretariat_without_two_factor_must_set_it_up_first(client, db):
    from ogp_portal.organisations.choices import Role
    from tests.factories import grant

    user = UserFactory(email="new.secretariat@example.org")
    grant(user, Role.SECRETARIAT)
    client.force_login(user)
    # Every portal page sends them to the TOTP set-up page until they have a second factor
    response = client.get(reverse("organisations:secretariat"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page itself is reachable (allauth first asks for the password again,
    # because this session was not signed in through the login form)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "authenticator" in response.content.decode().lower()


def test_secretariat_login_asks_for_the_totp_code(client, secretariat):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from django.utils import timezone

    from tests.conftest import DEMO_TOTP_SECRET

    response = client.post(
        reverse("account_login"), {"login": secretariat.email, "password": PASSWORD}
    )
    # The password alone is not enough: allauth asks for the authenticator code
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(timezone.now().timestamp()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretariat.pk)
    assert client.get(reverse("organisations:secretariat")).status_code == 200
