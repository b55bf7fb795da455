"""Templates, read by base.py: Django's engine, the project's context processors, and
{% load i18n %} as Django's library with fixed {% translate %} texts kept per language
(ogp_portal/core/templatetags/i18n_kept.py)."""

from pathlib import Path

_PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [_PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ogp_portal.organisations.context_processors.roles",
                "ogp_portal.core.context_processors.notifications",
                "ogp_portal.core.page_cache.csrf",
            ],
            "libraries": {"i18n": "ogp_portal.core.templatetags.i18n_kept"},
        },
    }
]
# Django warns about that override as about any label used twice; core.W003
# (i18n_kept.check_labels) warns about every other one.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]
