"""{% load i18n %} loads ogp_portal/core/templatetags/i18n_kept.py: fixed {% translate %} texts
are looked up once per language and escaping mode, and every form of the tag still writes
exactly what Django's own tag writes, in the reader's language."""

from pathlib import Path

import pytest
from django.template import Context, Engine, engines
from django.utils import translation
from django.utils.autoreload import file_changed

from ogp_portal.core.templatetags import i18n_kept

FORMS = [
    '{% translate "Sign in" %}',
    '{% translate "Comments" %}|{% translate "Reply" %}',
    '{% translate "Sign in" as label %}[{{ label }}]',
    '{% translate "May" context "month name" %}',
    '{% translate "Sign in" noop %}',
    '{% translate "Sign in"|upper %}',
    "{% translate message %}",
    '{% translate "Sign in" context which %}',
    '{% translate "R&D <b>" %}',
    '{% autoescape off %}{% translate "R&D <b>" %}{% endautoescape %}',
    '{% trans "Sign in" %}',
    "{% translate '100%% public' %}",
]


def project_engine():
    return engines["django"].engine


def django_engine():
    """The same templates with Django's own i18n library."""
    project = project_engine()
    return Engine(
        dirs=project.dirs,
        app_dirs=project.app_dirs,
        context_processors=project.context_processors,
        libraries={"i18n": "django.templatetags.i18n"},
    )


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
@pytest.mark.parametrize("source", FORMS)
def test_every_form_of_the_tag_writes_what_djangos_writes(language, source):
    text = "{% load i18n %}" + source
    values = {"message": "Sign in", "which": "month name"}
    with translation.override(language):
        expected = django_engine().from_string(text).render(Context(values))
        for _ in range(2):  # the first render keeps, the second serves what was kept
            assert project_engine().from_string(text).render(Context(values)) == expected


def test_the_tag_is_the_kept_one():
    template = project_engine().from_string('{% load i18n %}{% translate "Sign in" %}')
    assert isinstance(template.nodelist[-1], i18n_kept.KeptTranslateNode)


def test_each_reader_gets_their_own_language():
    template = project_engine().from_string('{% load i18n %}{% translate "Sign in" %}')
    written: dict[str, set[str]] = {}
    for language in ["fr", "en", "es", "ar", "fr"]:
        with translation.override(language):
            written.setdefault(language, set()).add(template.render(Context()))
    assert all(len(texts) == 1 for texts in written.values())
    assert len({texts.pop() for texts in written.values()}) == 4
    with translation.override("fr"):
        assert template.render(Context()) != "Sign in"


def test_a_changed_file_drops_what_was_kept():
    """A new .mo file in development (the reloader sends file_changed) is read again."""
    template = project_engine().from_string('{% load i18n %}{% translate "Sign in" %}')
    with translation.override("fr"):
        template.render(Context())
        key = ("fr", True, "Sign in", None)
        assert key in i18n_kept._KEPT
        i18n_kept._KEPT[key] = "stale"
        assert template.render(Context()) == "stale"
        file_changed.send(sender=None, file_path=Path("locale/fr/LC_MESSAGES/django.mo"))
        assert key not in i18n_kept._KEPT
    with translation.override("fr"):  # Django's own reload deactivated the language
        assert template.render(Context()) not in {"stale", "Sign in"}
        assert key in i18n_kept._KEPT


@pytest.mark.parametrize(
    "source",
    [
        '{% translate "Sign in" %}',
        '{% translate "May" context "month name" %}',
        '{% translate "Sign in" as label %}{{ label }}',
    ],
)
def test_fixed_texts_are_kept_and_variable_ones_are_not(source):
    template = project_engine().from_string("{% load i18n %}" + source)
    i18n_kept._KEPT.clear()
    with translation.override("es"):
        template.render(Context())
    assert len(i18n_kept._KEPT) == 1
    variable = project_engine().from_string(
        "{% load i18n %}{% translate message %}{% translate 'May' context which %}"
    )
    i18n_kept._KEPT.clear()
    with translation.override("es"):
        variable.render(Context({"message": "Sign in", "which": "month name"}))
    assert i18n_kept._KEPT == {}


def test_the_override_is_the_only_label_allowed_twice(settings):
    """Django's own warning (templates.W003) is silenced for the intended i18n override; the
    project's check still reports any other label given to two modules."""
    from ogp_portal.core.templatetags.i18n_kept import check_labels

    assert check_labels() == []
    options = settings.TEMPLATES[0]["OPTIONS"]
    libraries = {**options["libraries"], "static": "ogp_portal.core.templatetags.layout_tags"}
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "OPTIONS": {**options, "libraries": libraries}}]
    warnings = check_labels()
    assert [w.id for w in warnings] == ["core.W003"]
    assert "'static'" in warnings[0].msg
