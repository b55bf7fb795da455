"""A person's own data, from outside: the archive of everything about them, deleting the
account, and the privacy page."""

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from consultations.models import Comment, Support
from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import Role
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import PASSWORD, PlanFactory, UserFactory, grant

User = get_user_model()
EXPORT = reverse("users:data-export")
DELETE = reverse("users:account-delete")


@pytest.fixture
def consultation(member):
    return make_consultation(PlanFactory(member=member, status="co_creation"))


@pytest.fixture
def person(db, member):
    person = UserFactory(email="ada@example.org", name="Ada Lovelace")
    EmailAddress.objects.create(user=person, email="ada.second@example.org", verified=True)
    grant(person, Role.FORUM_MEMBER, member)
    return person


@pytest.fixture
def activity(person, consultation, client_for, client):
    """Ada and Grace each propose, comment and support; Ada's comment shows her name."""
    grace = UserFactory(email="grace@example.org", name="Grace Hopper")
    mine = make_proposal(person, consultation, title="Ada's idea: open registers")
    theirs = make_proposal(
        grace, consultation, title="Grace's idea: open budgets", problem="Budgets are secret."
    )
    for author, proposal, body in [
        (person, theirs, "Ada comments here"),
        (grace, mine, "Grace comments here"),
    ]:
        c = client_for(author)
        c.post(
            reverse("consultations:comment-create"),
            {"proposal": proposal.pk, "body": body, "show_name": "on"},
        )
        c.post(reverse("consultations:proposal-support", args=[proposal.pk]), {"action": "add"})
        c.logout()
    assert Comment.objects.count() == 2
    assert Support.objects.count() == 2
    return {"mine": mine, "theirs": theirs, "grace": grace}


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_download_my_data_holds_my_records_and_nobody_elses(client_for, person, activity):
    client = client_for(person)
    assert "Download my data" in client.get(reverse("users:profile")).content.decode()
    assert client.get(EXPORT).status_code == 200

    archive = _archive(client.post(EXPORT))

    names = archive.namelist()
    assert "data.json" in names
    assert "csv/account.csv" in names
    data = json.loads(archive.read("data.json"))
    blob = "\n".join(archive.read(n).decode() for n in names)
    assert data["account"][0]["email"] == "ada@example.org"
    assert data["account"][0]["name"] == "Ada Lovelace"
    for expected in [
        "ada.second@example.org",  # e-mail addresses
        "forum_member",  # role grant
        "Ada's idea: open registers",  # proposal
        "Ada comments here",  # comment
    ]:
        assert expected in blob
    assert any(t.startswith("consultations.support") for t in data)
    assert any(t.startswith("core.auditevent") for t in data)
    # Nobody else's data: not Grace's proposal, comment, address or name (the title of the
    # public proposal Ada supported is named, so that the support means something).
    for foreign in ["grace@example.org", "Grace Hopper", "Budgets are secret", "Grace comments"]:
        assert foreign not in blob
    # No credentials either.
    assert "pbkdf2" not in blob
    assert "md5$" not in blob
    assert "password" not in data["account"][0]


def test_download_my_data_is_for_signed_in_people_only(client, db):
    response = client.post(EXPORT)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert client.get(DELETE).status_code == 302


def test_delete_my_account_needs_the_password_again(client_for, person, activity):
    client = client_for(person)
    assert "Delete my account" in client.get(reverse("users:profile")).content.decode()
    response = client.post(DELETE, {"password": "not my password", "confirm": "on"})
    assert response.status_code == 200
    assert "This is not your password." in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
    response = client.post(DELETE, {"password": PASSWORD})  # the confirmation box unticked
    assert User.objects.filter(pk=person.pk).exists()


def test_delete_my_account_removes_personal_data_and_keeps_contributions(
    client_for, client, person, activity
):
    mine, grace = activity["mine"], activity["grace"]
    pk = person.pk
    signed_in = client_for(person)
    # A second session of the same person (another browser) ends too.
    from django.test import Client

    other_browser = Client()
    other_browser.force_login(person)

    response = signed_in.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=pk).exists()
    # The e-mail addresses are gone from every table that held them.
    assert not User.objects.filter(email__icontains="ada").exists()
    assert not EmailAddress.objects.filter(email__icontains="ada").exists()
    assert not AuditEvent.objects.filter(target_repr__icontains="ada@example.org").exists()
    assert not AuditEvent.objects.filter(actor_id=pk).exists()
    assert AuditEvent.objects.filter(action="users.user.deleted").exists()
    assert not Support.objects.filter(user_id=pk).exists()
    # Signed out everywhere, and cannot sign in again.
    assert other_browser.get(reverse("users:profile")).status_code == 302
    login = client.post(
        reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD}
    )
    assert login.status_code == 200
    assert "_auth_user_id" not in client.session
    # The public proposal and comment stay, by "a former participant".
    page = client.get(mine.get_absolute_url()).content.decode()
    assert "Ada&#x27;s idea: open registers" in page or "Ada's idea: open registers" in page
    assert "a former participant" in page
    assert "Ada Lovelace" not in page
    theirs = client.get(activity["theirs"].get_absolute_url()).content.decode()
    assert "Ada comments here" in theirs
    assert "a former participant" in theirs
    assert "Ada Lovelace" not in theirs
    assert Comment.objects.filter(author__isnull=True, body__contains="Ada comments").exists()
    # Grace is untouched.
    assert User.objects.filter(pk=grace.pk).exists()


@override_settings(PRIVACY_RETENTION_NOTIFICATIONS_DAYS=123, PRIVACY_RETENTION_SERVER_LOG_DAYS=45)
def test_privacy_page_is_linked_from_the_footer_and_shows_the_retention_settings(client, db):
    home = client.get("/").content.decode()
    assert reverse("core:privacy") == "/privacy/"
    assert 'href="/privacy/"' in home
    page = client.get("/privacy/").content.decode()
    assert "What is public" in page
    assert "123 days" in page
    assert "45 days" in page
    assert "a former participant" in page


def test_delete_is_refused_with_a_reason_while_a_forum_nomination_names_the_person(
    client_for, person, member, cso
):
    from forums.models import Nomination
    from tests.forums.factories import ForumFactory, SelectionRoundFactory

    selection_round = SelectionRoundFactory(forum=ForumFactory(member=member), seats=2)
    Nomination.objects.create(
        round=selection_round, candidate=person, candidate_name=person.name, organisation=cso
    )
    client = client_for(person)

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 200
    assert "forum nomination" in response.content.decode()
    assert User.objects.filter(pk=person.pk, email="ada@example.org").exists()
    assert client.get(reverse("users:profile")).status_code == 200  # still signed in
