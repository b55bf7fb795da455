"""Translate a catalogue in batches: dump what is untranslated, merge what a translator wrote.

    python tools/po_batches.py dump es 0 200        # entries 0..199 still untranslated, one a line
    python tools/po_batches.py merge es batch.txt   # lines "N<TAB>translation" back into the .po
    python tools/po_batches.py check es             # placeholders and plural forms of every entry

A dump line is "N<TAB>msgid" (plural entries: "msgid ||| msgid_plural"; a msgctxt shows as
"[ctxt] "); a newline inside a message is written as a literal backslash-n. A merge line gives
the translation for entry N the same way, plural forms separated by " ||| " (Arabic has six).
A merge refuses a translation whose placeholders or HTML tags differ from the English, so a
catalogue never compiles into a page that breaks or loses a value.
"""

import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdif]|%[sdif]|\{[a-z_0-9]*\}|</?[a-z][a-z0-9]*\b")


def say(line: str) -> None:
    sys.stdout.write(line + "\n")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=79)


def active(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def untranslated(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(entry: polib.POEntry) -> list[str]:
    found = []
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    expected = placeholders(entry.msgid)
    # A plural form may drop the one number it counts (Arabic "one"/"two" say it in words).
    for form in forms:
        got = placeholders(form)
        if got != expected:
            dropped = {p for p in expected if p not in got}
            if entry.msgid_plural and len(dropped) <= 1 and all(p in expected for p in got):
                continue
            found.append(f"{entry.msgid!r}: {expected} != {got} in {form!r}")
    return found


def dump(language: str, start: int, count: int) -> None:
    todo = [(n, e) for n, e in enumerate(active(catalogue(language))) if untranslated(e)]
    for n, e in todo[start : start + count]:
        text = e.msgid + (" ||| " + e.msgid_plural if e.msgid_plural else "")
        if e.msgctxt:
            text = f"[{e.msgctxt}] {text}"
        say(f"{n}\t{text.replace(chr(10), chr(92) + 'n')}")
    sys.stderr.write(f"# {len(todo)} untranslated in {language}\n")


def merge(language: str, path: str) -> None:
    po = catalogue(language)
    entries = active(po)
    found = re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"])
    nplurals = int(found.group(1)) if found else 2
    errors = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip() or "\t" not in line:
            continue
        number, text = line.split("\t", 1)
        entry = entries[int(number)]
        text = text.strip().replace("\\n", "\n")
        if entry.msgid.endswith("\n") and not text.endswith("\n"):
            text += "\n"
        if entry.msgid_plural:
            forms = [f.strip() for f in text.split("|||")]
            if len(forms) == 1:
                forms = forms * nplurals
            if len(forms) != nplurals:
                errors.append(f"{number}: {len(forms)} plural forms, {nplurals} needed")
                continue
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        bad = problems(entry)
        if bad:
            errors.extend(bad)
            entry.msgstr = ""
            if entry.msgid_plural:
                entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
    po.save()
    left = sum(1 for e in active(po) if untranslated(e))
    say(f"merged; {left} left untranslated in {language}")
    for error in errors:
        say(f"REFUSED {error}")


def check(language: str) -> None:
    bad = [p for e in active(catalogue(language)) if not untranslated(e) for p in problems(e)]
    say("\n".join(bad) or "placeholders all kept")


if __name__ == "__main__":
    command, language, *rest = sys.argv[1:]
    if command == "dump":
        dump(language, int(rest[0]) if rest else 0, int(rest[1]) if len(rest) > 1 else 200)
    elif command == "merge":
        merge(language, rest[0])
    else:
        check(language)
