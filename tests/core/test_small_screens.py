"""Pages fit a phone (WCAG 1.4.10, Reflow): the markup the stylesheet relies on, the menu that
folds without JavaScript, and the favicon. The browser test tests/e2e/test_reflow.py measures
the real pages at 375 px."""

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# PDFs are printed on A4 and e-mails are text: neither is read in a phone's browser window.
NOT_SCREEN = {"pdf", "emails"}


def _screen_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        parts = set(path.relative_to(TEMPLATES).parts)
        if not parts & NOT_SCREEN and "emails" not in path.parts:
            yield path


def test_every_table_stacks_its_rows_with_labels_on_a_phone():
    """Each table has class="table-stack" and each data cell names its column (data-label),
    so on a narrow screen a row becomes a block of labelled values instead of a wide grid."""
    problems = []
    for path in _screen_templates():
        text = path.read_text()
        for table in re.findall(r"<table\b.*?</table>", text, re.S):
            name = path.relative_to(TEMPLATES)
            if "table-stack" not in re.match(r"<table[^>]*>", table).group(0):
                problems.append(f"{name}: a table without class=table-stack")
            for cell in re.findall(r"<td\b[^>]*>", table):
                if "data-label" not in cell and "colspan" not in cell:
                    problems.append(f"{name}: {cell} has no data-label")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_menu_folds_behind_a_button_that_needs_no_javascript(client):
    page = client.get("/").content.decode()
    # A labelled checkbox drives it (the stylesheet shows the menu while it is checked), so
    # it opens with a tap, a click or the space bar, with or without scripts.
    assert re.search(r'<input type="checkbox" id="menu-toggle"[^>]*aria-controls="site-menu"', page)
    assert '<label for="menu-toggle" class="menu-button">Menu</label>' in page
    assert 'id="site-menu"' in page
    css = (Path(__file__).resolve().parents[2] / "static/css/portal.css").read_text()
    assert ".menu-toggle:checked ~ .site-menu" in css
    assert "<script" not in page.split("</header>")[0]


@pytest.mark.django_db
def test_favicon_is_linked_and_answers_at_the_root(client):
    page = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.svg" type="image/svg\+xml">', page)
    assert re.search(r'<link rel="icon" href="[^"]*favicon\.png"', page)
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
    from django.contrib.staticfiles import finders

    svg = Path(finders.find("favicon.svg")).read_text()
    assert svg.startswith("<svg")
    assert 'viewBox="0 0 32 32"' in svg
