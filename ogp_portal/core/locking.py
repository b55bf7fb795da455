"""Optimistic locking: a save only wins if nobody saved the record since the form was opened.

Two saves from the same form are not a conflict: a double-clicked Save sends the same version
and the same text twice, and the second finds its own save already stored. A real conflict
says who saved, when, and how their text differs from what was typed.
"""

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .diffs import FieldChange, field_differences, field_value
from .errors import DomainError


class ConcurrentEditError(DomainError):
    """Someone else saved the record first; the caller shows the form again with a message,
    what they saved against what was typed (`changes`), and the stored `current_version` so
    that saving again after comparing is possible."""

    def __init__(
        self,
        message: str,
        *,
        saved_by: str = "",
        saved_at: dt.datetime | None = None,
        changes: list[FieldChange] | None = None,
        current_version: int | None = None,
    ) -> None:
        super().__init__(message)
        self.saved_by = saved_by
        self.saved_at = saved_at
        self.changes = changes or []
        self.current_version = current_version


def _last_version(stored: models.Model) -> Any:
    """The newest django-simple-history record of `stored` (None if it keeps no history)."""
    history = getattr(stored, "history", None)
    if history is None:
        return None
    return history.select_related("history_user").order_by("-history_id").first()


def _same_values(stored: models.Model, typed: models.Model, fields: list[str]) -> bool:
    return all(field_value(stored, name) == field_value(typed, name) for name in fields)


def _conflict(stored: models.Model, typed: models.Model, fields: list[str]) -> ConcurrentEditError:
    """The refusal for a save that lost to another one, naming who saved, when and what."""
    record = _last_version(stored)
    user = record.history_user if record is not None else None
    saved_by = str(user) if user is not None else ""
    saved_at = record.history_date if record is not None else getattr(stored, "updated_at", None)
    when = formats.date_format(timezone.localtime(saved_at), "DATETIME_FORMAT") if saved_at else ""
    if saved_by and when:
        message = _(
            "%(name)s saved this page at %(time)s, while you were editing it. Your text is "
            "kept below, with the differences from their version: compare, then save again."
        ) % {"name": saved_by, "time": when}
    else:
        message = _(
            "Someone else saved this page while you were editing it. Your text is kept below, "
            "with the differences from their version: compare, then save again."
        )
    return ConcurrentEditError(
        message,
        saved_by=saved_by,
        saved_at=saved_at,
        changes=field_differences(stored, typed, fields),
        current_version=getattr(stored, "version", None),
    )


def save_if_unchanged(
    instance: models.Model, expected_version: int, fields: list[str], *, actor: Any = None
) -> bool:
    """Save `fields` of `instance` if its stored `version` is still `expected_version`.

    The conditional UPDATE claims the row (SQLite takes the write lock, PostgreSQL the row
    lock) before the ordinary save() that django-simple-history records as a version, as
    made by `actor`. Returns True when it saved, False when this very save was already
    stored (the row is at the next version, saved by `actor`, with the same values): the
    caller then records nothing more. Raises ConcurrentEditError when someone else saved.
    """
    model = type(instance)
    with transaction.atomic():
        claimed = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=expected_version + 1
        )
        if not claimed:
            # The claim waited for the other save's lock, so the stored row is final here.
            stored = model._default_manager.get(pk=instance.pk)
            stored_version = getattr(stored, "version", None)
            record = _last_version(stored)
            if (
                actor is not None
                and stored_version == expected_version + 1
                and record is not None
                and record.history_user_id == actor.pk
                and _same_values(stored, instance, fields)
            ):
                instance.version = stored_version  # type: ignore[attr-defined]
                return False
            raise _conflict(stored, instance, fields)
        # Every caller's model has a `version` field; Model itself does not.
        instance.version = expected_version + 1  # type: ignore[attr-defined]
        if actor is not None:
            # django-simple-history names this attribute's user as the version's author,
            # also outside a request (services called by jobs and tests).
            instance._history_user = actor  # type: ignore[attr-defined]
        extra = ["version"] + (["updated_at"] if hasattr(instance, "updated_at") else [])
        instance.save(update_fields=[*fields, *extra])
        return True
