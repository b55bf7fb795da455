"""The registry of printable documents: each higher app declares its kinds (plan PDF,
consultation report, minutes…) in AppConfig.ready, so core never imports them."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models

# progress(percent, step): what a build reports while it runs.
Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class ExportKind:
    """One kind of document: how to build it and who may export it."""

    kind: str
    model: type[models.Model]
    # build(target, language, progress) -> the full HTML document
    build: Callable[[Any, str, Progress], str]
    # can_export(user, target) -> bool; anonymous users included
    can_export: Callable[[Any, Any], bool]
    # filename(target, language) -> "XV-action-plan-4-en.pdf"
    filename: Callable[[Any, str], str]
    # languages(target) -> the languages the document exists in, the default first
    languages: Callable[[Any], list[str]] = field(
        default=lambda _target: [code for code, _name in settings.LANGUAGES]
    )
    # render(target, content, language, progress) -> the file's bytes; None: `content` is
    # HTML laid out as a PDF by WeasyPrint. A kind whose file is not a PDF (the IRM evidence
    # package, a ZIP) builds a canonical text of its content and renders the file from it.
    render: Callable[[Any, str, str, Progress], bytes] | None = None

    def is_public(self, target: Any) -> bool:
        """Anyone, signed in or not, may export (and so follow jobs of) this target."""
        return bool(self.can_export(AnonymousUser(), target))

    def language_for(self, target: Any, requested: str | None) -> str:
        """`requested` when the document exists in it, else its default language."""
        available = self.languages(target) or [settings.LANGUAGE_CODE]
        if requested in available:
            return requested
        base = (requested or "").split("-")[0]
        return base if base in available else available[0]


_REGISTRY: dict[str, ExportKind] = {}


def register_export(
    kind: str,
    *,
    model: type[models.Model],
    build: Callable[[Any, str, Progress], str],
    can_export: Callable[[Any, Any], bool],
    filename: Callable[[Any, str], str],
    languages: Callable[[Any], list[str]] | None = None,
    render: Callable[[Any, str, str, Progress], bytes] | None = None,
) -> ExportKind:
    """Declare a kind of document (call from AppConfig.ready). Registering a kind again
    replaces it, so a reloaded app does not fail."""
    options = {"languages": languages} if languages else {}
    spec = ExportKind(
        kind=kind,
        model=model,
        build=build,
        can_export=can_export,
        filename=filename,
        render=render,
        **options,
    )
    _REGISTRY[kind] = spec
    return spec


def get_export(kind: str) -> ExportKind:
    """The registered kind; KeyError if none (views turn it into a 404)."""
    return _REGISTRY[kind]


def registered_kinds() -> list[str]:
    return sorted(_REGISTRY)
