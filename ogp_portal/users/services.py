"""A person's own data: the archive of everything the portal holds about them, and the
deletion of their account.

Both walk the relations that point at the user model instead of importing the apps that own
them: the user sits on the ground floor and may not know the apps above it (architecture.md),
and a model added later is exported and cleaned up without anyone remembering to list it here.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.db import models, transaction
from django.db.models.deletion import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.models import AuditEvent

from .models import User

# Never in the archive: credentials, and the secrets of two-factor devices (whoever gets
# hold of the file must not be able to sign in with it).
SECRET_FIELDS = frozenset({"password", "secret", "token", "key", "session_key", "session_data"})
SECRET_MODELS: tuple[type[models.Model], ...] = (Authenticator, Session)
ACCOUNT_FIELDS = ("id", "email", "name", "preferred_language", "date_joined", "last_login")
FORMER_PARTICIPANT = "a former participant"


def _plain(value: Any) -> Any:
    """A JSON- and CSV-safe form of a field value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, bytes):
        return None
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def _row(obj: models.Model, user: User) -> dict[str, Any]:
    """One record as a dict: its own fields; a link to a user is "you" or left out, so the
    archive never names anybody else."""
    row: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in SECRET_FIELDS:
            continue
        if isinstance(field, models.ForeignKey):
            if field.related_model is User:
                value = getattr(obj, field.attname)
                row[field.name] = "you" if value == user.pk else None
            else:
                row[field.name] = _plain(getattr(obj, field.attname))
                target = getattr(obj, field.name, None)
                if target is not None and not isinstance(target, User):
                    row[f"{field.name}_display"] = str(target)
            continue
        row[field.name] = _plain(field.value_from_object(obj))
    return row


def _user_relations() -> Iterable[models.ForeignKey[Any, Any]]:
    """Every foreign key (or one-to-one) from another model to the user, hidden ones too
    (the audit trail's `actor` has no reverse name)."""
    for rel in User._meta.get_fields(include_hidden=True):
        if (
            rel.auto_created
            and not rel.concrete
            and (rel.one_to_many or rel.one_to_one)
            and isinstance(rel.remote_field, models.ForeignKey)
            and rel.related_model not in SECRET_MODELS
        ):
            yield rel.remote_field


def user_data_for_export(user: User) -> dict[str, list[dict[str, Any]]]:
    """Everything the portal holds about `user`, by table: the account, the e-mail addresses,
    roles, memberships, proposals, comments, supports, answers, notifications, preferences and
    the audit events where they are the actor. Records of other people are never included."""
    data: dict[str, list[dict[str, Any]]] = {
        "account": [{name: _plain(getattr(user, name)) for name in ACCOUNT_FIELDS}]
    }
    data["account"][0]["groups"] = ", ".join(user.groups.values_list("name", flat=True))
    for fk in _user_relations():
        model = fk.model
        rows = [
            _row(obj, user)
            for obj in model._default_manager.filter(**{fk.name: user}).order_by("pk")
        ]
        if rows:
            data.setdefault(f"{model._meta.label_lower}.{fk.name}", []).extend(rows)
    data["users.authenticator"] = [
        {"type": a.type, "created_at": _plain(a.created_at), "last_used_at": _plain(a.last_used_at)}
        for a in Authenticator.objects.filter(user=user).order_by("pk")
    ]
    return data


def user_export_archive(user: User) -> bytes:
    """A ZIP archive of `user_data_for_export`: all of it as one `data.json`, and one CSV file
    per table. Built in memory: one person's records are small."""
    data = user_data_for_export(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False, default=str))
        for table, rows in data.items():
            if not rows:
                continue
            out = io.StringIO()
            columns = list(dict.fromkeys(key for row in rows for key in row))
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                        for k, v in row.items()
                    }
                )
            archive.writestr(f"csv/{table}.csv", out.getvalue())
    return buffer.getvalue()


def _delete_sessions(user: User) -> None:
    """Sign the person out everywhere (the database session backend stores the user id
    inside the encoded data, so each live session is decoded)."""
    stale = [
        s.session_key
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(session_key__in=stale).delete()


@transaction.atomic
def user_delete(user: User, *, actor: User) -> None:
    """Delete `user`'s account at their own request.

    Preconditions: `actor` is `user` and has given their password again (the view checks it).
    Effects: the account row goes, and with it (by the models' on_delete) the e-mail
    addresses, two-factor devices, notifications, preferences, memberships, role grants and
    supports; public contributions (proposals, comments, answers) keep their text with the
    author set to NULL, shown as "a former participant"; audit events keep the action, the
    actor becomes NULL and the person's name and address are taken out of the target's label;
    every session of the person ends. One audit event `users.user.deleted` with no actor.
    Errors: DomainError when a record that must keep its person (a forum nomination) still
    points at them.
    """
    if actor.pk != user.pk:
        raise DomainError(_("Only the person themselves can delete their account."))
    needles = [n for n in {user.email, user.name} if n]
    for needle in needles:
        for event in AuditEvent.objects.filter(target_repr__contains=needle):
            AuditEvent.objects.filter(pk=event.pk).update(
                target_repr=event.target_repr.replace(needle, FORMER_PARTICIPANT)
            )
    _delete_sessions(user)
    user_pk = user.pk
    try:
        with transaction.atomic():
            user.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DomainError(
            _(
                "Your account is still named in a forum nomination. Ask the secretariat to "
                "withdraw it, then delete your account."
            )
        ) from exc
    user.pk = user_pk
    user.email = ""
    user.name = FORMER_PARTICIPANT
    record_event(None, "users.user.deleted", user)
