"""Language editions of a library: a translation of every clause, text, mail and order clause.

An edition lives in a folder named by its language code inside the library (`en/`) and mirrors
it: `en/library.yaml` (`sprache`, `translates`, `begriffe`, `texte`), `en/clauses/<id>.md`,
`en/mails/<art>.md`, `en/einzelauftrag/auftrag.yaml` and `en/einzelauftrag/klauseln/<id>.md`.
A translation has the id of what it translates and holds only what is said in words: title,
short form and body (a mail also its subject and quote introduction). Everything that decides
(section, order, when, replaces, requires, legal, topic, safeguards, anlage, …) is the German
clause's, so an edition selects exactly the clauses of the German library, in the same order,
under the same numbers. Each translation records the version it translates (`translates:
1.2.0`); one that is missing, cannot be read or translates another version is `untranslated`,
and no document is ever built from it (pipeline: LibraryError, exit 4), while `library check`
reports it as an error with file and line.

The one reader (reader.py, `read_edition`) reads the editions with the library; their problems
stay with the edition (`edition_problems`), so a broken translation never stops a German
contract. This module holds what that reading needs and what the pipeline asks of an edition.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import Location, Problem
from .frontmatter import read_front_matter
from .model import Clause, Library, Untranslated

EDITION_DIR = re.compile(r"^[a-z]{2}$")
CLAUSE_KEYS = frozenset({"id", "translates", "title", "kurzform", "hinweis", "reviewed"})
MAIL_KEYS = frozenset({"id", "translates", "title", "betreff", "zitat_einleitung", "hinweis",
                       "reviewed"})
LANGUAGE_NAMES = {"de": "deutsche", "en": "englische", "fr": "französische", "it": "italienische",
                  "es": "spanische", "nl": "niederländische", "pl": "polnische"}
# problems of single items: the item is untranslated, the rest of the edition stays usable
ITEM_CODES = frozenset({"library.translation-missing", "library.translation-stale",
                        "library.translation-orphan", "library.yaml-syntax",
                        "library.unknown-key", "library.jinja-syntax", "library.id-filename",
                        "library.missing-field", "library.translation-kurzform"})


def edition_name(code: str) -> str:
    """"englische" for messages ("Die englische Fassung …")."""
    return LANGUAGE_NAMES.get(code, f"{code}-")


def edition_directories(root: Path) -> list[Path]:
    """The edition folders of a library: two-letter folders with a library.yaml."""
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir()
                  if p.is_dir() and EDITION_DIR.match(p.name) and (p / "library.yaml").is_file())


def clause_translation(path: Path, source: Clause, out: list[Problem],
                       ) -> tuple[Clause | None, dict[str, Any], dict[str, int], str]:
    """A translation file over its source clause: (edition clause or None, its head, the lines
    of its keys, the reason it is untranslated or "")."""
    head = read_front_matter(path, CLAUSE_KEYS, out)
    if head is None:
        return None, {}, {}, "fehlerhaft"
    meta, lines = head.meta, head.key_lines
    reason = ""
    if str(meta.get("id", "")) != source.id:
        out.append(Problem("error", f"id {meta.get('id')!r} passt nicht zum Dateinamen "
                           f"{path.name} (erwartet: {source.id}).", f"{path}:{lines.get('id', 2)}",
                           source.id, code="library.id-filename"))
        reason = "fehlerhaft"
    for key in ("title", "translates"):
        if not meta.get(key):
            out.append(Problem("error", f"Pflichtangabe {key!r} fehlt.", f"{path}:2", source.id,
                               code="library.missing-field"))
            reason = "fehlerhaft"
    if meta.get("translates") and str(meta["translates"]) != source.version and not reason:
        out.append(Problem("error", f"Die Übersetzung übersetzt Version {meta['translates']}, die "
                           f"deutsche Klausel hat Version {source.version} ({source.path}): "
                           "Übersetzung an die deutsche Fassung angleichen, dann translates: "
                           f"{source.version}.", f"{path}:{lines.get('translates', 2)}",
                           source.id, code="library.translation-stale"))
        reason = "veraltet"
    has_short = meta.get("kurzform") is not None
    if has_short != (source.short is not None):
        which = "hat keine Kurzform" if source.short is not None else "hat keine Kurzform, die " \
            "Übersetzung aber eine"
        out.append(Problem("error", f"Die deutsche Klausel {which} (kurzform): beide Fassungen "
                           "brauchen dieselben Teile.", f"{path}:{lines.get('kurzform', 2)}",
                           source.id, code="library.translation-kurzform"))
        reason = reason or "fehlerhaft"
    short_line = 0
    if head.node is not None:
        for key_node, value_node in head.node.value:
            if key_node.value == "kurzform":
                block = getattr(value_node, "style", None) in ("|", ">")
                short_line = value_node.start_mark.line + 2 + (1 if block else 0)
    clause = replace(source, path=path, title=str(meta.get("title") or source.title),
                     body=head.body, body_line=head.body_line,
                     short=None if not has_short else str(meta["kurzform"]),
                     short_line=short_line, reviewed=meta.get("reviewed"),
                     sha256=hashlib.sha256(head.raw).hexdigest())
    return clause, meta, lines, reason


def key_line(path: Path, key: str) -> int:
    """The line of a top-level or nested `key:` in a YAML file (1 when not found)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return 1
    pattern = re.compile(rf"^\s*-?\s*{re.escape(key)}:")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)


def check_texts(source_texts: dict[str, Any], texts: dict[str, Any], manifest: Path,
                source_manifest: Path, out: list[Problem]) -> None:
    """The edition's texts: the same names as the source's, the overview with the same rows
    under the same conditions (paired by position)."""
    for name in source_texts:
        if name not in texts:
            out.append(Problem("error", f"Text {name!r} fehlt unter texte (ihn hat "
                               f"{source_manifest}).", f"{manifest}:{key_line(manifest, 'texte')}",
                               code="library.translation-texts"))
    for name in texts:
        if name not in source_texts:
            out.append(Problem("error", f"Text {name!r} gibt es in {source_manifest} nicht.",
                               f"{manifest}:{key_line(manifest, name)}",
                               code="library.translation-texts"))
    rows, own = source_texts.get("uebersicht"), texts.get("uebersicht")
    if isinstance(rows, list) and isinstance(own, list):
        where = f"{manifest}:{key_line(manifest, 'uebersicht')}"
        if len(rows) != len(own):
            out.append(Problem("error", f"uebersicht hat {len(own)} Zeilen, in "
                               f"{source_manifest} sind es {len(rows)}: jede Zeile braucht ihre "
                               "Übersetzung, in derselben Reihenfolge.", where,
                               code="library.translation-texts"))
        for number, (row, mine) in enumerate(zip(rows, own, strict=False), start=1):
            theirs = row.get("when") if isinstance(row, dict) else None
            ours = mine.get("when") if isinstance(mine, dict) else None
            if theirs != ours:
                out.append(Problem("error", f"uebersicht, Zeile {number}: when {ours!r}, in "
                                   f"{source_manifest} {theirs!r}; die Zeilen müssen einander "
                                   "in derselben Reihenfolge entsprechen.", where,
                                   code="library.translation-texts"))


def fee_labels(german: Library, wording: Any, manifest: Path, out: list[Problem],
                untranslated: list[Untranslated]) -> None:
    """Every fee model of the questionnaire needs its name in the edition (honorarmodelle)."""
    from ..terms.fees import MODEL_KEY

    group, _, key = MODEL_KEY.partition(".")
    question = german.questionnaire.question(group)
    model = question.field(key) if question is not None else None
    named = dict(wording.fee_labels)
    for choice in (model.choice_keys if model is not None else ()):
        if choice not in named:
            out.append(Problem("error", f"begriffe.honorarmodelle: Das Honorarmodell {choice!r} "
                               "hat keinen Namen in dieser Sprache.",
                               f"{manifest}:{key_line(manifest, 'honorarmodelle')}",
                               code="library.translation-missing"))
            untranslated.append(Untranslated("honorarmodell", choice, "fehlt"))


def profession_words(questionnaire: Any, data: Any, manifest: Path, out: list[Problem],
                     untranslated: list[Untranslated]) -> Any:
    """The questionnaire with the profession profiles' words in the edition's language
    (`berufsworte: {profile id: {name: text}}`); lists of ids (which sentences a clause
    chooses) are the same in every language and stay. Every text word of every profile needs
    its translation."""
    professions = tuple(getattr(questionnaire, "professions", ()))
    if not professions:
        return questionnaire
    where = f"{manifest}:{key_line(manifest, 'berufsworte')}"
    given = data if isinstance(data, dict) else {}
    if data is not None and not isinstance(data, dict):
        out.append(Problem("error", "berufsworte muss je Berufsprofil die Worte enthalten "
                           "(Profil: {Name: Text}).", where, code="library.translation-texts"))
    known = {p.id for p in professions}
    for name in given:
        if name not in known:
            out.append(Problem("error", f"berufsworte: ein Berufsprofil {name!r} gibt es nicht "
                               f"(bekannt: {', '.join(sorted(known))}).", where,
                               code="library.translation-texts"))
    translated = []
    for profession in professions:
        own = given.get(profession.id)
        own = own if isinstance(own, dict) else {}
        words = dict(profession.words)
        for name, value in profession.words.items():
            if not isinstance(value, str) or not value:
                continue
            if not isinstance(own.get(name), str):
                out.append(Problem("error", f"berufsworte.{profession.id}.{name}: Das Wort des "
                                   f"Berufsprofils ({profession.path}) hat keine Übersetzung.",
                                   where, code="library.translation-missing"))
                untranslated.append(Untranslated("texte", f"berufsworte.{profession.id}",
                                                 "fehlt"))
            else:
                words[name] = own[name]
        for name in own:
            if name not in profession.words:
                out.append(Problem("error", f"berufsworte.{profession.id}.{name}: Das Profil "
                                   f"{profession.path} hat kein Wort {name!r}.", where,
                                   code="library.translation-texts"))
        translated.append(replace(profession, words=words))
    return replace(questionnaire, professions=tuple(translated))


def blocking(edition: Library, clause_ids: tuple[str, ...], fee_model: str | None) -> list[Problem]:
    """What stops a document of `edition` with these clauses: problems of the edition as a
    whole, and every selected clause (and the fee model) it does not translate."""
    found = [p for p in edition.edition_problems if p.code not in ITEM_CODES]
    wanted = set(clause_ids)
    for item in edition.untranslated:
        if item.kind == "texte" or (item.kind == "klausel" and item.id in wanted) or (
                item.kind == "honorarmodell" and item.id == fee_model):
            detail = {"fehlt": "fehlt", "fehlerhaft": "ist fehlerhaft",
                      "veraltet": f"übersetzt Version {item.translates or '?'}, die deutsche "
                      f"Fassung hat {item.version}"}[item.reason]
            what = {"klausel": f"Die Übersetzung der Klausel {item.id!r}",
                    "texte": f"Die Übersetzung der Texte ({item.id})",
                    "honorarmodell": f"Der Name des Honorarmodells {item.id!r}"}[item.kind]
            path = (edition.root / "clauses" / f"{item.id}.md" if item.kind == "klausel"
                    and edition.manifest_name == "library.yaml" else
                    edition.root / "klauseln" / f"{item.id}.md" if item.kind == "klausel"
                    else edition.root / edition.manifest_name)
            found.append(Problem("error", f"{what} {detail}.", Location(str(path)), item.id,
                                 code="library.translation-" + ("stale" if item.reason ==
                                                                "veraltet" else "missing")))
    return found
