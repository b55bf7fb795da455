"""Content languages (any language a member writes in), as opposed to the UI languages."""

from django.conf import global_settings
from django.utils.translation import get_language_info

# Scripts written right to left (ISO 639-1 codes).
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi", "ug"}

CONTENT_LANGUAGE_CHOICES = sorted(global_settings.LANGUAGES, key=lambda item: item[1])


def text_direction(language: str) -> str:
    return "rtl" if language.split("-")[0] in RTL_LANGUAGES else "ltr"


def language_name(language: str) -> str:
    try:
        return get_language_info(language)["name_translated"]
    except KeyError:
        return language
