"""User text: Markdown rendered through a sanitiser, never raw HTML."""

import re

import nh3
from markdown_it import MarkdownIt

MAX_COMMENT_LENGTH = 5000

# CommonMark with raw HTML switched off; nh3 then keeps only the tags listed here.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).disable("image")
# markdown-it builds each rule chain's cache on first use, emptying it before filling it: a
# thread rendering meanwhile found no block rule and raised "none of the block rules matched"
# (a comment post answered 500 in make bench, on a process just started). Build them now,
# while the import lock keeps other threads out.
_markdown.render("x")
_ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}

# Text that CommonMark reads as one plain paragraph, rendered without the parser: one line
# that starts with a letter (not a list, heading, quote or code marker) and holds only
# letters, digits, spaces and punctuation that begins no Markdown (no * _ ` [ < & \ ~ #
# etc.), not ending in a space. Most comments are such a line, and markdown-it took about
# 0.3 ms of a comment post's 5.5 ms of CPU to find nothing in it, the sanitiser 0.05 ms more
# (issue #20).
# tests/consultations/test_user_text.py checks the output against markdown-it's and nh3's.
_PLAIN_LINE = re.compile(r"[^\W\d_](?:[^\W_]|[ ,.;:!?'\"()/%+=-])*")


def render_user_text(source: str) -> str:
    """Safe HTML for `source` (Markdown). Links get rel="ugc nofollow noopener noreferrer"."""
    if _PLAIN_LINE.fullmatch(source) and not source.endswith(" "):
        # What markdown-it and nh3 make of it: no tag, no "<", no "&", nothing to escape
        # (markdown-it's &quot; comes back from nh3 as the quote it was).
        return "<p>" + source + "</p>\n"
    return _clean(_markdown.render(source))


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        # ugc: user-generated content, so search engines do not read it as the portal's word.
        link_rel="ugc nofollow noopener noreferrer",
    )
