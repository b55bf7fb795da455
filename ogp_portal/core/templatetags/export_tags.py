"""The "Download PDF" control a document page shows (see core/exports.py)."""

from urllib.parse import urlencode

from django import template
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import get_language

from ogp_portal.core import exports
from ogp_portal.core.exports import get_export

register = template.Library()


@register.inclusion_tag("core/exports/_controls.html", takes_context=True)
def export_controls(context, kind: str, target) -> dict:
    """{% export_controls "plan" plan %}: shown only to people who may export `target`."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    try:
        spec = get_export(kind)
    except KeyError:
        return {"show": False}
    if target is None or user is None or not spec.can_export(user, target):
        return {"show": False}
    language = spec.language_for(target, get_language())
    ct_id = ContentType.objects.get_for_model(spec.model).pk
    latest = reverse("exports:latest", args=[kind, target.pk])
    # One click to the PDF: a link straight to the stored file when one matches the current
    # content, else a button that starts the job (its page links the file once it is made).
    ready = exports.current_file(kind, target, language) is not None
    return {
        "show": True,
        "ready": ready,
        "language": language,
        "start_url": reverse("exports:start", args=[kind, ct_id, target.pk]),
        "latest_url": f"{latest}?{urlencode({'language': language})}",
        "csrf_token": context.get("csrf_token"),
    }
