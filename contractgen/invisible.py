"""Invisible characters in answers: what a reader of the contract could not see.

Unicode's Default_Ignorable_Code_Point characters are not shown: zero-width spaces, fillers
(U+3164 HANGUL FILLER looks like nothing and is a "letter"), tag characters (U+E0000 block),
bidi marks, variation selectors beyond the emoji ones. A name made of them looks empty or like
another name; text hidden in them travels along unseen. They are refused, except where they
belong: a zero-width joiner or non-joiner between two visible characters (Persian and Indic
names, emoji sequences such as 👩‍💻) and an emoji or text variation selector (U+FE0E, U+FE0F)
after a visible character (❤️).
"""

from __future__ import annotations

import unicodedata

# DerivedCoreProperties.txt, Default_Ignorable_Code_Point (stable since Unicode 6)
_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# blank characters that are not default-ignorable but look like nothing
_BLANK = frozenset({0x2800})               # BRAILLE PATTERN BLANK
JOINERS = frozenset("\u200c\u200d")        # ZWNJ, ZWJ
PRESENTATION = frozenset("\ufe0e\ufe0f")   # text / emoji presentation selectors
# reported by the caller with their own message (text direction)
DIRECTION = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_ignorable(char: str) -> bool:
    code = ord(char)
    return code in _BLANK or any(low <= code <= high for low, high in _IGNORABLE)


def _visible(char: str | None) -> bool:
    """A character a joiner may stand next to: shown, not a space, not another invisible one
    (a presentation selector belongs to the character before it)."""
    if char is None or char.isspace():
        return False
    return char in PRESENTATION or not is_ignorable(char)


def invisible_problem(text: str) -> tuple[str, str] | None:
    """(the character, why) for the first invisible character that does not belong, or None.
    Direction controls are left to the caller."""
    for index, char in enumerate(text):
        if char in DIRECTION or not is_ignorable(char):
            continue
        before = text[index - 1] if index else None
        after = text[index + 1] if index + 1 < len(text) else None
        if char in JOINERS and _visible(before) and _visible(after) and before not in JOINERS:
            continue
        if char in PRESENTATION and before is not None and not before.isspace() \
                and not is_ignorable(before):
            continue
        return char, "unsichtbar"
    if text and not any(unicodedata.category(c)[0] in "LNPS" and not is_ignorable(c)
                        for c in text):
        return text[0], "keine sichtbaren Zeichen"
    return None
