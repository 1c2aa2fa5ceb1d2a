"""Reading YAML into a small raw tree that keeps the line of every value.

Values stay raw strings until the questionnaire gives them a type, so "20459" and 20459 are the
same postcode, and 4800.10 becomes Decimal("4800.10") exactly, never a float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import AnswersError, Problem
from ..yamlload import YAML_LOADER, yaml_problem

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 20_000
MAX_DEPTH = 40


@dataclass
class Raw:
    kind: str                     # "scalar", "map" or "seq"
    line: int | None              # 1-based line in the file; None for --set values
    tag: str = ""
    text: str = ""                # the scalar as written
    items: dict[str, Raw] = field(default_factory=dict)
    seq: list[Raw] = field(default_factory=list)
    origin: str = ""              # file name or "--set"

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.tag.endswith(":null")


def read_yaml_file(path: Path, what: str = "Antwortdatei") -> Raw:
    """Read and parse a user's YAML file; every failure is an AnswersError naming the file."""
    from ..limits import read_limited

    name = str(path)
    if path.is_dir():
        raise AnswersError(f"{name} ist ein Verzeichnis, keine {what}.")
    # a byte limit that also holds for pipes and devices (/dev/zero would never end)
    data = read_limited(path, MAX_FILE_BYTES, f"Die {what}", AnswersError)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnswersError(
            f"{name}:{line}: Die {what} ist nicht in UTF-8 kodiert. "
            "Bitte als UTF-8 speichern."
        ) from None
    return parse_yaml_text(text, name, what)


# characters YAML refuses (C0 and C1 controls but tab and line ends) or reads as a line break
# where editors show none (NEL, LS, PS): found first, with the line an editor shows
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_NAMES = {"\x85": "NEL, ein Zeilenumbruch", "\u2028": "LINE SEPARATOR, ein Zeilenumbruch",
          "\u2029": "PARAGRAPH SEPARATOR, ein Absatzumbruch", "\x00": "NUL", "\x1b": "ESC"}


def parse_yaml_text(text: str, origin: str, what: str = "Antwortdatei") -> Raw:
    forbidden = _FORBIDDEN.search(text)
    if forbidden is not None:
        char = forbidden.group()
        number = text.count("\n", 0, forbidden.start()) + 1
        column = forbidden.start() - (text.rfind("\n", 0, forbidden.start()) + 1) + 1
        name = f" ({_NAMES[char]})" if char in _NAMES else ""
        raise AnswersError(
            f"{origin}:{number}: Die {what} enthält in Spalte {column} das Steuerzeichen "
            f"U+{ord(char):04X}{name}, das in YAML nicht stehen darf. Bitte entfernen; in "
            "Anführungszeichen lässt es sich als \\u-Folge schreiben, falls es gewollt ist.")
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        at, problem = yaml_problem(exc, text)
        line = f":{at}" if at is not None else ""
        raise AnswersError(f"{origin}{line}: Die {what} ist kein gültiges YAML. {problem}") from None
    if node is None:
        raise AnswersError(f"{origin}: Die {what} ist leer.")
    budget = [MAX_NODES]
    raw = _convert(node, origin, budget, 0)
    if raw.kind != "map":
        raise AnswersError(
            f"{origin}:{raw.line}: Die {what} muss aus Schlüssel: Wert-Paaren bestehen "
            "(eine YAML-Zuordnung), nicht aus einer Liste oder einem einzelnen Wert."
        )
    return raw


def _convert(node: yaml.Node, origin: str, budget: list[int], depth: int) -> Raw:
    budget[0] -= 1
    line = node.start_mark.line + 1
    if budget[0] < 0 or depth > MAX_DEPTH:
        raise AnswersError(
            f"{origin}:{line}: Die Datei ist zu tief verschachtelt oder zu groß "
            "(z. B. durch YAML-Anker und Aliase). Bitte die Antworten direkt eintragen."
        )
    if isinstance(node, yaml.ScalarNode):
        return Raw("scalar", line, tag=node.tag, text=node.value, origin=origin)
    if isinstance(node, yaml.SequenceNode):
        return Raw("seq", line, seq=[_convert(n, origin, budget, depth + 1) for n in node.value],
                   origin=origin)
    assert isinstance(node, yaml.MappingNode)
    items: dict[str, Raw] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise AnswersError(
                f"{origin}:{key_node.start_mark.line + 1}: Schlüssel müssen einfache Namen sein."
            )
        key = key_node.value
        if key in items:
            raise AnswersError(
                f"{origin}:{key_node.start_mark.line + 1}: Der Schlüssel {key!r} kommt doppelt vor."
            )
        items[key] = _convert(value_node, origin, budget, depth + 1)
    return Raw("map", line, items=items, origin=origin)


def apply_override(root: Raw, assignment: str) -> Problem | None:
    """Apply one `--set key.path=value` to the raw tree; returns a problem when it cannot."""
    if "=" not in assignment:
        return Problem("error", f"--set {assignment!r}: erwartet Schlüssel=Wert, "
                       "z. B. --set honorar.betrag=5000", "--set", code="set.syntax")
    key, value = assignment.split("=", 1)
    parts = [p for p in key.strip().split(".")]
    if not all(parts):
        return Problem("error", f"--set {assignment!r}: ungültiger Schlüssel {key!r}", "--set",
                       code="set.key")
    text = value.strip()
    if not text:
        value_raw = Raw("scalar", None, tag="tag:yaml.org,2002:null", text="", origin="--set")
    elif text[0] in "[{" and (parsed := _structured(text)) is not None:
        value_raw = parsed  # a list or a section, e.g. --set 'ausfall.staffel=[]'
    else:  # literally: "#1 Kampagne", "Relaunch: Phase 2", "[Beta] Launch" are text, not YAML
        value_raw = Raw("scalar", None, tag="tag:yaml.org,2002:str", text=text, origin="--set")
    value_raw.line = None
    current = root
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if current.kind == "seq" and part.isdigit():
            position = int(part) - 1  # counted from 1, as in the messages: ausfall.staffel[1]
            if not 0 <= position < len(current.seq):
                return Problem("error", f"--set {key}: Eintrag {part} gibt es nicht (Einträge "
                               f"zählen ab 1, hier gibt es {len(current.seq)}).", "--set",
                               code="set.index")
            if last:
                current.seq[position] = value_raw
            else:
                current = current.seq[position]
            continue
        if current.kind != "map":
            return Problem("error", f"--set {key}: {'.'.join(parts[:index])} ist kein Abschnitt",
                           "--set", code="set.not-a-section")
        if last:
            current.items[part] = value_raw
        else:
            current = current.items.setdefault(part, Raw("map", None, origin="--set"))
    return None


def _structured(text: str) -> Raw | None:
    """A YAML list or mapping given on the command line, or None when it is none."""
    try:
        node = yaml.compose(text, Loader=YAML_LOADER)
        if not isinstance(node, (yaml.SequenceNode, yaml.MappingNode)):
            return None
        value = _convert(node, "--set", [MAX_NODES], 0)
    except (yaml.YAMLError, AnswersError):
        return None
    _without_lines(value)  # lines of the option's text would read like file lines
    return value


def _without_lines(raw: Raw) -> None:
    raw.line = None
    for item in (*raw.items.values(), *raw.seq):
        _without_lines(item)


def plain_value(raw: Raw) -> Any:
    """The raw tree as plain Python data (strings for scalars), e.g. for hashing."""
    if raw.kind == "scalar":
        return None if raw.is_null else raw.text
    if raw.kind == "seq":
        return [plain_value(item) for item in raw.seq]
    return {key: plain_value(value) for key, value in raw.items.items()}


def merge_raw(lower: Raw, upper: Raw) -> Raw:
    """Overlay `upper` on `lower` (e.g. the answers file on the profile): sections merge key by
    key, anything else in `upper` wins whole. Every value keeps the file and line it came from."""
    if upper.is_null or (upper.kind == "scalar" and not upper.text.strip()):
        return lower  # an empty `key:` means "not answered here", so the lower layer stands
    if lower.kind != "map" or upper.kind != "map":
        return upper
    items = dict(lower.items)
    for key, value in upper.items.items():
        items[key] = merge_raw(items[key], value) if key in items else value
    return Raw("map", upper.line, tag=upper.tag, items=items, origin=upper.origin)


def raw_from_data(data: Any, origin: str) -> Raw:
    """Plain data (dicts, lists, strings, None) as a raw tree without lines, e.g. interview answers."""
    if isinstance(data, dict):
        return Raw("map", None, items={str(k): raw_from_data(v, origin) for k, v in data.items()},
                   origin=origin)
    if isinstance(data, list):
        return Raw("seq", None, seq=[raw_from_data(item, origin) for item in data], origin=origin)
    if data is None:
        return Raw("scalar", None, tag="tag:yaml.org,2002:null", text="", origin=origin)
    return Raw("scalar", None, tag="tag:yaml.org,2002:str", text=str(data), origin=origin)
