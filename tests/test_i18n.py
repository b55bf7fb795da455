"""The portal in French, as a visitor sees it: the browser's language or the switcher picks
French, and the French catalogue is complete and compiled."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

CATALOGUE_DIR = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"
PO_FILE = CATALOGUE_DIR / "django.po"
MO_FILE = CATALOGUE_DIR / "django.mo"

HEADING_EN = "Co-create open government, in the open"
HEADING_FR = "Co-construire le gouvernement ouvert, en toute transparence"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (a list, one per form) and flags.
    Obsolete (#~) entries are skipped."""
    entries: list[dict] = []
    entry: dict = {}
    current: int | str | None = None  # msgstr[n] index, or the keyword being continued

    def finish():
        if "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, current = {}, None
            continue
        if line.startswith("#,"):
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(current, int):
                entry["msgstr"][current] += value
            else:
                entry[current] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                current = int(keyword[len("msgstr[") : -1])
                entry.setdefault("msgstr", []).append(value)
            elif keyword == "msgstr":
                current = 0
                entry["msgstr"] = [value]
            else:
                current = keyword
                entry[keyword] = value
    finish()
    for e in entries:
        e.setdefault("flags", set())
    return entries


# --- what a visitor sees ------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_english_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert HEADING_EN in html
    assert HEADING_FR not in html


@pytest.mark.django_db
def test_home_page_follows_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr"' in html
    assert HEADING_FR in html
    assert HEADING_EN not in html
    # The navigation and the footer are translated too.
    assert "Plans d’action" in html
    assert "Action plans" not in html


@pytest.mark.django_db
def test_language_switcher_turns_the_portal_french(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"

    html = client.get("/").content.decode()
    assert '<html lang="fr"' in html
    assert HEADING_FR in html
    assert HEADING_EN not in html


# --- the catalogue ------------------------------------------------------------------------------


def test_catalogue_is_complete():
    entries = parse_po(PO_FILE)
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1
    assert "Language: fr\\n" in PO_FILE.read_text(encoding="utf-8")
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(messages) > 100

    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plural = [e for e in messages if "msgid_plural" in e]
    assert plural
    assert all(len(e["msgstr"]) == 2 for e in plural)


def test_compiled_catalogue_matches_the_po_file():
    """The .mo must be compiled from the current .po: every translation reads back."""
    with MO_FILE.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    assert compiled.info()["language"] == "fr"

    messages = [e for e in parse_po(PO_FILE) if e["msgid"] != ""]
    assert messages
    for e in messages:
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0]
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr"][1]
        elif "msgctxt" in e:
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]
