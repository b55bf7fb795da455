"""Names people chose (of themselves, of organisations) shown isolated from the text around
them, so a right-to-left name, or one that sneaked in a direction control, cannot reorder
the sentence it appears in."""

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def bdi(value: Any) -> SafeString:
    """{{ organisation.name|bdi }} → <bdi>…</bdi>, the name escaped inside."""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def verified_badge(organisation: Any) -> SafeString | str:
    """{{ organisation|verified_badge }}: a "Verified" badge after the name of an organisation
    the secretariat verified; nothing for one that is not (or for no organisation)."""
    if organisation is None or not getattr(organisation, "verified_at", None):
        return ""
    return format_html(
        ' <span class="badge badge-ok badge-verified">{}</span>', gettext("Verified")
    )
