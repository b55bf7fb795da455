"""Optimistic locking: a save only wins if nobody saved the record since the form was opened."""

from django.db import models, transaction
from django.utils.translation import gettext as _

from .errors import DomainError


class ConcurrentEditError(DomainError):
    """Someone else saved the record first; the caller shows the form again with a message."""


def save_if_unchanged(instance: models.Model, expected_version: int, fields: list[str]) -> None:
    """Save `fields` of `instance` if its stored `version` is still `expected_version`.

    The conditional UPDATE claims the row (SQLite takes the write lock, PostgreSQL the row
    lock) before the ordinary save() that django-simple-history records as a version.
    """
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            raise ConcurrentEditError(
                _(
                    "Someone else saved this page while you were editing it. Your text is "
                    "kept below: compare it with the current version, then save again."
                )
            )
        # Every caller's model has a `version` field; Model itself does not.
        instance.version = expected_version + 1  # type: ignore[attr-defined]
        extra = ["version"] + (["updated_at"] if hasattr(instance, "updated_at") else [])
        instance.save(update_fields=[*fields, *extra])
