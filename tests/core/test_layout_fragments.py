"""The layout's fixed parts are rendered once per process and language
(ogp_portal/core/templatetags/layout_tags.py): what a visitor sees must never be another
language's, another page's or another person's copy, and must match a fresh render."""

import re

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.test import override_settings
from django.urls import reverse

from ogp_portal.core.templatetags import layout_tags

# Each request renders; the page cache (tested on its own) would otherwise answer repeats.
FRESH = {"HTTP_CACHE_CONTROL": "no-cache"}


def header(html: str) -> str:
    return html.split('<main id="main"', 1)[0]


def masked(html: str) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)


@pytest.mark.django_db
def test_a_second_language_gets_its_own_layout_at_once(client):
    english = client.get("/", **FRESH).content.decode()
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr", **FRESH).content.decode()
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar", **FRESH).content.decode()
    english_again = client.get("/", **FRESH).content.decode()

    assert '<html lang="en" dir="ltr"' in english
    assert "Action plans" in header(english)
    assert '<html lang="fr" dir="ltr"' in french
    assert "Plans d’action" in header(french)
    assert "Action plans" not in french
    assert '<html lang="ar" dir="rtl"' in arabic
    assert "خطط العمل" in header(arabic)
    # The switcher marks the language in use, in each language's copy.
    assert '<option value="fr" lang="fr" selected>' in french
    assert '<option value="ar" lang="ar" selected>' in arabic
    assert '<option value="en" lang="en" selected>' in english_again
    assert masked(english_again) == masked(english)


@pytest.mark.django_db
def test_the_switcher_returns_to_the_page_it_is_on_with_a_fresh_token(client):
    first = client.get("/", **FRESH).content.decode()
    other = client.get(reverse("plans:plan-list") + "?page=1", **FRESH).content.decode()

    assert '<input type="hidden" name="next" value="/">' in first
    assert '<input type="hidden" name="next" value="/plans/?page=1">' in other
    tokens = [
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        for html in (first, other)
    ]
    assert tokens[0] != tokens[1]  # masked per response, as Django renders it


@pytest.mark.django_db
def test_signing_in_and_out_changes_the_menu_at_once(client, citizen):
    anonymous = header(client.get("/", **FRESH).content.decode())
    client.force_login(citizen)
    signed_in = header(client.get("/").content.decode())
    response = client.post(reverse("account_logout"), follow=True)
    after = response.content.decode()

    assert "Sign in" in anonymous
    assert "Sign out" not in anonymous
    assert "Sign out" in signed_in
    assert "My organisations" in signed_in
    assert "Sign in" not in signed_in
    assert "Sign in" in header(after)
    assert "Sign out" not in header(after)
    # A message is never part of the stored layout: this one shows once, then not again.
    assert "You have signed out." in after
    assert "You have signed out." not in client.get("/", **FRESH).content.decode()


@pytest.mark.django_db
def test_stored_layout_is_the_layout_rendered_afresh(client):
    stored_first = client.get("/", HTTP_ACCEPT_LANGUAGE="es", **FRESH).content.decode()
    from_store = client.get("/", HTTP_ACCEPT_LANGUAGE="es", **FRESH).content.decode()
    layout_tags._forget_all()
    afresh = client.get("/", HTTP_ACCEPT_LANGUAGE="es", **FRESH).content.decode()

    assert masked(stored_first) == masked(from_store) == masked(afresh)


@pytest.mark.django_db
def test_a_changed_setting_is_shown_at_once(client):
    before = client.get("/", **FRESH).content.decode()
    with override_settings(STATIC_URL="/assets/"):
        during = client.get("/", **FRESH).content.decode()
    after = client.get("/", **FRESH).content.decode()

    assert 'href="/static/css/portal.css"' in before
    assert 'href="/assets/css/portal.css"' in during
    assert 'href="/static/css/portal.css"' in after


def test_per_request_values_in_a_fragment_are_refused_when_parsed():
    engine = Engine(libraries={"layout_tags": "ogp_portal.core.templatetags.layout_tags"})
    for inner in (
        "{{ request.path }}",
        "{% if user.is_authenticated %}x{% endif %}",
        "{% csrf_token %}",
        "{% for m in messages %}{{ m }}{% endfor %}",
        "{% block content %}{% endblock %}",
        '{% include "x.html" %}',
    ):
        with pytest.raises(TemplateSyntaxError):
            engine.from_string(
                "{% load layout_tags %}{% layout_fragment %}" + inner + "{% endlayout_fragment %}"
            )
    # Words inside quoted text are only text.
    template = engine.from_string(
        "{% load layout_tags %}{% layout_fragment %}{{ 'user'|upper }}{% endlayout_fragment %}"
    )
    assert template.render(Context()) == "USER"


def test_a_variable_set_inside_a_fragment_stays_inside():
    template = Template(
        "{% load i18n layout_tags %}"
        "{% layout_fragment %}{% get_available_languages as languages %}{% endlayout_fragment %}"
        "[{{ languages }}]"
    )
    assert template.render(Context()) == "[]"
    assert template.render(Context()) == "[]"
