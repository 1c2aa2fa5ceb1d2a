"""The party designations (library.yaml `bezeichnungen`, templates `AN` and `AG`):

- `designation-word` (error): a clause, order clause, e-mail or library text writes the party
  as a plain word ("der Auftragnehmer", "Auftraggeberin", "auftragnehmende Partei") instead of
  `{{ AN.der }}` …; the generic word for other people ("für andere Auftraggeber") is written
  `{{ allgemein("andere Auftraggeber") }}`.
- `designation-pronoun` (warning): a pronoun ("er", "ihm", "seine" …) whose only possible
  reference in its sentence and the one before is a party: `{{ AN.er }}`, `{{ AG.seine }}`. The
  check reads the template text, not the grammar: it finds a pronoun when no other noun it could
  refer to stands before it (masculine or neuter, with its article), and stays silent otherwise.
- `designation-form` (error): `AN.xyz` with a form the designations do not have, `AN.wahl` with
  other than two words, `AN`/`AG` in a library without `bezeichnungen`.
- `designation-question` (error): the questionnaire has no choice `auftragnehmer.bezeichnung` /
  `auftraggeber.bezeichnung` whose values are exactly the library's designations (the first one
  the default).

The words and pronoun names come from the library's data, so the rules hold for any language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..library.model import Library
from ..model.designation import PARTIES, Designations
from .findings import Finding
from .legal import scannable_lines
from .sources import ClauseSource, finding

NAMES = {role.name: role for role in PARTIES}
# {{ allgemein("andere Auftraggeber") }}: the generic word, on purpose
_GENERIC = re.compile(r"""allgemein\(\s*(?:"[^"]*"|'[^']*')\s*\)""")
_DESIGNATION = re.compile(r"\{\{-?\s*(AN|AG)\.([A-Za-zÄÖÜäöüß_]+)\s*-?\}\}")
_EXPRESSION = re.compile(r"\{\{.*?\}\}")
_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}")
_WORD = re.compile(r"‹[A-Z]+›|[A-Za-zÄÖÜäöüß]+(?:-[A-Za-zÄÖÜäöüß]+)*|[.!?,;:]")
# determiners before a masculine or neuter noun (lower case); "der" also before feminine
# nouns in the genitive and dative, so a noun that looks feminine does not count after it
_MASCULINE = frozenset({"der", "den", "jeder", "jeden", "dieser", "diesen", "einen", "keinen",
                        "welcher", "welchen"})
_NEUTER = frozenset({"das", "dieses", "jedes"})
_EITHER = frozenset({"des", "dem", "ein", "eines", "einem", "kein", "keines", "keinem",
                     "diesem", "jedem", "eigenen", "eigenem", "eigener"})
_FEMININE_ENDINGS = ("e", "ung", "heit", "keit", "schaft", "ion", "tät", "ik", "ie", "ei", "in",
                     "enz", "anz", "ur", "ät", "frist", "form", "partei", "zeit", "arbeit",
                     "pflicht", "mail", "gebühr", "dauer", "steuer", "schrift", "kraft", "zahl",
                     "art", "sicht", "fahrt", "nacht", "macht", "last", "wahl", "hand", "stadt",
                     "welt", "post", "person")
# a full stop after these is not the end of a sentence (§§ 631 ff. BGB, Abs. 2, z. B.)
_ABBREVIATIONS = frozenset({"ff", "f", "Abs", "Nr", "Art", "S", "lit", "bzw", "z", "B", "ca",
                            "vgl", "gem", "inkl", "zzgl", "Std", "Dr", "Prof", "UAbs", "Buchst"})
_STATEMENT_LINE = re.compile(r"^\s*(\{%.*?%\}\s*)+$")
# antecedents that are not nouns with an article: "Wer einwilligt, schreibt in seine …"
_INDEFINITE = frozenset({"wer", "jemand", "niemand", "man"})
# the determiners of a masculine subject, the usual antecedent of "er"
_NOMINATIVE = frozenset({"der", "jeder", "dieser", "ein", "kein", "welcher"})
_MAX_GAP = 3   # words between a determiner and its noun (adjectives)


def check_designations(library: Library, sources: Iterable[ClauseSource],
                       other_files: Iterable[tuple[Path, list[tuple[int, str]]]],
                       questionnaire_lines: dict[str, int]) -> list[Finding]:
    """Words and pronouns in every text of the library (clauses via `sources`, e-mails and
    library texts as `other_files`: a file with its scannable lines), and the questionnaire's
    choice for each party."""
    designations = library.designations
    if designations is None:
        return []
    words = word_patterns(designations)
    pronouns = pronoun_names(designations)
    forms = {role.name: tuple(n for n in party.form_names() if " " not in dict(
        party.options[0].forms)[n] or n in ("der", "des", "dem", "den", "zum", "vom", "beim"))
             for role in PARTIES if (party := designations.of(role.section)) is not None}
    forms = {name: tuple(n for n in names if n not in pronouns) for name, names in forms.items()}
    out: list[Finding] = []
    files: list[tuple[Path, list[tuple[int, str]], str]] = [
        (s.clause.path, scannable_lines(s), s.clause.id) for s in sources]
    files += [(path, lines, "") for path, lines in other_files]
    for path, lines, clause_id in files:
        for number, line in lines:
            out += _words(words, path, number, line, clause_id, forms)
        out += _pronouns(pronouns, path, lines, clause_id)
    out += _questions(library, designations, questionnaire_lines)
    return out


def word_patterns(designations: Designations) -> list[tuple[str, re.Pattern[str]]]:
    """Per party (AN, AG): every designation's defined term (`rolle`) as it may be inflected,
    "Auftragnehmer", "Auftragnehmers", "Auftragnehmerin", "auftragnehmenden Partei" …, with the
    word before it (an article that belongs to the form)."""
    out = []
    for role in PARTIES:
        party = designations.of(role.section)
        if party is None:
            continue
        alternatives = set()
        for designation in party.options:
            words = designation.role.split()
            if not words:
                continue
            parts = [re.escape(w) + r"\w*" for w in words]
            first = words[0]
            if first[:1].islower():   # a lower-case term may start a sentence or a caption
                parts[0] = f"[{first[0].upper()}{first[0]}]" + re.escape(first[1:]) + r"\w*"
            alternatives.add(r"\s+".join(parts))
        terms = "|".join(sorted(alternatives, key=len, reverse=True))
        out.append((role.name, re.compile(r"(?:\b(?P<article>[A-Za-zäöü]+)\s+)?"
                                          r"(?P<term>(?<![\w.])(?:" + terms + "))")))
    return out


def pronoun_names(designations: Designations) -> set[str]:
    """The forms that are pronouns (those every genus of the library has: er, ihm, sein …);
    as written in the default (first) designation, which the library's source text uses."""
    out: set[str] = set()
    for party in designations.parties:
        default = party.options[0]
        own = {name for name, _ in default.forms}
        for other in party.options[1:]:
            own &= {name for name, _ in other.forms}
        texts = {name: text for name, text in default.forms}
        # a pronoun form is one whose text is a single word equal to its name (er: er)
        out |= {texts[name] for name in own if texts[name] == name and " " not in texts[name]}
    return out


def _words(patterns: list[tuple[str, re.Pattern[str]]], path: Path, number: int, line: str,
           clause_id: str, forms: dict[str, tuple[str, ...]]) -> list[Finding]:
    text = _GENERIC.sub(" ", line)
    found = []
    for name, pattern in patterns:
        for match in pattern.finditer(text):
            article = match.group("article") or ""
            if article.lower() in forms.get(name, ()):
                shown, form = f"{article} {match.group('term')}", article
            else:
                shown, form = match.group("term"), "rolle"
            found.append(finding("designation-word", "error", f"„{shown}“ als festes Wort: "
                                 f"{{{{ {name}.{form} }}}} schreiben, damit der Text der gewählten "
                                 "Bezeichnung folgt (Anleitung, Abschnitt 4); meint das Wort "
                                 "andere Personen: {{ allgemein(\"…\") }}.", f"{path}:{number}",
                                 clause_id))
    return found


def _pronouns(pronouns: set[str], path: Path, lines: list[tuple[int, str]],
              clause_id: str) -> list[Finding]:
    """Each paragraph (with the list that continues it) is read as one text, sentence by
    sentence; a pronoun looks back over its sentence and the one before."""
    out = []
    for block in _blocks(lines):
        tokens = [(token, number) for number, line in block for token in _tokens(line, pronouns)]
        words = [token for token, _ in tokens]
        sentence_starts = [0] + [i + 1 for i, t in enumerate(words) if t in (".", "!", "?")
                                 and not (t == "." and i and words[i - 1] in _ABBREVIATIONS)]
        for index, (token, number) in enumerate(tokens):
            if token not in pronouns and token.lower() not in pronouns:
                continue
            if token[:1].isupper() and token.lower() not in pronouns:
                continue
            following = words[index + 1] if index + 1 < len(words) else ""
            if token.lower() == "sein" and not following[:1].isupper():
                continue   # "tätig zu sein", "erbracht sein": the verb, not "sein Briefing"
            current = max(s for s in sentence_starts if s <= index)
            earlier = [s for s in sentence_starts if s < current]
            start = earlier[-1] if earlier else current
            window = words[start:index]
            if _only_parties(window, token.lower()):
                role = "AN" if "‹AN›" in window and "‹AG›" not in window else \
                    "AG" if "‹AG›" in window and "‹AN›" not in window else "AN/AG"
                out.append(finding(
                    "designation-pronoun", "warning", f"„{token}“ bezieht sich hier wohl auf eine "
                    f"Partei: {{{{ {role.split('/')[0]}.{token} }}}} schreiben, damit es zur "
                    "gewählten Bezeichnung passt (meint es etwas anderes, den Satz so fassen, "
                    f"dass das Wort davor steht, oder {{{{ allgemein(\"{token}\") }}}}).",
                    f"{path}:{number}", clause_id))
    return out


def _blocks(lines: list[tuple[int, str]]) -> Iterator[list[tuple[int, str]]]:
    """Consecutive non-blank lines: a paragraph and the list items that follow it. A line that
    is only a Jinja statement ({% else %}) starts a new block: the branches are alternatives."""
    block: list[tuple[int, str]] = []
    previous = None
    for number, line in lines:
        if _STATEMENT_LINE.match(line):
            line = ""
        if not line.strip() or (previous is not None and number != previous + 1):
            if block:
                yield block
            block = []
        if line.strip():
            block.append((number, line))
        previous = number
    if block:
        yield block


def _tokens(line: str, pronouns: set[str]) -> list[str]:
    text = _GENERIC.sub(" ", line)
    text = _DESIGNATION.sub(lambda m: f" ‹{m.group(1)}› ", text)
    text = _EXPRESSION.sub(" ‹V› ", text)
    text = _STATEMENT.sub(" ", text)
    return _WORD.findall(text)


def _only_parties(window: list[str], pronoun: str) -> bool:
    """A party stands before the pronoun, and nothing else it could refer to."""
    if "‹AN›" not in window and "‹AG›" not in window:
        return False
    masculine_only = pronoun in ("er", "ihn")
    nominative = pronoun == "er"
    for index, token in enumerate(window):
        word = token.lower()
        if word in _INDEFINITE:
            return False
        if word not in _MASCULINE and word not in _NEUTER and word not in _EITHER:
            continue
        if masculine_only and word in _NEUTER:
            continue
        if nominative and word not in _NOMINATIVE and any(t in (",", ";", ":")
                                                           for t in window[index + 1:]):
            continue   # "er" takes up a subject; "den Entwurf" competes only in its own clause
        noun = next((w for w in window[index + 1:index + 2 + _MAX_GAP]
                     if w[:1].isupper() and not w.startswith("‹")), None)
        if noun is None:
            continue
        if word == "der" and noun.lower().endswith(_FEMININE_ENDINGS):
            continue
        return False
    return True


def _questions(library: Library, designations: Designations,
               lines: dict[str, int]) -> list[Finding]:
    out = []
    path = library.root / "questionnaire.yaml"
    for role in PARTIES:
        party = designations.of(role.section)
        if party is None:
            continue
        keys = [d.key for d in party.options]
        question = library.questionnaire.question(role.section)
        field = question.field("bezeichnung") if question is not None else None
        where = f"{path}:{lines.get(role.answer_key, lines.get(role.section, 1))}"
        if field is None or not field.kind.chooses:
            out.append(finding("designation-question", "error", f"Die Bibliothek hat "
                               f"Bezeichnungen für {role.section}, aber der Fragebogen keine "
                               f"Auswahl {role.answer_key} (Werte: {', '.join(keys)}).", where,
                               role.answer_key))
            continue
        choices = list(field.choice_keys)
        if sorted(choices) != sorted(keys) or field.default != keys[0]:
            out.append(finding("designation-question", "error", f"{role.answer_key}: Die Werte "
                               f"({', '.join(choices)}, Standard {field.default}) müssen die "
                               f"Bezeichnungen der Bibliothek sein ({', '.join(keys)}, Standard "
                               f"{keys[0]}).", where, role.answer_key))
    return out


def use_findings(library: Library | None, uses: Iterable[tuple[tuple[str, ...], int]],
                 calls: Iterable[tuple[str, str, int, int]], path: str,
                 clause_id: str = "") -> Iterator[Finding]:
    """`AN.form` uses and `AN.wahl(...)` calls of one template: the form must exist."""
    designations = library.designations if library is not None else None
    for use_path, line in uses:
        role = NAMES.get(use_path[0])
        if role is None:
            continue
        where = f"{path}:{line}"
        if designations is None:
            yield finding("designation-form", "error", f"{use_path[0]}: Diese Bibliothek hat "
                          "keine Bezeichnungen der Parteien (bezeichnungen in library.yaml).",
                          where, clause_id)
            continue
        party = designations.of(role.section)
        names = party.form_names() if party is not None else ()
        if len(use_path) < 2:
            yield finding("designation-form", "error", f"{use_path[0]} allein ist keine Form: "
                          f"{use_path[0]}.der, {use_path[0]}.dem … (bekannt: "
                          f"{', '.join(names)}, wahl).", where, clause_id)
            continue
        name = use_path[1]
        lower = name[:1].lower() + name[1:]
        if name == "wahl" or name in names or lower in names:
            continue
        yield finding("designation-form", "error", f"{use_path[0]}.{name}: Diese Form gibt es "
                      f"nicht (bekannt: {', '.join(names)}; groß geschrieben am Satzanfang; "
                      "wahl).", where, clause_id)
    for name, method, count, line in calls:
        if name in NAMES and method == "wahl" and count != 2:
            yield finding("designation-form", "error", f"{name}.wahl braucht zwei Wörter: "
                          f'{name}.wahl("Kleinunternehmer", "Kleinunternehmerin").',
                          f"{path}:{line}", clause_id)


def manifest_text_lines(path: Path) -> list[tuple[int, str]]:
    """The lines of the `texte:` section of library.yaml or auftrag.yaml (no comments)."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return []
    out: list[tuple[int, str]] = []
    inside = False
    for number, line in enumerate(lines, start=1):
        if line and not line[0].isspace() and not line.startswith("#"):
            inside = line.startswith("texte:")
            continue
        if inside and not line.lstrip().startswith("#"):
            out.append((number, line))
    return out


def mail_text_lines(path: Path, body_line: int, key_lines: dict[str, int]) -> list[tuple[int, str]]:
    """What the client reads of a follow-up e-mail: subject, quote intro and body."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return []
    wanted = {key_lines[k] for k in ("betreff", "zitat_einleitung") if k in key_lines}
    return [(n, line) for n, line in enumerate(lines, start=1) if n >= body_line or n in wanted]
