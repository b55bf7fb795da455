"""The portal in French, Spanish and Arabic, as a visitor sees it: the browser's language or the
switcher picks the language, Arabic reads right to left, and every catalogue is complete,
compiled and keeps the English placeholders."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LANGUAGES = ["fr", "es", "ar"]
# Forms each plural message must have: Arabic has six (zero, one, two, few, many, other).
PLURAL_FORMS = {"fr": 2, "es": 2, "ar": 6}
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}|</?[a-z][a-z0-9]*\b")


def po_file(language: str) -> Path:
    return Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"


def mo_file(language: str) -> Path:
    return po_file(language).with_suffix(".mo")


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "nav"),
    [
        ("es", "Cocrear el gobierno abierto, a la vista de todos", "Planes de acción"),
        ("ar", "نُنشئ الحكومة المنفتحة معًا، وعلى الملأ", "خطط العمل"),
    ],
)
def test_switcher_turns_the_portal_spanish_or_arabic(client, language, heading, nav):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    html = client.get("/").content.decode()
    assert f'<html lang="{language}"' in html
    assert heading in html
    assert nav in html
    assert HEADING_EN not in html
    # Arabic reads right to left; the others left to right.
    assert ('dir="rtl"' in html) == (language == "ar")


@pytest.mark.django_db
def test_switcher_names_each_language_in_itself(client):
    html = client.get("/").content.decode()
    for name in ("English", "Français", "Español", "العربيّة"):
        assert name in html


# --- the catalogues -----------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    path = po_file(language)
    entries = parse_po(path)
    header = [e for e in entries if e["msgid"] == ""]
    assert len(header) == 1
    assert f"Language: {language}\\n" in path.read_text(encoding="utf-8")
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(messages) > 100

    untranslated = [e["msgid"] for e in messages if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    assert "fuzzy" not in header[0]["flags"]
    plural = [e for e in messages if "msgid_plural" in e]
    assert plural
    assert all(len(e["msgstr"]) == PLURAL_FORMS[language] for e in plural)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_and_tags(language):
    """A lost %(name)s or <code> would drop a value or break a page in that language only.
    Plural forms are held to the plural message. A form used for one or two numbers may leave
    out the number it counts ("one file"; French's "un fichier" for 0 and 1); a form used for
    more must show it ("3 files" and "11 files" are not the same words), as GNU msgfmt
    --check-format demands."""
    with mo_file(language).open("rb") as fp:
        plural_index = gettext.GNUTranslations(fp).plural
    numbers_per_form: dict[int, int] = {}
    for n in range(1000):
        numbers_per_form[plural_index(n)] = numbers_per_form.get(plural_index(n), 0) + 1
    lost = []
    for e in parse_po(po_file(language)):
        if not e["msgid"]:
            continue
        for index, form in enumerate(e["msgstr"]):
            source = e["msgid_plural"] if index and "msgid_plural" in e else e["msgid"]
            expected = sorted(PLACEHOLDER.findall(source))
            got = sorted(PLACEHOLDER.findall(form))
            known = PLACEHOLDER.findall(e["msgid"] + e.get("msgid_plural", ""))
            added = [p for p in got if p not in known]
            missing = {p for p in expected if p not in got}
            counted_out = (
                "msgid_plural" in e and len(missing) <= 1 and numbers_per_form.get(index, 0) <= 2
            )
            if added or (missing and not counted_out):
                lost.append((e["msgid"], index, form))
    assert lost == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The .mo must be compiled from the current .po: every translation reads back."""
    with mo_file(language).open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    assert compiled.info()["language"] == language

    messages = [e for e in parse_po(po_file(language)) if e["msgid"] != ""]
    assert messages
    # One count per plural form, so each form is read back (Arabic: 0, 1, 2, 3, 11, 100).
    counts = {2: [1, 2], 6: [0, 1, 2, 3, 11, 100]}[PLURAL_FORMS[language]]
    for e in messages:
        if "msgid_plural" in e:
            for index, n in enumerate(counts):
                assert compiled.ngettext(e["msgid"], e["msgid_plural"], n) == e["msgstr"][index]
        elif "msgctxt" in e:
            assert compiled.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]
