"""Loading fixed data (demo data) so that a second load changes nothing."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], defaults: dict[str, Any], **lookup: Any) -> M:
    """Create the row, or update it only where a value differs. Unlike update_or_create it
    does not save an unchanged row, so versioned models get no empty history entries."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj
