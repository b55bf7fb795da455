"""Template helpers for multilingual content."""

from django import template
from django.utils.translation import get_language

from ogp_portal.core.languages import language_name
from ogp_portal.core.translations import translated

register = template.Library()


@register.filter
def tr(obj, field: str):
    """{{ commitment|tr:"title" }} → a Text (str-able, with .language, .dir, .is_fallback)
    in the visitor's language where a translation exists, else the primary language."""
    return translated(obj, field, get_language() or "en")


@register.filter
def language_label(code: str) -> str:
    return language_name(code)


@register.inclusion_tag("includes/_text.html")
def text(obj, field: str, tag: str = "span", css: str = ""):
    """Render a translated field in an element with the right lang/dir and a fallback note."""
    value = translated(obj, field, get_language() or "en")
    return {"value": value, "tag": tag, "css": css}
