"""Which clauses and answers a generated contract was made from: inspect, update and diff.

Every DOCX written by contractgen carries a manifest (library, id + version + hash of each
clause, hash of the answers, contractgen version) and the answers themselves
(writers/docx.py). From those a contract can be shown, compared with another one, or
regenerated with the current library.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from .errors import AnswersError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEGACY_HEADING = re.compile(r"^(§|Anlage)\u00a0\d+")   # contracts without recorded headings


@dataclass(frozen=True)
class ClauseText:
    id: str
    version: str
    sha256: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contract:
    path: str
    generator: str
    library_name: str
    library_version: str
    answers_sha256: str
    clauses: tuple[ClauseText, ...]
    answers: dict[str, Any]
    front: tuple[str, ...] = ()   # before the first clause: title, parties, the fee overview

    def clause(self, clause_id: str) -> ClauseText | None:
        return next((c for c in self.clauses if c.id == clause_id), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "datei": self.path, "generator": self.generator,
            "bibliothek": {"name": self.library_name, "version": self.library_version},
            "klauseln": [{"id": c.id, "version": c.version, "sha256": c.sha256}
                         for c in self.clauses],
            "antworten_sha256": self.answers_sha256, "antworten": self.answers,
        }


@dataclass(frozen=True)
class ClauseChange:
    kind: str                    # "neu", "entfernt", "geändert", "unverändert"
    id: str
    old_version: str = ""
    new_version: str = ""
    word_diff: str = ""          # changed text as a word diff: [-alt-]{+neu+}

    def describe(self) -> str:
        if self.kind == "neu":
            return f"+ {self.id} {self.new_version} (neu)"
        if self.kind == "entfernt":
            return f"- {self.id} {self.old_version} (entfällt)"
        version = (self.old_version if self.old_version == self.new_version
                   else f"{self.old_version} → {self.new_version}")
        return f"~ {self.id} {version} ({self.kind})"


@dataclass(frozen=True)
class Comparison:
    old: Contract
    new: Contract
    changes: tuple[ClauseChange, ...]
    answer_changes: tuple[str, ...] = ()
    front_diff: str = ""          # title, parties and the fee overview, as a word diff

    @property
    def changed(self) -> tuple[ClauseChange, ...]:
        return tuple(c for c in self.changes if c.kind != "unverändert")

    @property
    def differs(self) -> bool:
        """Anything a reader of the two contracts would see, or any answer, differs."""
        return bool(self.changed or self.answer_changes or self.front_diff)


@dataclass
class UpdatePlan:
    comparison: Comparison
    data: bytes
    target: Path
    warnings: tuple[Any, ...] = field(default_factory=tuple)


def read_contract(path: Path | str, data: bytes | None = None) -> Contract:
    """The manifest, answers and clause texts of a DOCX written by contractgen."""
    from .writers.docx import read_manifest
    from .zipsafe import read_members

    path = Path(path)
    if data is None:
        data = _read(path)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise AnswersError(f"{path} ist kein von contractgen erzeugtes DOCX (die Datei ist kein "
                           "lesbares DOCX-Paket).")
    # someone else's file: bounded (members, sizes, ratio), honest names, no DTDs
    members = dict(read_members(data, describe=str(path), error=AnswersError))
    try:
        stored = read_manifest(data)
    except (zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError):
        raise AnswersError(f"{path} ist kein von contractgen erzeugtes DOCX (die Datei ist kein "
                           "lesbares DOCX-Paket).") from None
    manifest = stored.get("manifest") or {}
    if not isinstance(manifest, dict) or not manifest.get("clauses"):
        raise AnswersError(f"{path} enthält keine Herkunftsangaben von contractgen "
                           "(kein Manifest). Nur mit contractgen erzeugte Verträge lassen sich "
                           "prüfen, vergleichen und aktualisieren.")
    stamps = manifest["clauses"]
    headings = [str(c.get("heading") or "") for c in stamps if isinstance(c, dict)]
    front, texts = _clause_texts(members, path, headings if all(headings) else None)
    clauses = tuple(
        ClauseText(str(c["id"]), str(c["version"]), str(c["sha256"]),
                   tuple(texts[i]) if i < len(texts) else ())
        for i, c in enumerate(stamps)
    )
    library = manifest.get("library") or {}
    answers = stored.get("answers")
    return Contract(
        path=str(path), generator=str(manifest.get("generator", "")),
        library_name=str(library.get("name", "")), library_version=str(library.get("version", "")),
        answers_sha256=str(manifest.get("answers_sha256", "")), clauses=clauses,
        answers=answers if isinstance(answers, dict) else {}, front=tuple(front),
    )


MAX_CONTRACT_BYTES = 100_000_000


def _read(path: Path) -> bytes:
    """The bytes of a contract file; a German message naming the file when it cannot be read."""
    from .limits import read_limited

    if not path.exists():
        raise AnswersError(f"Den Vertrag {path} gibt es nicht.")
    try:
        return read_limited(path, MAX_CONTRACT_BYTES, "Der Vertrag", AnswersError)
    except FileNotFoundError:
        raise AnswersError(f"Den Vertrag {path} gibt es nicht.") from None
    except IsADirectoryError:
        raise AnswersError(f"{path} ist ein Verzeichnis, kein Vertrag (DOCX).") from None
    except PermissionError:
        raise AnswersError(f"{path} kann nicht gelesen werden: keine Leserechte.") from None
    except OSError:
        raise AnswersError(f"{path} kann nicht gelesen werden.") from None


def _clause_texts(members: dict[str, bytes], path: Path,
                  headings: list[str] | None) -> tuple[list[str], list[list[str]]]:
    """The lines before the first clause (title, parties, the fee overview) and the text of
    each clause, in document order; a table row is one line ("Honorarmodell | Pauschalhonorar").
    A clause begins at the paragraph that is its heading as the manifest records it;
    manifests written before the headings were recorded fall back to reading German headings
    ("§ N …" / "Anlage N …")."""
    part = members.get("word/document.xml")
    if part is None:
        raise AnswersError(f"{path} ist kein DOCX: Der Teil word/document.xml fehlt.")
    try:
        root = ElementTree.fromstring(part)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise AnswersError(f"{path}: word/document.xml ist kein gültiges XML (Zeile {line}, "
                           f"Spalte {column + 1}); der Vertrag ist beschädigt.") from None
    body = root.find(f"{_W}body")
    blocks: list[list[str]] = []
    front: list[str] = []
    pending = list(headings) if headings is not None else None
    for child in body if body is not None else ():
        if child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = row.findall(f"{_W}tc")
                texts = [" ".join(filter(None, (_paragraph_text(p) for p in cell.iter(f"{_W}p"))))
                         for cell in cells]
                # a bilingual contract: a clause heading in the left, prevailing column
                if texts and pending and texts[0] == pending[0]:
                    pending.pop(0)
                    blocks.append([texts[0]])
                    continue
                row_text = " | ".join(texts)
                if row_text.strip(" |"):
                    (blocks[-1] if blocks else front).append(row_text)
            continue
        if child.tag != f"{_W}p":
            continue
        text = _paragraph_text(child)
        if not text:
            continue
        starts = (bool(pending) and text == pending[0]) if pending is not None \
            else bool(_LEGACY_HEADING.match(text))
        if starts:
            if pending:
                pending.pop(0)
            blocks.append([text])
        elif blocks:
            blocks[-1].append(text)
        else:
            front.append(text)
    return front, blocks


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    return "".join(node.text or "" if node.tag == f"{_W}t" else " "
                   for node in paragraph.iter() if node.tag in (f"{_W}t", f"{_W}tab")).strip()


def compare(old: Contract, new: Contract) -> Comparison:
    """Clause by clause: added, removed, changed (with a word diff), unchanged."""
    changes: list[ClauseChange] = []
    new_ids = [c.id for c in new.clauses]
    old_ids = [c.id for c in old.clauses]
    for clause in old.clauses:
        if clause.id not in new_ids:
            changes.append(ClauseChange("entfernt", clause.id, old_version=clause.version,
                                        word_diff=_word_diff(_body(clause.lines), "")))
    for clause in new.clauses:
        before = old.clause(clause.id)
        if before is None:
            changes.append(ClauseChange("neu", clause.id, new_version=clause.version,
                                        word_diff=_word_diff("", _body(clause.lines))))
            continue
        old_text, new_text = _body(before.lines), _body(clause.lines)
        same = old_text == new_text and before.version == clause.version
        changes.append(ClauseChange(
            "unverändert" if same else "geändert", clause.id, before.version, clause.version,
            "" if old_text == new_text else _word_diff(old_text, new_text)))
    order = {cid: i for i, cid in enumerate(new_ids + [i for i in old_ids if i not in new_ids])}
    changes.sort(key=lambda c: order.get(c.id, 0))
    return Comparison(old, new, tuple(changes), _answer_changes(old.answers, new.answers),
                      front_diff=_word_diff("\n".join(old.front), "\n".join(new.front)))


def _body(lines: tuple[str, ...]) -> str:
    """The clause text without its heading (its number may shift without the text changing)."""
    return "\n".join(lines[1:])


def _word_diff(old: str, new: str) -> str:
    """The changed paragraphs (lines) of two texts, one line each, words removed as [-…-] and
    added as {+…+} (as `git diff --word-diff`); "" when the texts are the same. Unchanged
    paragraphs are left out, so paragraphs never run into each other."""
    a, b = old.splitlines(), new.splitlines()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed, added = a[i1:i2], b[j1:j2]
        for index in range(max(len(removed), len(added))):
            before = removed[index] if index < len(removed) else ""
            after = added[index] if index < len(added) else ""
            out.append(_words_diff(before, after))
    return "\n".join(out)


def _words_diff(old: str, new: str) -> str:
    """One paragraph: words removed as [-…-], words added as {+…+}; long unchanged runs
    shortened with "…"."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            words = a[i1:i2]
            out.append(" ".join(words) if len(words) <= 12 else
                       " ".join(words[:5]) + " … " + " ".join(words[-5:]))
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _answer_changes(old: Any, new: Any, prefix: str = "") -> tuple[str, ...]:
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[str] = []
        for key in sorted(set(old) | set(new)):
            out += _answer_changes(old.get(key), new.get(key), f"{prefix}{key}.")
        return tuple(out)
    if old != new:
        return (f"{prefix[:-1]}: {_show(old)} → {_show(new)}",)
    return ()


def _show(value: Any) -> str:
    return "(leer)" if value in (None, [], {}) else json.dumps(value, ensure_ascii=False)


def inspect_contract(path: Path | str) -> Contract:
    return read_contract(path)


def diff_contracts(old_path: Path | str, new_path: Path | str) -> Comparison:
    return compare(read_contract(old_path), read_contract(new_path))


def plan_update(path: Path | str, *, output: Path | str | None = None,
                library_path: Path | str | None = None,
                today: dt.date | None = None) -> UpdatePlan:
    """Regenerate a contract with the current library and its stored answers; nothing is written."""
    from .library import evaluate_condition
    from .pipeline import build_document, load_library, render_document
    from .questionnaire.answers import validate
    from .questionnaire.rawyaml import raw_from_data

    old = read_contract(path)
    if not old.answers:
        raise AnswersError(f"{path} enthält keine gespeicherten Antworten.")
    library = load_library(library_path)
    # the stored answers are validated as they are (no profile, no file): problems name the
    # contract they come from
    source = f"{path} (gespeicherte Antworten)"
    answers = validate(raw_from_data(_prune(old.answers), source), library.questionnaire, source,
                       evaluate_condition)
    document = build_document(library, answers, today=today)
    data = render_document(document, "docx", library=library)
    target = Path(output) if output is not None else Path(path)
    new = read_contract(target, data)
    return UpdatePlan(compare(old, new), data, target, answers.warnings)


def write_update(plan: UpdatePlan, *, force: bool = False) -> Path:
    from .output import write_atomic

    write_atomic(plan.target, plan.data, force=force)
    return plan.target


def _prune(value: Any) -> Any:
    """Stored answers without empty values (the validator fills defaults and conditions again)."""
    if isinstance(value, dict):
        pruned = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in pruned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value
