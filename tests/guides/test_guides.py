"""How to take part, as a newcomer finds it: linked from every page's footer and the home page,
one plain-language guide per audience, in all four languages, with how to ask for
reconsideration of a response."""

import pytest
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

GUIDES = ["citizens", "organisations", "government"]


def test_the_guides_are_linked_from_the_home_page_and_every_footer(client):
    html = client.get("/").content.decode()
    assert html.count(reverse("guides:take-part")) >= 2  # the home page and the footer
    assert reverse("guides:resource-list") in html
    privacy = client.get(reverse("core:privacy")).content.decode()
    assert reverse("guides:take-part") in privacy


def test_the_way_in_points_to_each_guide(client):
    html = client.get(reverse("guides:take-part")).content.decode()
    for audience in GUIDES:
        assert reverse("guides:guide", args=[audience]) in html
    assert "What happens when" in html


@pytest.mark.parametrize("audience", GUIDES)
def test_each_guide_says_what_happens_to_your_input(client, audience):
    response = client.get(reverse("guides:guide", args=[audience]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert "reasoned response" in html


@override_settings(OGP_RECONSIDERATION_DAYS=21)
@pytest.mark.parametrize("audience", ["citizens", "organisations", "government"])
def test_the_guides_say_how_long_one_may_ask_for_reconsideration(client, audience):
    html = client.get(reverse("guides:guide", args=[audience])).content.decode()
    assert "reconsider" in html
    assert "within 21 days" in html


def test_an_unknown_guide_is_not_found(client):
    assert client.get("/take-part/astronauts/").status_code == 404


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "How to take part: citizens"),
        ("fr", "Comment participer : citoyens"),
        ("es", "Cómo participar: ciudadanía"),
        ("ar", "كيف تشارك: المواطنون"),
    ],
)
def test_the_guides_exist_in_all_four_languages(client, language, heading):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get(reverse("guides:guide", args=["citizens"])).content.decode()
    assert heading in html
    if language != "en":
        assert "What the portal does with your input" not in html
