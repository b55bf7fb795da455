"""User text: Markdown rendered through a sanitiser, never raw HTML."""

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


def render_user_text(source: str) -> str:
    """Safe HTML for `source` (Markdown). Links get rel="ugc nofollow noopener noreferrer"."""
    html = _markdown.render(source)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        # ugc: user-generated content, so search engines do not read it as the portal's word.
        link_rel="ugc nofollow noopener noreferrer",
    )
