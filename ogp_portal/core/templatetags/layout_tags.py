"""The layout's fixed parts, rendered once per process and language.

Most of base.html (the head, the header, the menu an anonymous reader sees, the footer) is
the same for every request in one language: translated words, reversed URLs and hashed
static file names. Rendering it again on every page cost about as much as the ceiling view
(issue #20), so ``{% layout_fragment %}…{% endlayout_fragment %}`` renders its content the
first time and serves the stored text afterwards.

The stored text is keyed by everything such markup can depend on: the active language, the
script prefix (which ``{% url %}`` and ``{% static %}`` put in front) and the URLconf. It
lives on the parsed template, so it goes when templates are reloaded, and is dropped when a
setting changes (tests) or a file changes (the development server's reloader, e.g. a new
.mo file). Whatever depends on the request, the person or the page (the CSRF token, the
``next`` address, the signed-in menu, messages, blocks that pages fill in) must stay
outside: the tag refuses, when the template is parsed, a fragment that names any of them.
"""

import re
from typing import Any, cast

from django import template
from django.core.signals import setting_changed
from django.template.base import Parser, Token, TokenType
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# Names of per-request or per-page things; a fragment that uses one would show a stale copy.
PER_REQUEST = re.compile(
    r"\b(request|user|perms|messages|csrf_token|access|workspace_members|workspace_badges"
    r"|unread_notifications|block|include|extends)\b"
)
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
# More keys than languages × prefixes × URLconfs a deployment has means something varies
# that should not: start again rather than grow.
MAX_ENTRIES = 64

_generation = 0


def _forget_all(**kwargs: Any) -> None:
    """A setting or a file changed: every stored fragment is rendered again once."""
    global _generation
    _generation += 1


setting_changed.connect(_forget_all, dispatch_uid="layout_fragment_setting_changed")
file_changed.connect(_forget_all, dispatch_uid="layout_fragment_file_changed")


class LayoutFragmentNode(template.Node):
    # {% extends %} searches the parent's whole node tree for blocks on every render; a
    # fragment holds none (refused when parsed), so that search need not enter it.
    child_nodelists = ()

    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist
        self.generation = _generation
        self.rendered: dict[tuple[str | None, str, Any], SafeString] = {}

    def render(self, context: template.Context) -> str:
        if self.generation != _generation:
            self.rendered = {}
            self.generation = _generation
        key = (translation.get_language(), get_script_prefix(), get_urlconf())
        text = self.rendered.get(key)
        if text is None:
            # Its own scope: a variable set inside ({% get_available_languages as x %}) must
            # not reach the rest of the page only on the requests that rendered it.
            with context.push():
                text = mark_safe(self.nodelist.render(context))  # noqa: S308 -- template output
            if len(self.rendered) >= MAX_ENTRIES:
                self.rendered = {}
            self.rendered[key] = text
        return text


@register.tag
def layout_fragment(parser: Parser, token: Token) -> LayoutFragmentNode:
    """{% layout_fragment %}…{% endlayout_fragment %}: markup that depends only on the
    language (translations, {% url %}, {% static %}), rendered once per language."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("layout_fragment takes no arguments")
    # The parser pops tokens from the end of this list: what the fragment consumed is the
    # part of the list that is gone after parsing it.
    remaining = list(cast("list[Token]", parser.tokens))  # the stubs allow a str too
    nodelist = parser.parse(("endlayout_fragment",))
    consumed = remaining[len(parser.tokens) :]
    for inner in consumed:
        if inner.token_type not in (TokenType.VAR, TokenType.BLOCK):
            continue
        if inner.contents == "endlayout_fragment":
            continue
        found = PER_REQUEST.search(QUOTED.sub("", inner.contents))
        if found:
            raise template.TemplateSyntaxError(
                f"layout_fragment is rendered once per language; {found.group(1)!r} "
                f"(in {{% {inner.contents} %}}) depends on the request or the page and must "
                "stay outside it"
            )
    parser.delete_first_token()
    return LayoutFragmentNode(nodelist)
