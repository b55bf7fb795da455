"""User text's Markdown parser (consultations/text.py) is ready before any thread renders."""

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
