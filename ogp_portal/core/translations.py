"""Reading and writing translations of content (see models.Translation).

Pages call attach_translations() once with every record they show, then templates use the
`tr` filter: the visitor's language where a translation exists, else the primary language
with a visible "not translated" note.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from .languages import text_direction
from .models import Translation

_ATTR = "_translations"


@dataclass(frozen=True)
class Text:
    """A field's text in the language shown, with what a template needs to mark it up."""

    text: str
    language: str
    is_fallback: bool

    @property
    def dir(self) -> str:
        return text_direction(self.language)

    def __str__(self) -> str:
        return self.text


def content_type_id(model) -> int:
    """The id the translate URL takes for `model` (cached by Django after the first call)."""
    return ContentType.objects.get_for_model(model).pk


def primary_language_of(obj) -> str:
    """The language the record itself is written in: its plan's primary language."""
    for path in ("primary_language", "plan.primary_language", "commitment.plan.primary_language"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return "en"


def attach_translations(objects: Iterable[models.Model], language: str) -> None:
    """Load the `language` translations of all `objects` (mixed models) in one query."""
    objects = [o for o in objects if o is not None]
    by_type: dict[int, dict[int, models.Model]] = defaultdict(dict)
    for obj in objects:
        setattr(obj, _ATTR, {})
        if primary_language_of(obj) != language:
            ct = ContentType.objects.get_for_model(obj)  # cached by Django after the first
            by_type[ct.pk][obj.pk] = obj
    if not by_type:
        return
    condition = Q()
    for ct_id, objs in by_type.items():
        condition |= Q(content_type_id=ct_id, object_id__in=list(objs))
    for row in Translation.objects.filter(condition, language=language).values_list(
        "content_type_id", "object_id", "field", "text"
    ):
        ct_id, object_id, field, text = row
        getattr(by_type[ct_id][object_id], _ATTR)[(language, field)] = text


def translated(obj, field: str, language: str) -> Text:
    """The text of `field` in `language` if translated (attach first), else the original."""
    primary = primary_language_of(obj)
    original = getattr(obj, field) or ""
    if language == primary:
        return Text(original, primary, False)
    cache = getattr(obj, _ATTR, None)
    if cache is None:
        attach_translations([obj], language)
        cache = getattr(obj, _ATTR)
    text = cache.get((language, field))
    if text:
        return Text(text, language, False)
    return Text(original, primary, bool(original))


def translations_for(obj, language: str) -> dict[str, str]:
    """All stored translations of `obj` in `language`, by field."""
    ct = ContentType.objects.get_for_model(obj)
    return dict(
        Translation.objects.filter(
            content_type=ct, object_id=obj.pk, language=language
        ).values_list("field", "text")
    )


@transaction.atomic
def translations_save(obj, language: str, values: dict[str, str]) -> None:
    """Store the translations of `obj`'s fields in `language`; an empty value removes one."""
    ct = ContentType.objects.get_for_model(obj)
    for field, text in values.items():
        if field not in obj.translatable_fields:
            raise ValueError(f"{field} is not translatable")
        rows = Translation.objects.filter(
            content_type=ct, object_id=obj.pk, language=language, field=field
        )
        if text.strip():
            updated = rows.update(text=text)
            if not updated:
                Translation.objects.create(
                    content_type=ct, object_id=obj.pk, language=language, field=field, text=text
                )
        else:
            rows.delete()
