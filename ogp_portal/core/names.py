"""Names people choose for organisations and for themselves: no invisible or bidi control
characters, and no look-alike of an organisation name already registered.

Look-alikes are compared by a confusable skeleton in the spirit of Unicode TR39, casefolded:
the name is compatibility-normalised (NFKD, accents dropped), then each character becomes
the casefolded ASCII character it is confusable with (the Unicode confusables data shipped by
`confusable_homoglyphs`), digits that pass for letters become those letters, and the spaces
are collapsed. "Тransparency" (Cyrillic Т),
"TRANSPARENCY" and "Transparency" share a skeleton.
"""

import unicodedata
from functools import lru_cache

from confusable_homoglyphs import confusables
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Characters that change how text reads without showing themselves: zero-width ones,
# the word joiner, the byte-order mark and the bidi embeddings, overrides and isolates.
INVISIBLE_OR_BIDI = frozenset(
    [
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u2060",  # word joiner
        "\u2061",
        "\u2062",
        "\u2063",
        "\u2064",  # invisible operators
        "\ufeff",  # zero-width no-break space / byte-order mark
        "\u061c",  # Arabic letter mark
        "\u00ad",  # soft hyphen
        *(chr(c) for c in range(0x202A, 0x202F)),  # LRE, RLE, PDF, LRO, RLO
        *(chr(c) for c in range(0x2066, 0x206A)),  # LRI, RLI, FSI, PDI
    ]
)


def forbidden_characters(value: str) -> list[str]:
    """The code points (as "U+XXXX") in `value` that a name may not contain: invisible and
    bidi controls, line breaks and every other control character."""
    found = []
    for char in value:
        if char in INVISIBLE_OR_BIDI or unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            code = f"U+{ord(char):04X}"
            if code not in found:
                found.append(code)
    return found


def validate_visible_name(value: str) -> None:
    """Refuse a name with invisible, bidi control or line-break characters."""
    found = forbidden_characters(value)
    if found:
        raise ValidationError(
            _(
                "The name contains invisible or text-direction control characters "
                "(%(codes)s). Type it again without them."
            ),
            code="invisible_characters",
            params={"codes": ", ".join(found)},
        )


# ASCII characters read as letters (TR39 maps them so too).
_ASCII_LOOK_ALIKES = {"0": "o", "1": "l", "|": "l", "5": "s"}


@lru_cache(maxsize=4096)
def _ascii_look_alike(char: str) -> str:
    if char.isascii():
        return _ASCII_LOOK_ALIKES.get(char, char)
    for glyph in confusables.confusables_data.get(char, []):
        if glyph["c"].isascii():
            return str(glyph["c"])
    return char


def _skeleton_char(char: str) -> str:
    # The small letter's look-alike first ("І" → "і" → "i"); a small letter without an ASCII
    # look-alike falls back to the capital's ("т" has none, "Т" → "T" → "t").
    small = "".join(_ascii_look_alike(c) for c in char.casefold())
    if small.isascii():
        return small
    capital = _ascii_look_alike(char).casefold()
    return capital if capital.isascii() else small


def name_skeleton(value: str) -> str:
    """The form of `value` under which look-alike names compare equal."""
    text = "".join(
        _skeleton_char(char)
        for char in unicodedata.normalize("NFKD", value)
        if not unicodedata.combining(char) and char not in INVISIBLE_OR_BIDI
    )
    text = text.replace("rn", "m")  # "rn" reads as "m"
    return " ".join(text.split())
