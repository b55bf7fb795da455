"""User text's Markdown parser (consultations/text.py) is ready before any thread renders."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultations import text


def test_every_rule_chain_of_the_parser_is_built_when_the_module_loads():
    # markdown-it builds a chain's cache on first use by emptying it, then filling it; two
    # threads of a fresh process rendering at once could see it empty and fail (HTTP 500 on
    # a comment post in make bench). Built at import, no request ever builds it.
    parser = text._markdown
    for ruler in (parser.core.ruler, parser.block.ruler, parser.inline.ruler, parser.inline.ruler2):
        assert ruler.__cache__, ruler
    assert parser.block.ruler.__cache__.get("")  # the block rules a document starts with


def test_comment_text_is_rendered_and_sanitised():
    html = text.render_user_text("**bold** <script>x</script> [a](https://example.org)")
    assert "<strong>bold</strong>" in html
    assert "<script>" not in html
    assert 'rel="ugc nofollow noopener noreferrer"' in html


# Letters (some beyond ASCII), digits, spaces, and every character Markdown gives a meaning.
_ALPHABET = st.sampled_from(
    list("abcXYZéßΩ中ё0129 \t\n\xa0") + list(",.;:!?'\"()/%+=-*_`[]<>&\\~#|^{}@$")
)


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.from_regex(text._PLAIN_LINE, fullmatch=True), st.text(_ALPHABET)))
def test_text_is_rendered_as_markdown_it_renders_it(source):
    # Plain lines skip the parser (consultations/text.py): the same HTML either way.
    assert text.render_user_text(source) == text._clean(text._markdown.render(source))


@pytest.mark.parametrize(
    "source",
    [
        'Say "no" to secrecy',
        "Open data, now! (please) 50% - or 100%?",
        "Plain words, trailing space ",
        "2. Not a plain line",
        "- nor this",
        "a*b*",
        "snake_case",
        "x & y",
        "Überall Straße",
    ],
)
def test_plain_and_markdown_lines_alike(source):
    assert text.render_user_text(source) == text._clean(text._markdown.render(source))
