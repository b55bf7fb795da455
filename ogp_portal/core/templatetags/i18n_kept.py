"""Django's ``i18n`` template library, with ``{% translate "fixed text" %}`` looked up once per
process, language and escaping mode instead of on every render.

A rendered page runs two dozen ``{% translate %}`` tags (headings, labels, buttons); each went
through Django's translation machinery (the active language's thread-local, the catalogue and
its fallbacks, escaping) on every request: about a tenth of a comment thread page's CPU in
``make bench`` (issue #20). The text a tag writes depends only on its message, its context
(``context "…"``), the active language and whether the template escapes; when all of those
are fixed in the template, the answer is kept under them. A tag whose message or context is
a variable, or that has filters, is rendered as Django renders it.

Kept answers are dropped when a setting changes (tests) or a file changes (the development
server's reloader, e.g. a new .mo file), as the layout fragments are
(``layout_tags.py``). ``settings.TEMPLATES`` registers this module under the label ``i18n``,
so ``{% load i18n %}`` loads it; every other tag and filter is Django's own. Django warns
about any library label used twice (templates.W003, silenced in settings); ``check_labels``
warns the same way about every other label.
"""

from collections import defaultdict
from typing import Any

from django import template
from django.core import checks
from django.core.signals import setting_changed
from django.template.base import Parser, Token, Variable
from django.templatetags import i18n as django_i18n
from django.utils import translation
from django.utils.autoreload import file_changed

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

# (language, autoescape, message, context) -> what the tag writes. Bounded by the messages
# written in the templates times the languages: nothing a request can grow.
_KEPT: dict[tuple[str | None, bool, str, str | None], str] = {}


# Counts the clears: a render that began before one does not keep what it wrote (it may
# have read the old catalogue).
_generation = 0


def _forget(**kwargs: Any) -> None:
    global _generation
    _generation += 1
    _KEPT.clear()


setting_changed.connect(_forget, dispatch_uid="i18n_kept_setting_changed")
file_changed.connect(_forget, dispatch_uid="i18n_kept_file_changed")


def _fixed(expression: Any) -> str | None:
    """The text of a filter expression that is a quoted string without filters, else None.
    The parser resolves a quoted string to the string itself; TranslateNode wraps its
    message in a Variable whose literal is that string."""
    if expression is None or expression.filters:
        return None
    var = expression.var
    if isinstance(var, Variable):
        var = var.literal
    return var if isinstance(var, str) else None


class KeptTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Whether the tag's text is fixed, worked out once when the template is parsed.
        message = None if self.noop else _fixed(self.filter_expression)
        message_context = None
        if message is not None and self.message_context is not None:
            message_context = _fixed(self.message_context)
            if message_context is None:
                message = None
        self.kept_as: tuple[str, str | None] | None = (
            None if message is None else (message, message_context)
        )

    def render(self, context: template.Context) -> str:
        if self.kept_as is None:
            return super().render(context)
        message, message_context = self.kept_as
        key = (translation.get_language(), bool(context.autoescape), message, message_context)
        value = _KEPT.get(key)
        if value is None:
            generation = _generation
            written = super().render(context)
            if generation == _generation:
                _KEPT[key] = context[self.asvar] if self.asvar else written
            return written
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Parser, token: Token) -> django_i18n.TranslateNode:
    node = django_i18n.do_translate(parser, token)
    return KeptTranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


# The one label deliberately given to two modules.
INTENDED = {"i18n": {"django.templatetags.i18n", "ogp_portal.core.templatetags.i18n_kept"}}


def check_labels(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Django's templates.W003 (a template tag library label used for several modules), for
    every label but the intended override above."""
    from django.template import engines
    from django.template.backends.django import DjangoTemplates, get_template_tag_modules

    warnings: list[checks.CheckMessage] = []
    for backend in engines.all():
        if not isinstance(backend, DjangoTemplates):
            continue
        modules: dict[str, set[str]] = defaultdict(set)
        for label, path in [*get_template_tag_modules(), *backend.engine.libraries.items()]:
            modules[label].add(path)
        warnings += [
            checks.Warning(
                f"{label!r} is used for multiple template tag modules: "
                + ", ".join(repr(path) for path in sorted(paths)),
                obj=backend,
                id="core.W003",
            )
            for label, paths in modules.items()
            if len(paths) > 1 and paths != INTENDED.get(label)
        ]
    return warnings
