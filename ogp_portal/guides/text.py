"""The resources' Markdown, rendered through a sanitiser: headings, emphasis, lists, links."""

import re

import nh3
from markdown_it import MarkdownIt

# CommonMark with raw HTML off; nh3 then keeps only these tags. Headings start at h3: the page
# has its h1 and each resource's title is an h2.
_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")
_ALLOWED_TAGS = {"h3", "h4", "p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_HEADING = re.compile(r"<(/?)h([1-6])>")


def _shift(match: re.Match[str]) -> str:
    """# and ## become h3, ### and deeper h4."""
    return f"<{match[1]}h{3 if int(match[2]) <= 2 else 4}>"


def render_resource_text(source: str) -> str:
    """Safe HTML for `source` (Markdown)."""
    html = _markdown.render(source)
    html = _HEADING.sub(_shift, html)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
