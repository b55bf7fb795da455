"""Create-once: the same submission token never creates two records. The portal's one guard
against double submits (a double click, a reload, a retry after a timeout), called inside the
services that create from a form (commitments, milestones, proposals, comments).

Where the created row keeps the token in a column of its own under a unique constraint
(proposals, comments), ``find`` looks the token up there; otherwise the ``FormSubmission``
table remembers which record each token made.
"""

from collections.abc import Callable
from contextlib import nullcontext
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction

from .models import FormSubmission

M = TypeVar("M", bound=models.Model)


def create_once(
    token,
    model: type[M],
    create: Callable[[], M],
    *,
    find: Callable[[], M | None] | None = None,
    look_first: bool = True,
    one_statement: bool = False,
) -> M:
    """Run `create()` unless a submission with `token` already created a `model`; return the
    record either way. `create()` runs in one transaction with what records the token (the
    token row, or the record's own token column), so two identical requests at once leave
    exactly one: the loser's transaction rolls back and it returns the winner's record.
    Without a token, `create()` simply runs.

    `look_first=False` (with `find`) skips the lookup before creating: the unique constraint
    on the token column refuses a second record anyway, and the first is then found. One
    query less for a write that is almost never sent twice (a comment); only for a `create()`
    whose first write is that row, so a duplicate does nothing before it is refused.

    `one_statement=True` (with `find`): `create()` writes with one statement, atomic by
    itself, so no transaction is opened around it (its BEGIN and COMMIT are two round trips
    of a comment post); inside a transaction already, a savepoint still keeps a refused
    double from breaking it."""
    if not token:
        return create()
    # Only a token column under a unique constraint (``find`` given) can refuse a double.
    look_first = look_first or find is None
    if find is None:
        content_type = ContentType.objects.get_for_model(model)

        def find() -> M | None:
            done = FormSubmission.objects.filter(token=token, content_type=content_type).first()
            return model._default_manager.filter(pk=done.object_id).first() if done else None

        def create_and_remember() -> M:
            obj = create()
            FormSubmission.objects.create(token=token, content_type=content_type, object_id=obj.pk)
            return obj

        make = create_and_remember
    else:
        make = create

    if look_first:
        found = find()
        if found is not None:
            return found
    alone = one_statement and find is not None
    in_transaction = transaction.get_connection().in_atomic_block
    guard = nullcontext() if alone and not in_transaction else transaction.atomic()
    try:
        with guard:
            return make()
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found
