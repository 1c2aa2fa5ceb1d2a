"""The check of a library's language editions (en/ …): every clause, text, mail and order clause
translated, in the current version, and saying the same things in the same places.

What the reader found (library/edition.py: a missing or stale translation, an orphan, a missing
text or fee-model name) becomes a finding; then each translation is compared with its German
clause part by part (title aside: body with body, short form with short form): the same answers
read, the same `ref()` targets and `absatz()` labels, the same terms defined (`definiere`) and
used (`begriff`). A difference is an error at the translation's file and line, because it means
one language says something the other does not. Last, the edition's clauses go through the
static rules and the legal wording rules of the edition's language, and through the exhaustive
render, so a translation that cannot be rendered for some combination of answers is found here
and not by a client.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import TemplateSyntaxError

from ..errors import Problem
from ..library.reader import ClauseSource, LibrarySource
from ..model.designation import PARTIES
from .findings import Finding
from .sources import finding, to_finding
from .variables import ITEM, Usage, analyse, parse_template

# the static rules that also hold for an edition's clauses (the others are about the German
# clause's metadata and questions, and were checked there)
EDITION_RULES = frozenset({"unknown-variable", "requires-missing", "ref-unknown", "ref-label",
                           "ref-deselected", "term-undefined", "jinja-syntax", "render-failed",
                           "document-refs", "AGB-01", "AGB-02", "AGB-03", "URH-01", "FORM-01",
                           "CXL-01", "CXL-03", "JUR-01", "WERK-02", "language-unknown",
                           "slot-conflict"})


# answers a language uses in its own way: the form of address (Du/Sie) has no English
# counterpart, so a translation may read `anrede` where the German text uses ds(), or not at all;
# the parties' designations (AN, AG) change the German words only, the English edition writes
# "the Contractor" and "the Client" for every choice (clause_library/README.md, section 4)
LANGUAGE_OWN = frozenset({"anrede", *(role.name for role in PARTIES)})


@dataclass(frozen=True)
class _Part:
    name: str                # "Text" or "Kurzform"
    text: str
    line: int


def _parts(source: ClauseSource) -> list[_Part]:
    clause = source.clause
    parts = [_Part("Text", clause.body, clause.body_line)]
    if clause.short is not None:
        parts.append(_Part("Kurzform", clause.short, clause.short_line or clause.body_line))
    return parts


def _usage(part: _Part) -> Usage | None:
    try:
        return _analysed(part.text, part.line)
    except TemplateSyntaxError:
        return None       # reported as jinja-syntax by the reader


@lru_cache(maxsize=2048)
def _analysed(text: str, line: int) -> Usage:
    """A template's usage (the German clause is compared once per edition, and its parts are
    the same in every check of one process)."""
    return analyse(parse_template(text, line))


def _items(usage: Usage) -> dict[tuple[str, str], int]:
    """(kind, name) -> first line, for everything that must be the same in both languages."""
    found: dict[tuple[str, str], int] = {}

    def add(kind: str, name: str, line: int) -> None:
        found.setdefault((kind, name), line)

    for use in usage.uses:
        if use.path[0] in LANGUAGE_OWN:
            continue
        add("variable", ".".join(p for p in use.path if p != ITEM), use.line)
    for ref in usage.refs:
        if ref.clause_id is not None:
            name = ref.clause_id if ref.label is None else f"{ref.clause_id}, {ref.label}"
            add("ref", name, ref.line)
    for label, line in usage.labels:
        add("absatz", label, line)
    for term, line in usage.terms_defined:
        add("definiere", term, line)
    for term, line in usage.terms_used:
        add("begriff", term, line)
    return found


KIND_WORDS = {"variable": "die Variable {name}", "ref": "der Verweis ref({name})",
              "absatz": "der Absatzname absatz({name})", "definiere": "die Definition "
              "definiere({name}) des Begriffs", "begriff": "der Begriff begriff({name})"}
RULES = {"variable": "translation-variable", "ref": "translation-ref",
         "absatz": "translation-ref", "definiere": "translation-term",
         "begriff": "translation-term"}


def compare_clause(german: ClauseSource, translation: ClauseSource,
                   language: str) -> list[Finding]:
    """Each variable, reference, paragraph name and term in one language and not the other."""
    out: list[Finding] = []
    theirs = {p.name: p for p in _parts(german)}
    for part in _parts(translation):
        source_part = theirs.get(part.name)
        if source_part is None:
            continue       # a short form on one side only: translation-kurzform (reader)
        mine_usage, their_usage = _usage(part), _usage(source_part)
        if mine_usage is None or their_usage is None:
            continue
        mine, their = _items(mine_usage), _items(their_usage)
        path = translation.clause.path
        for key in sorted(set(their) - set(mine)):
            kind, name = key
            what = KIND_WORDS[kind].format(name=repr(name))
            out.append(finding(RULES[kind], "error", f"{part.name}: In der deutschen Klausel "
                               f"({german.clause.path}:{their[key]}) steht {what}, in der "
                               f"{language}n Fassung fehlt das.", f"{path}:{part.line}",
                               german.clause.id))
        for key in sorted(set(mine) - set(their)):
            kind, name = key
            what = KIND_WORDS[kind].format(name=repr(name))
            out.append(finding(RULES[kind], "error", f"{part.name}: In der {language}n Fassung "
                               f"steht {what}, in der deutschen Klausel ({german.clause.path}) "
                               "nicht.", f"{path}:{mine[key]}", german.clause.id))
    return out


def compare_sources(german: LibrarySource, edition: LibrarySource,
                    language: str) -> list[Finding]:
    by_id = {s.clause.id: s for s in german.clauses if s.ok}
    out: list[Finding] = []
    for source in edition.clauses:
        original = by_id.get(source.clause.id)
        if original is not None and source.ok:
            out += compare_clause(original, source, language)
    return out


def compare_texts(german: LibrarySource, edition: LibrarySource,
                  language: str) -> list[Finding]:
    """The texts of library.yaml (title, e-mail wording, fee overview row by row): the same
    variables, references and terms in both languages."""
    from ..library.edition import key_line

    if german.library is None or edition.library is None:
        return []
    manifest = edition.root / edition.library.manifest_name
    source_manifest = german.root / german.library.manifest_name
    pairs: list[tuple[str, str, str, str]] = []     # (what, key for the line, German, English)
    theirs, mine = german.library.texts, edition.library.texts
    for name, value in theirs.items():
        other = mine.get(name)
        if isinstance(value, str) and isinstance(other, str):
            pairs.append((f"texte.{name}", name, value, other))
        elif isinstance(value, list) and isinstance(other, list):
            for number, (row, own) in enumerate(zip(value, other, strict=False), start=1):
                if isinstance(row, dict) and isinstance(own, dict):
                    for part in ("label", "wert"):
                        pairs.append((f"texte.{name}, Zeile {number}, {part}", name,
                                      str(row.get(part) or ""), str(own.get(part) or "")))
    out: list[Finding] = []
    for what, key, source_text, text in pairs:
        try:
            their = _items(_analysed(source_text, 1))
            own_items = _items(_analysed(text, 1))
        except TemplateSyntaxError:
            continue
        where = f"{manifest}:{key_line(manifest, key)}"
        for item in sorted(set(their) - set(own_items)):
            out.append(finding(RULES[item[0]], "error", f"{what}: In {source_manifest} steht "
                               f"{KIND_WORDS[item[0]].format(name=repr(item[1]))}, in der "
                               f"{language}n Fassung fehlt das.", where))
        for item in sorted(set(own_items) - set(their)):
            out.append(finding(RULES[item[0]], "error", f"{what}: In der {language}n Fassung "
                               f"steht {KIND_WORDS[item[0]].format(name=repr(item[1]))}, in "
                               f"{source_manifest} nicht.", where))
    return out


def check_editions(sources: LibrarySource, *, exhaustive: bool = True) -> list[Finding]:
    """Every finding about the editions of the library read into `sources`."""
    from ..library.edition import edition_name
    from ..render.document import ENGINE_KEYS
    from .rules import analyse_library

    out: list[Finding] = []
    for edition in sources.editions:
        language = edition_name(edition.root.name)
        out += [to_finding(problem) for problem in edition.problems]
        out += compare_sources(sources, edition, language)
        out += compare_texts(sources, edition, language)
        if edition.library is None:
            continue
        library = edition.library
        missing = {u.id for u in library.untranslated if u.kind == "klausel"}
        translated = [s for s in edition.clauses if s.ok and s.clause.id not in missing]
        view = LibrarySource(root=edition.root, library=library, clauses=translated,
                             question_lines=sources.question_lines)
        engine_keys = (*ENGINE_KEYS, *((sources.library.annex_key,)
                                       if sources.library is not None
                                       and sources.library.annex_key else ()))
        analysis, found = analyse_library(view, engine_keys)
        out += [f for f in found if f.rule in EDITION_RULES]
        if exhaustive and not missing and not any(
                f.level == "error" and f.rule in ("unknown-variable", "jinja-syntax")
                for f in found):
            from . import exhaustive as exhaustive_render

            rendered, _stats = exhaustive_render.run(view, analysis, clauses_only=True)
            out += [f for f in rendered if f.rule in EDITION_RULES]
        out += _orders(sources, edition, language)
        out += _mails(sources, edition, language)
    return _unique(out)


def _mails(sources: LibrarySource, edition: LibrarySource, language: str) -> list[Finding]:
    """Every follow-up mail's translation: there, current, and with the same variables,
    references and terms as the German template (subject with subject, text with text)."""
    from ..followup import KINDS, MAIL_DIR, read_mail_template, translated_mail

    out: list[Finding] = []
    for kind in KINDS:
        german_path = sources.root / MAIL_DIR / f"{kind}.md"
        if not german_path.is_file():
            continue     # the German check reports it
        problems: list[Problem] = []
        source = read_mail_template(german_path, problems)
        if source is None or problems:
            continue
        translated = translated_mail(source, edition.root / MAIL_DIR / f"{kind}.md", problems)
        out += [to_finding(p) for p in problems]
        if translated is None:
            continue
        for name, theirs, mine, line in (
                ("Betreff", source.subject, translated.subject,
                 translated.key_lines.get("betreff", 2)),
                ("Text", source.body, translated.body, translated.body_line)):
            try:
                their_items = _items(_analysed(theirs, 1))
                my_items = _items(_analysed(mine, line))
            except TemplateSyntaxError:
                continue
            where = f"{translated.path}:{line}"
            for item in sorted(set(their_items) - set(my_items)):
                out.append(finding(RULES[item[0]], "error", f"{name}: In {source.path} steht "
                                   f"{KIND_WORDS[item[0]].format(name=repr(item[1]))}, in der "
                                   f"{language}n Fassung fehlt das.", where, kind))
            for item in sorted(set(my_items) - set(their_items)):
                out.append(finding(RULES[item[0]], "error", f"{name}: In der {language}n Fassung "
                                   f"steht {KIND_WORDS[item[0]].format(name=repr(item[1]))}, in "
                                   f"{source.path} nicht.", f"{translated.path}:"
                                   f"{my_items[item]}", kind))
    return out


def _orders(sources: LibrarySource, edition: LibrarySource, language: str) -> list[Finding]:
    """The edition's individual-order part (einzelauftrag/) against the German one."""
    from ..library.reader import ORDER_DIR, ORDERS, read_edition, read_library

    german_library, library = sources.library, edition.library
    if german_library is None or library is None:
        return []
    if not (german_library.root / ORDER_DIR / ORDERS.manifest).is_file():
        return []
    german = read_library(german_library.root / ORDER_DIR, layout=ORDERS, main=german_library,
                          compile_templates=True)
    if german.library is None or german.problems:
        return []
    orders = read_edition(german, edition.root / ORDER_DIR, ORDERS, main=library,
                          compile_templates=True)
    return ([to_finding(p) for p in orders.problems] + compare_sources(german, orders, language)
            + compare_texts(german, orders, language))


def _unique(found: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for item in found:
        key = (item.rule, str(item.where), item.message)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out
