"""Readable side-by-side diffs between two versions of a record (django-simple-history)."""

import difflib
import re
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Field, Model, OuterRef, Subquery
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: SafeString
    new: SafeString


def _mark(tokens: list[str], tag: str) -> str:
    text = escape("".join(tokens))
    return f"<{tag}>{text}</{tag}>" if text.strip() else text


def word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    """Both texts with removed words in <del> (left) and added words in <ins> (right)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    left: list[str] = []
    right: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
        else:
            if i2 > i1:
                left.append(_mark(a[i1:i2], "del"))
            if j2 > j1:
                right.append(_mark(b[j1:j2], "ins"))
    return mark_safe("".join(left)), mark_safe("".join(right))  # noqa: S308 -- escaped above


def _display(record, field_name: str, value) -> str:
    return _display_value(record.instance_type._meta.get_field(field_name), value)


def _display_value(field: Any, value: Any) -> str:
    """A stored value as people read it: a choice's label, a related record's name."""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation and value is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    if isinstance(value, bool):
        return "✓" if value else "–"
    return "" if value is None else str(value)


def version_changes(new_record, old_record) -> list[FieldChange]:
    """What changed between two historical records, field by field, in model order."""
    if old_record is None:
        return []
    delta = new_record.diff_against(old_record)
    model_meta = new_record.instance_type._meta
    order = {f.name: i for i, f in enumerate(model_meta.fields)}
    changes = []
    for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
        old = _display(new_record, change.field, change.old)
        new = _display(new_record, change.field, change.new)
        left, right = word_diff(old, new)
        label = str(model_meta.get_field(change.field).verbose_name)
        changes.append(FieldChange(label[:1].upper() + label[1:], left, right))
    return changes


def field_value(instance: Model, name: str) -> Any:
    """The value of concrete field `name` as stored (a foreign key's id, not the record)."""
    field = cast("Field[Any, Any]", type(instance)._meta.get_field(name))
    return field.value_from_object(instance)


def field_differences(theirs: Model, yours: Model, fields: list[str]) -> list[FieldChange]:
    """How `yours` (typed, unsaved) differs from `theirs` (stored), field by field among
    `fields`, in model order: their words marked removed, yours marked added."""
    meta = type(theirs)._meta
    order = {f.name: i for i, f in enumerate(meta.fields)}
    changes = []
    for name in sorted(fields, key=lambda n: order.get(n, 0)):
        field = meta.get_field(name)
        old = _display_value(field, field_value(theirs, name))
        new = _display_value(field, field_value(yours, name))
        if old == new:
            continue
        left, right = word_diff(old, new)
        label = str(getattr(field, "verbose_name", name))
        changes.append(FieldChange(label[:1].upper() + label[1:], left, right))
    return changes


@dataclass(frozen=True)
class Version:
    label: str  # what was edited, e.g. "Milestone: Open register"
    # The historical record (history_date, history_user, history_type): simple-history builds
    # its class at run time, so there is no type to name.
    record: Any
    changes: list[FieldChange]


def version_list(sources, limit: int = 50) -> list[Version]:
    """Versions of several kinds of records, newest first, each diffed against the previous
    version of the same record. `sources` are (history queryset, label function) pairs. Each
    source costs two queries however long its history: the newest `limit` versions (with the
    id of each one's predecessor, by subquery) and those predecessors."""
    versions = []
    for queryset, label_of in sources:
        history = queryset.model
        previous_id = (
            history.objects.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            .order_by("-history_id")
            .values("history_id")[:1]
        )
        window = list(
            queryset.select_related("history_user")
            .annotate(previous_history_id=Subquery(previous_id))
            .order_by("-history_id")[:limit]
        )
        wanted = {r.previous_history_id for r in window if r.previous_history_id}
        previous = {r.history_id: r for r in history.objects.filter(history_id__in=wanted)}
        for record in window:
            changes = version_changes(record, previous.get(record.previous_history_id))
            versions.append(Version(label_of(record), record, changes))
    versions.sort(key=lambda v: (v.record.history_date, v.record.history_id), reverse=True)
    return versions[:limit]
