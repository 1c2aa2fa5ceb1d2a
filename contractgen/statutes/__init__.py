"""The official model withdrawal notice and form (EGBGB Anlage 1 and 2), and a word-by-word
comparison of a rendered notice with them.

The official text is in `egbgb-anlage-1-2.md` next to this module (copied from the official
gesetze-im-internet.de edition, with source and date in its head; an official work, § 5 UrhG).
From it the expected notice is assembled as the Gestaltungshinweise allow for what contractgen
produces: [1] a) "des Vertragsabschlusses." (services and digital content not on a physical
medium), [2] the trader's name, address, telephone number and e-mail address (a free slot that
must contain them), no [3] (no withdrawal form on a website), no [4] and [5] (no goods), and [6]
for services with "Dienstleistungen" kept and the utilities struck ("Unzutreffendes streichen");
for digital content [6] does not apply. The protection of Art. 246a § 1 Abs. 2 S. 2 EGBGB
requires the Muster "zutreffend ausgefüllt": anything else is a deviation.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

STATUTE_FILE = Path(__file__).with_name("egbgb-anlage-1-2.md")
SLOT = "\x00SLOT\x00"            # the place of an insertion the Gestaltungshinweise leave free
_TOKEN = re.compile(r"\x00SLOT\x00|\w+|[^\w\s]")
_QUOTED = re.compile(r"„(.*?)“", re.S)
_LIST_MARK = re.compile(r"^\s*(?:[-–•·*]|\d+\.)\s+")
_ANNEX_PREFIX = re.compile(r"^\s*Anlage\s+\d+\s*:\s*", re.I)
_STRIKE_UTILITIES = re.compile(r"Dienstleistungen oder Lieferung von [^\[]*\[Unzutreffendes streichen\]")


class StatuteError(RuntimeError):
    """The statute file does not have the expected structure (a broken copy)."""


@dataclass(frozen=True)
class Anlagen:
    notice: tuple[str, ...]                 # Anlage 1 Muster, one paragraph per entry
    hints: dict[str, str]                   # Gestaltungshinweis number -> text
    form: tuple[str, ...]                   # Anlage 2 Muster


@lru_cache(maxsize=1)
def anlagen() -> Anlagen:
    text = STATUTE_FILE.read_text(encoding="utf-8")
    part1, sep, part2 = text.partition("## Anlage 2")
    if not sep:
        raise StatuteError(f"{STATUTE_FILE}: Abschnitt „## Anlage 2“ fehlt.")
    notice = _block(part1, "### Muster", "### Gestaltungshinweise")
    hints_block = part1.split("### Gestaltungshinweise", 1)[1]
    hints = {m.group(1): m.group(2).strip()
             for m in re.finditer(r"^\[(\d+)\]\s+(.+)$", hints_block, re.M)}
    form = _block(part2, "### Muster", None)
    if not notice or not form or set(hints) != {"1", "2", "3", "4", "5", "6"}:
        raise StatuteError(f"{STATUTE_FILE}: Muster oder Gestaltungshinweise unvollständig.")
    return Anlagen(tuple(notice), hints, tuple(form))


def _block(text: str, start: str, end: str | None) -> list[str]:
    if start not in text:
        raise StatuteError(f"{STATUTE_FILE}: „{start}“ fehlt.")
    body = text.split(start, 1)[1]
    if end is not None:
        body = body.split(end, 1)[0]
    return [line.strip() for line in body.split("\n") if line.strip()]


def _quoted(hint: str, index: int = 0) -> str:
    found = _QUOTED.findall(hint)
    if len(found) <= index:
        raise StatuteError(f"{STATUTE_FILE}: Gestaltungshinweis ohne Textbaustein: {hint[:60]}…")
    return str(found[index])


def expected_notice(*, digital: bool) -> tuple[str, ...]:
    """Anlage 1 as contractgen must render it: services (with [6]) or digital content (without)."""
    source = anlagen()
    out = []
    for paragraph in source.notice:
        if "[1]" in paragraph:
            insertion = _quoted(source.hints["1"])          # a) Dienstleistung / digitale Inhalte
            glue = "" if insertion.startswith(",") else " "
            paragraph = re.sub(r"\s*\[1\]\s*\.", glue + insertion, paragraph)
        paragraph = re.sub(r"\(\s*\[2\]\s*\)", f"({SLOT})", paragraph)
        paragraph = re.sub(r"\s*\[[345]\]", "", paragraph)   # no website form, no goods
        if paragraph.strip() == "[6]":
            if digital:
                continue
            service = _quoted(source.hints["6"])
            paragraph, struck = _STRIKE_UTILITIES.subn("Dienstleistungen", service)
            if struck != 1:
                raise StatuteError(f"{STATUTE_FILE}: Gestaltungshinweis 6 hat nicht den erwarteten "
                                   "Wortlaut „Dienstleistungen oder Lieferung von … [Unzutreffendes "
                                   "streichen]“.")
        if paragraph.strip():
            out.append(paragraph.strip())
    return tuple(out)


def expected_form() -> tuple[str, ...]:
    """Anlage 2 with the trader's details as the (only) insertion."""
    out = []
    for paragraph in anlagen().form:
        paragraph = re.sub(r"\[hier ist der Name[^\]]*\]", SLOT, paragraph)
        out.append(paragraph)
    return tuple(out)


# -- comparison -----------------------------------------------------------------------------------
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def tokens(paragraphs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        paragraph = _LIST_MARK.sub("", normalise(paragraph))
        if index == 0:      # the title: "Anlage 1: Widerrufsbelehrung" or in capitals is format
            paragraph = _ANNEX_PREFIX.sub("", paragraph).casefold()
        out += _TOKEN.findall(paragraph)
    return out


def compare(rendered: Sequence[str], expected: Sequence[str],
            slot_contains: Sequence[str]) -> list[str]:
    """Every deviation of `rendered` (paragraphs, the title first) from `expected`, in German.
    The slot may hold anything but must contain each of `slot_contains`."""
    want = tokens(expected)
    got = tokens(rendered)
    problems: list[str] = []
    if SLOT in want:
        at = want.index(SLOT)
        before, after = want[:at], want[at + 1:]
        problems += _diff(before, got[:len(before)])
        rest = got[len(before):]
        start = len(rest)
        if after:
            # the text after the insertion starts where its first run of tokens matches
            blocks = difflib.SequenceMatcher(a=after, b=rest, autojunk=False).get_matching_blocks()
            first = next((m for m in blocks if m.size >= 3), None)
            if first is not None:
                start = max(0, first.b - first.a)
        problems += _diff(after, rest[start:])
        slot = " ".join(rest[:start])
        for item in slot_contains:
            wanted = " ".join(_TOKEN.findall(normalise(str(item))))
            if wanted and wanted not in slot:
                problems.append(f"In der Einfügung fehlt „{item}“ (eingefügt: „{_show(slot)}“).")
    else:
        problems += _diff(want, got)
    return problems


def _diff(want: list[str], got: list[str]) -> list[str]:
    out = []
    matcher = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        context = " ".join(want[max(0, i1 - 5):i1])
        expected = " ".join(want[i1:i2]) or "(nichts)"
        found = " ".join(got[j1:j2]) or "(nichts)"
        out.append(f"nach „…{_show(context)}“: amtlich „{_show(expected)}“, erzeugt „{_show(found)}“.")
    return out


def _show(text: str) -> str:
    text = re.sub(r" ([.,;:)\]])", r"\1", text.replace(SLOT, "[Einfügung]"))
    text = re.sub(r"([(\[„]) ", r"\1", text)
    text = re.sub(r"(?<=\w) ?([-@/]) ?(?=\w)", r"\1", text)
    text = re.sub(r"(?<=[a-z0-9]) \. (?=[a-z0-9])", ".", text)
    return text if len(text) <= 120 else text[:117] + "…"


def notice_problems(paragraphs: Sequence[str], *, digital: bool,
                    contact: Sequence[str]) -> list[str]:
    """Deviations of a rendered Anlage 1 (its title first) from the official Muster.
    `contact`: what the insertion [2] must contain (name, address, telephone, e-mail)."""
    return compare(paragraphs, expected_notice(digital=digital), contact)


def form_problems(paragraphs: Sequence[str], *, contact: Sequence[str]) -> list[str]:
    """Deviations of a rendered Anlage 2 (its title first) from the official Muster."""
    return compare(paragraphs, expected_form(), contact)


def notice_contact(freelancer: dict[str, object], *, phone: bool = True) -> list[str]:
    """What the insertion must contain for this freelancer (Gestaltungshinweis 2; for the form
    name, address and e-mail address)."""
    items = [freelancer.get("name"), freelancer.get("strasse"),
             f"{freelancer.get('plz')} {freelancer.get('ort')}"]
    if phone:
        items.append(freelancer.get("telefon") or "Telefonnummer")
    items.append(freelancer.get("email"))
    return [str(i) for i in items if i]
