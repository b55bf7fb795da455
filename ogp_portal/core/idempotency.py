"""Create-once for forms: the same submission token never creates two records."""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from .models import FormSubmission

M = TypeVar("M", bound=models.Model)


def create_once(token, model: type[M], create: Callable[[], M]) -> M:
    """Run `create()` unless a submission with `token` already created a `model`; return the
    record either way. The token row is written in the same transaction as the record, so
    two identical requests at once leave exactly one (the loser's transaction rolls back)."""
    if token is None:
        return create()
    content_type = ContentType.objects.get_for_model(model)

    def existing() -> M | None:
        done = FormSubmission.objects.filter(token=token, content_type=content_type).first()
        return model._default_manager.filter(pk=done.object_id).first() if done else None

    found = existing()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            obj = create()
            FormSubmission.objects.create(token=token, content_type=content_type, object_id=obj.pk)
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return obj
