"""Writing the audit trail: one call per state change, from services only."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation

from .models import AuditEvent


def record_event(
    actor: Any, action: str, target: models.Model, *, reason: str = "", **data: Any
) -> AuditEvent:
    """Record that `actor` did `action` (an `<app>.<entity>.<past verb>` code) to `target`."""
    # The record is evidence: store the target's name in the portal's base language, not in
    # whatever language the acting person happens to browse in.
    with translation.override(settings.LANGUAGE_CODE):
        target_repr = str(target)[:300]
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=target_repr,
        data=data,
        reason=reason,
    )
