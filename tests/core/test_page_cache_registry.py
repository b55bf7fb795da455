"""Each app registers its content models with the page cache (core names none of them)."""

from django.apps import apps

from ogp_portal.core import page_cache

CONTENT_APPS = ("organisations", "plans", "commitments", "consultations", "forums", "records")


def test_every_content_model_changes_the_pages_that_show_it():
    expected = {
        model
        for model in apps.get_models()
        if model._meta.app_label in CONTENT_APPS and not model.__name__.startswith("Historical")
    }
    expected.add(apps.get_model("core", "Translation"))
    assert expected - set(page_cache._MODEL_SCOPES) == set()


def test_rows_outside_public_pages_keep_the_cache():
    registered = {model._meta.app_label for model in page_cache._MODEL_SCOPES}
    assert "users" not in registered
    assert {m._meta.label for m in page_cache._MODEL_SCOPES if m._meta.app_label == "core"} == {
        "core.Translation"
    }
