"""Answers: typed, validated, normalised values for every question of the questionnaire.

All problems are collected and reported at once, each with file:line and key path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

from ..errors import AnswersError, Location, Problem
from ..invisible import invisible_problem
from ..limits import pattern_matches
from ..mailheaders import header_problem
from ..paths import value_at
from .amounts import NumberError, Reading, grouping_hint, read_number
from .rawyaml import Raw
from .schema import Question, Questionnaire, empty_answer

TODAY = "heute"                   # a date typed in the interview (and a date question's default)
MISSING = "fehlt"                 # the message of a required answer not given (its first word)
MAX_TEXT = 300
MAX_LONGTEXT = 5000
MAX_LIST_ITEMS = 100
_EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,63}$")
# direction overrides and isolates ("Trojan Source"): text could read differently than it is
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_GERMAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_IBAN_RE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def iban_checksum_ok(compact: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97."""
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(char, 36)) for char in rearranged)
    return int(digits) % 97 == 1


@dataclass(frozen=True)
class Answers:
    """Validated answers: every question's key present (None when unanswered)."""

    values: Mapping[str, Any]
    source: str
    warnings: tuple[Problem, ...] = ()
    # key path -> where the answer came from (answers file, profile or "--set"); not hashed
    locations: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(canonical_json(self.values).encode()).hexdigest()

    def location(self, path: str) -> Location:
        """Where the answer at `path` came from; the answers' source when unknown."""
        return self.locations.get(path) or Location(self.source)

    def get(self, path: str) -> Any:
        node: Any = self.values
        for part in path.split("."):
            if not isinstance(node, Mapping):
                return None
            node = node.get(part)
        return node


def canonical_json(values: Any) -> str:
    return json.dumps(values, sort_keys=True, ensure_ascii=False, default=_json_default)


def _json_default(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


class _Validator:
    def __init__(self, questionnaire: Questionnaire, source: str,
                 condition: Callable[[str, Mapping[str, Any]], bool]) -> None:
        self.questionnaire = questionnaire
        self.source = source
        self.condition = condition
        self.problems: list[Problem] = []
        self.rejected: set[str] = set()   # key paths of answers given but rejected

    def where(self, raw: Raw | None) -> Location:
        """File and line of a value; values from a lower layer (the profile) name their own file."""
        if raw is None:
            return Location(self.source)
        return Location(raw.origin or self.source, raw.line or None)

    def error(self, raw: Raw | None, path: str, message: str, code: str) -> None:
        self.problems.append(Problem("error", message, self.where(raw), path, code=code))

    def warn(self, raw: Raw | None, path: str, message: str, code: str) -> None:
        self.problems.append(Problem("warning", message, self.where(raw), path, code=code))

    # -- structure -------------------------------------------------------------------------
    def mapping(self, raw: Raw, questions: Iterable[Question], prefix: str) -> dict[str, Any]:
        questions = tuple(questions)
        known = {q.key: q for q in questions}
        for key, value in raw.items.items():
            if key not in known:
                hint = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                suggestion = f" Meinten Sie {prefix}{hint[0]!r}?" if hint else ""
                allowed = ", ".join(known)
                self.error(value, f"{prefix}{key}",
                           f"unbekannter Schlüssel.{suggestion} Erlaubt sind hier: {allowed}.",
                           "answers.unknown-key")
        return {q.key: self.value(raw.items.get(q.key), q, prefix + q.key) for q in questions}

    def value(self, raw: Raw | None, q: Question, where: str) -> Any:
        if raw is None or raw.is_null:
            return _MISSING
        if q.is_group:
            if raw.kind != "map":
                self.error(raw, where, "erwartet einen Abschnitt mit Unterschlüsseln.", "answers.type")
                return _INVALID
            return self.mapping(raw, q.fields, where + ".")
        if q.is_list:
            if raw.kind != "seq":
                self.error(raw, where, "erwartet eine Liste (Zeilen, die mit „- “ beginnen).", "answers.type")
                return _INVALID
            if len(raw.seq) > (q.max_items or MAX_LIST_ITEMS):
                from ..formatting import count

                self.error(raw, where,
                           f"höchstens {count(q.max_items or MAX_LIST_ITEMS, 'Eintrag', 'Einträge')} "
                           f"erlaubt, gefunden: {len(raw.seq)}.", "answers.too-many-items")
                return _INVALID
            items = []
            for index, item in enumerate(raw.seq, start=1):
                path = f"{where}[{index}]"
                if q.is_group_list:
                    if item.kind != "map":
                        self.error(item, path, "erwartet einen Eintrag mit Unterschlüsseln.", "answers.type")
                        continue
                    items.append(self.mapping(item, q.fields, f"{path}."))
                else:
                    item = _as_text_item(item)
                    if item.kind != "scalar":
                        self.error(item, path, "ist kein einfacher Text. Enthält der Eintrag einen "
                                   "Doppelpunkt mit Leerzeichen oder Klammern [ ] { }, bitte in "
                                   "Anführungszeichen setzen.", "answers.type")
                        continue
                    text = self.scalar(item, Question(q.key, path, "text", q.label), path)
                    if isinstance(text, _Invalid):
                        continue
                    if isinstance(text, _Missing):
                        self.error(item, path, "ist leer.", "answers.empty-item")
                        continue
                    items.append(text)
            return items
        if raw.kind != "scalar":
            self.error(raw, where, f"erwartet einen einzelnen Wert ({q.kind.label}).", "answers.type")
            return _INVALID
        return self.scalar(raw, q, where)

    # -- scalars ---------------------------------------------------------------------------
    def scalar(self, raw: Raw, q: Question, path: str) -> Any:
        """One value, read by the check its type names (types.py)."""
        check: Callable[[Raw, Question, str], Any] = getattr(self, f"check_{q.kind.check}")
        return check(raw, q, path)

    def check_text(self, raw: Raw, q: Question, path: str) -> Any:
        return self.text(raw, q, path)

    def check_iban(self, raw: Raw, q: Question, path: str) -> Any:
        return self.iban(raw, path)

    def check_country(self, raw: Raw, q: Question, path: str) -> Any:
        """An ISO 3166-1 alpha-2 code (DE, AT, CH …), written in capitals."""
        from ..countries import country_name, is_country, suggest_country

        text = raw.text.strip()
        if is_country(text.upper()) and len(text) == 2:
            return text.upper()
        hint = suggest_country(text)
        suggestion = f" Meinten Sie {hint!r} ({country_name(hint)})?" if hint else ""
        self.error(raw, path, f"{text!r} ist kein Ländercode nach ISO 3166-1 (zwei Buchstaben, "
                   f"z. B. DE, AT, CH).{suggestion}", "answers.country")
        return _INVALID

    def check_date(self, raw: Raw, q: Question, path: str) -> Any:
        return self.date(raw, path)

    def check_choice(self, raw: Raw, q: Question, path: str) -> Any:
        text = raw.text.strip()
        if text in q.choice_keys:
            return text
        hint = difflib.get_close_matches(text, list(q.choice_keys), n=1, cutoff=0.5)
        suggestion = f" Meinten Sie {hint[0]!r}?" if hint else ""
        self.error(raw, path, f"{text!r} ist nicht erlaubt.{suggestion} "
                   f"Erlaubt: {', '.join(q.choice_keys)}.", "answers.choice")
        return _INVALID

    def check_bool(self, raw: Raw, q: Question, path: str) -> Any:
        text = raw.text.strip()
        lowered = text.lower()
        if lowered in ("true", "yes", "ja", "on"):
            return True
        if lowered in ("false", "no", "nein", "off"):
            return False
        self.error(raw, path, f"{text!r} ist kein Ja/Nein-Wert (true/false oder ja/nein).",
                   "answers.bool")
        return _INVALID

    def check_integer(self, raw: Raw, q: Question, path: str) -> Any:
        reading = self.number(raw, q, path)
        if reading is None:
            return _INVALID
        if reading.value != reading.value.to_integral_value():
            self.error(raw, path, f"{raw.text.strip()!r} ist keine ganze Zahl.", "answers.integer")
            return _INVALID
        return self.bounds(raw, q, path, int(reading.value), reading)

    def check_money(self, raw: Raw, q: Question, path: str) -> Any:
        return self.check_number(raw, q, path, cents=True)

    def check_number(self, raw: Raw, q: Question, path: str, cents: bool = False) -> Any:
        reading = self.number(raw, q, path)
        if reading is None:
            return _INVALID
        if cents and reading.value.as_tuple().exponent < -2:  # type: ignore[operator]
            self.error(raw, path, f"{raw.text.strip()!r} hat mehr als zwei Nachkommastellen "
                       "(Cent).", "answers.cents")
            return _INVALID
        return self.bounds(raw, q, path, reading.value, reading)

    def number(self, raw: Raw, q: Question, path: str) -> Reading | None:
        """The one rule for numbers and amounts (amounts.py), applied to the text as written
        (in YAML too: an unquoted 4.800 is read from its source text, not as the float 4.8)."""
        try:
            return read_number(raw.text, unit=q.kind.unit)
        except NumberError as error:
            code = "answers.integer" if q.kind.check == "integer" else "answers.number"
            self.error(raw, path, str(error), code)
            return None

    def text(self, raw: Raw, q: Question, path: str) -> Any:
        value = unicodedata.normalize("NFC", raw.text).strip()
        multiline = q.kind.multiline
        if not multiline:  # a one-line answer: tabs and line breaks become one space
            value = re.sub(r"[ \t\r\n]*[\t\r\n][ \t\r\n]*", " ", value)
        limit = MAX_LONGTEXT if multiline else MAX_TEXT
        if not value:
            return _MISSING
        hidden = invisible_problem(value)  # default-ignorable characters, fillers, tags
        for char in value:
            category = unicodedata.category(char)
            if char in "\n\t" and multiline:
                continue
            if hidden is not None and char == hidden[0] and hidden[1] == "unsichtbar":
                self.error(raw, path, f"enthält ein unsichtbares Zeichen (U+{ord(char):04X}), "
                           "das im Vertrag nicht zu sehen wäre. Bitte entfernen.",
                               "answers.invisible-character")
                return _INVALID
            if char in _BIDI_CONTROLS:
                self.error(raw, path, f"enthält ein unsichtbares Steuerzeichen für die Schreibrichtung "
                           f"(U+{ord(char):04X}), das den angezeigten Vertragstext verfälschen kann. "
                           "Bitte entfernen.", "answers.bidi-control")
                return _INVALID
            if category in ("Cc", "Cs", "Co", "Cn") or char in "\u2028\u2029":
                self.error(raw, path, f"enthält ein unzulässiges Steuer- oder Sonderzeichen "
                           f"(U+{ord(char):04X}). Bitte nur normalen Text eintragen.",
                              "answers.control-character")
                return _INVALID
        if hidden is not None:  # nothing but combining marks: nothing to read
            self.error(raw, path, "enthält keine sichtbaren Zeichen (nur Füll- oder "
                       "Kombinationszeichen). Bitte einen lesbaren Text eintragen.",
                       "answers.invisible-character")
            return _INVALID
        if len(value) > limit:
            self.error(raw, path, f"ist {_plain(len(value))} Zeichen lang; erlaubt sind höchstens "
                       f"{_plain(limit)}.", "answers.too-long")
            return _INVALID
        if not multiline:  # one-line texts may reach an e-mail header (names, titles)
            problem = header_problem(value)
            if problem is not None:
                self.error(raw, path, problem, code="answers.header-syntax")
                return _INVALID
        if q.kind.address:
            problem = email_problem(value)
            if problem is not None:
                self.error(raw, path, f"{value!r} {problem}", "answers.email")
                return _INVALID
        if q.pattern and not pattern_matches(q.pattern, value):
            hint = f" ({q.pattern_hint})" if q.pattern_hint else ""
            self.error(raw, path, f"{value!r} hat nicht das erwartete Format{hint}.", "answers.pattern")
            return _INVALID
        return value

    def iban(self, raw: Raw, path: str) -> Any:
        compact = re.sub(r"\s+", "", raw.text).upper()
        if not compact:
            return _MISSING
        if not _IBAN_RE.match(compact):
            self.error(raw, path, f"{raw.text.strip()!r} ist keine IBAN (Ländercode, zwei "
                       "Prüfziffern, dann bis zu 30 Buchstaben oder Ziffern).", "answers.iban")
            return _INVALID
        if compact.startswith("DE") and len(compact) != 22:
            self.error(raw, path, f"Eine deutsche IBAN hat 22 Stellen, diese hat {len(compact)}.",
                       "answers.iban")
            return _INVALID
        if not iban_checksum_ok(compact):
            self.error(raw, path, f"{raw.text.strip()!r}: Die Prüfziffern der IBAN stimmen nicht "
                       "(Tippfehler?).", "answers.iban")
            return _INVALID
        return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))

    def date(self, raw: Raw, path: str) -> Any:
        text = raw.text.strip()
        german = _GERMAN_DATE_RE.match(text)
        try:
            if german:
                day, month, year = (int(g) for g in german.groups())
                return dt.date(year, month, day)
            if raw.tag.endswith(":timestamp") or re.match(r"^\d{4}-\d{1,2}-\d{1,2}$", text):
                value = yaml.safe_load(text) if raw.tag.endswith(":timestamp") else None
                if isinstance(value, dt.datetime):
                    return value.date()
                if isinstance(value, dt.date):
                    return value
                year, month, day = (int(p) for p in text.split("-"))
                return dt.date(year, month, day)
        except (ValueError, yaml.YAMLError):
            self.error(raw, path, f"{text!r} ist kein gültiges Datum.", "answers.date")
            return _INVALID
        today = (" „heute“ gilt nur im Fragebogen (contractgen new); hier bitte das Datum "
                 "selbst eintragen." if text.casefold() == TODAY else "")
        self.error(raw, path, f"{text!r} ist kein Datum (erwartet JJJJ-MM-TT oder TT.MM.JJJJ).{today}",
                   "answers.date")
        return _INVALID

    def bounds(self, raw: Raw, q: Question, path: str, number: Any,
               reading: Reading | None = None) -> Any:
        hint = grouping_hint(raw.text, reading) if reading is not None else ""
        if q.min is not None and number < q.min:
            self.error(raw, path, f"{_plain(number)} ist zu klein; Mindestwert: {_plain(q.min)}."
                       f"{hint}", "answers.min")
            return _INVALID
        if q.max is not None and number > q.max:
            self.error(raw, path, f"{_plain(number)} ist zu groß; Höchstwert: {_plain(q.max)}."
                       f"{hint}", "answers.max")
            return _INVALID
        return number


def email_problem(value: str) -> str | None:
    """Why `value` is no e-mail address an .eml draft can carry (German), or None.
    The same check as the writer's (mailheaders.split_address): an RFC 5322 dot-atom before
    the @, a domain with umlauts must have an IDNA 2008 form (straße stays straße)."""
    from ..mailheaders import AddressError, split_address

    if not _EMAIL_RE.match(value):
        return "ist keine gültige E-Mail-Adresse."
    try:
        split_address(value)
    except AddressError as exc:
        return f"ist keine gültige E-Mail-Adresse: {exc}"
    return None


def _as_text_item(item: Raw) -> Raw:
    """A list entry like `- Geschäftsausstattung: Briefpapier` is a one-key mapping in YAML;
    the user meant the text "Geschäftsausstattung: Briefpapier", so read it as that."""
    if item.kind == "map" and len(item.items) == 1:
        (key, value), = item.items.items()
        if value.kind == "scalar" and not value.is_null:
            return Raw("scalar", item.line, tag="tag:yaml.org,2002:str", text=f"{key}: {value.text}",
                       origin=item.origin)
    return item


def _date(value: dt.date) -> str:
    """A date in a message, as a German reader writes it: 15.01.2027."""
    from ..formatting import format_date_short

    return format_date_short(value)


def _label_of(questionnaire: Questionnaire, path: str) -> str:
    """„Beginn der Arbeiten“ for a key path in a message; the path when it is no question."""
    question = next((q for q in questionnaire.walk() if q.path == path), None)
    return f"„{question.label}“" if question is not None else path


def _plain(number: Decimal | int) -> str:
    """A number in a message, in German (1.000,5); absurdly long ones (more digits than Babel
    rounds with) as their digits."""
    import decimal

    from ..formatting import format_number

    with decimal.localcontext() as context:
        context.prec = 100
        return format_number(number)


class _Missing:
    """An answer not (validly) given; falsy, so conditions on it are simply false."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        """A part of a missing section is missing too, so a condition like
        `auftraggeber.art == "verbraucher"` is simply false while `auftraggeber` is unanswered."""
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: Any) -> Any:
        return self


_MISSING: Any = _Missing()


class _Invalid(_Missing):
    """An answer that was given but rejected (already reported, so not also "missing")."""


_INVALID: Any = _Invalid()



def _lines(raw: Raw | None, prefix: str, out: dict[str, Raw]) -> None:
    if raw is None:
        return
    if raw.kind == "map":
        for key, value in raw.items.items():
            out[f"{prefix}{key}"] = value
            _lines(value, f"{prefix}{key}.", out)
    elif raw.kind == "seq":
        base = prefix[:-1]
        for index, item in enumerate(raw.seq, start=1):
            out[f"{base}[{index}]"] = item
            _lines(item, f"{base}[{index}].", out)


def validate_partial(raw: Raw, questionnaire: Questionnaire, source: str,
                     condition: Callable[[str, Mapping[str, Any]], bool],
                     ) -> tuple[dict[str, Any], tuple[Problem, ...], dict[str, Location]]:
    """Like validate(), but never raises: the values (None where missing or invalid), every
    problem, and where each answer came from. The interview uses it on unfinished answers."""
    validator = _Validator(questionnaire, source, condition)
    values = validator.mapping(raw, questionnaire.questions, "")
    raws: dict[str, Raw] = {}
    _lines(raw, "", raws)
    _finish(values, questionnaire.questions, "", values, validator, raws)
    _cross_field(values, validator, raws)
    locations = {path: validator.where(node) for path, node in raws.items()}
    return values, tuple(validator.problems), locations


def _cross_field(values: dict[str, Any], v: _Validator, raws: dict[str, Raw]) -> None:
    """The engagement terms' cross-field rules (consistency.py), each at its answer's line."""
    from .consistency import cross_field_problems

    stated = {path for path, node in raws.items()
              if (node.line is not None or node.origin == "--set") and not node.is_null}
    for level, key, message, code in cross_field_problems(values, stated):
        path = key
        while path and path not in raws:
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        v.problems.append(Problem(level, message, v.where(raws.get(path)), key, code=code))


def validate(raw: Raw, questionnaire: Questionnaire, source: str,
             condition: Callable[[str, Mapping[str, Any]], bool]) -> Answers:
    """Type-check the raw tree, then apply conditions, defaults, required and cross-field rules."""
    values, problems, locations = validate_partial(raw, questionnaire, source, condition)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        count = len(errors)
        raise AnswersError(
            f"Die Antwortdatei {source} enthält {count} Fehler." if count > 1
            else f"Die Antwortdatei {source} enthält einen Fehler.",
            problems,
        )
    return Answers(values=values, source=source,
                   warnings=tuple(p for p in problems if p.level == "warning"),
                   locations=locations)


def check_value(question: Question, text: str, origin: str = "Eingabe",
                answers: Mapping[str, Any] | None = None) -> tuple[Any, str | None]:
    """One typed-in answer through the same checks as the answers file: (value, German message).
    The value is None for an empty answer; the message is None when the answer is valid.
    `answers` (those given so far) let a cross-checked type check against the other answer
    (a postcode against the country given before it; without one, the country's default)."""
    raw = Raw("scalar", None, tag="tag:yaml.org,2002:str", text=text, origin=origin)
    validator = _Validator(Questionnaire((), origin), origin, lambda _e, _c: True)
    value = validator.scalar(raw, question, question.path)
    if validator.problems:
        return None, validator.problems[0].message
    if isinstance(value, _Missing):
        return None, None
    cross = question.kind.cross
    if cross is not None and question.country:
        other = value_at(answers or {}, question.country)
        outcome = cross.check(question, value, other if isinstance(other, str) else None)
        if outcome.error:
            return None, outcome.error
        value = value if outcome.value is None else outcome.value
    return value, None


def _finish(values: dict[str, Any], questions: tuple[Question, ...], prefix: str,
            root: dict[str, Any], v: _Validator, raws: dict[str, Raw]) -> None:
    """Second pass in questionnaire order: conditions, defaults, required, cross-field rules."""
    for q in questions:
        path = prefix + q.key
        value = values.get(q.key, _MISSING)
        raw = raws.get(path)
        if value is _INVALID:
            v.rejected.add(path)
            values[q.key] = empty_answer(q)
            continue
        active = q.when is None or v.condition(q.when, root)
        if not active:
            if _has_content(value) and raw is not None and q.when_error \
                    and value != _default(q, v.questionnaire.default_for(q, root)):
                # also for --set and forms: a choice that would be unlawful here, not merely
                # unused (its default, e.g. "no cap", is harmless)
                v.error(raw, path, q.when_error, "answers.not-allowed")
            elif _has_content(value) and raw is not None and raw.line is not None:
                v.warn(raw, path, "wird bei diesen Antworten nicht verwendet "
                       "(die Bedingung der Frage trifft nicht zu) und bleibt unberücksichtigt.",
                         "answers.unused")
            values[q.key] = empty_answer(q)
            continue
        if q.is_group:
            if value is _MISSING:
                if q.optional and (q.optional_when is None or v.condition(q.optional_when, root)):
                    values[q.key] = None
                    continue
                value = {f.key: _MISSING for f in q.fields}
                values[q.key] = value
            _finish(value, q.fields, path + ".", root, v, raws)
            continue
        if value is _MISSING:
            needed = q.required and _needed(q, root, v)
            if needed or (q.required_when is not None and v.condition(q.required_when, root)):
                where_raw = raws.get(prefix[:-1]) if prefix else None
                reason = f" {q.help}" if q.required_when is not None and q.help else ""
                v.error(where_raw, path, f"{MISSING} ({q.label}).{reason}", "answers.missing")
                values[q.key] = empty_answer(q)
                continue
            values[q.key] = _default(q, v.questionnaire.default_for(q, root), root)
            continue
        if q.is_group_list:
            for index, item in enumerate(value, start=1):
                _finish(item, q.fields, f"{path}[{index}].", root, v, raws)
            _check_order(q, path, value, raw, v)
        if q.is_list and len(value) < q.min_items:
            from ..formatting import count

            v.error(raw, path, f"braucht mindestens {count(q.min_items, 'Eintrag', 'Einträge')}.",
                    "answers.too-few-items")
        for choice, condition, hint in q.choice_when:
            if value == choice and not v.condition(condition, root):
                v.error(raw, path, f"{choice!r} ist bei diesen Antworten nicht möglich. {hint}"
                        .rstrip(), "answers.choice-when")
        if q.max_when is not None and isinstance(value, (int, Decimal)) \
                and not isinstance(value, bool) and value > q.max_when[1] \
                and v.condition(q.max_when[0], root):
            v.error(raw, path, f"{_plain(Decimal(value))} ist zu groß; Höchstwert hier: "
                    f"{_plain(q.max_when[1])}. {q.max_when[2]}".rstrip(), "answers.max")
        if q.not_below:
            lower = value_at(root, q.not_below)
            if isinstance(lower, (int, Decimal)) and isinstance(value, (int, Decimal)) \
                    and value < lower:
                v.error(raw, path, f"{_plain(Decimal(value))} ist kleiner als {q.not_below} "
                        f"({_plain(Decimal(lower))}); es muss mindestens so groß sein.",
                        "answers.not-below")
        if q.kind.cross is not None and q.country:
            value = _cross_check(q, value, path, raw, root, v)
            values[q.key] = value
        if q.after:
            earlier = value_at(root, q.after)
            if isinstance(earlier, dt.date) and isinstance(value, dt.date) and value <= earlier:
                before = _label_of(v.questionnaire, q.after)
                v.error(raw, path, f"{_date(value)} liegt nicht nach {before} ({q.after}: "
                        f"{_date(earlier)}).", "answers.after")


def _rejected(path: str, root: Mapping[str, Any], v: _Validator) -> bool:
    return path in v.rejected or isinstance(value_at(root, path), _Invalid)


def _related(q: Question, root: Mapping[str, Any]) -> Any:
    """The answer a cross-checked question is checked against (None when unanswered)."""
    other = value_at(root, q.country or "")
    return None if isinstance(other, _Missing) else other


def _needed(q: Question, root: Mapping[str, Any], v: _Validator) -> bool:
    """Whether a required question needs an answer here (a type may relax it, given the other
    answer: no postcode where the country has none)."""
    cross = q.kind.cross
    if cross is None or not q.country or _rejected(q.country, root, v):
        return True
    return cross.needed(q, _related(q, root))


def _cross_check(q: Question, value: Any, path: str, raw: Raw | None, root: Mapping[str, Any],
                 v: _Validator) -> Any:
    """The type's check against the other answer (a postcode against the party's country);
    skipped when that answer was itself rejected (already reported)."""
    cross = q.kind.cross
    if cross is None or value is None or _rejected(q.country or "", root, v):
        return value
    outcome = cross.check(q, value, _related(q, root))
    if outcome.error:
        v.error(raw, path, outcome.error, outcome.code)
        return empty_answer(q)
    if outcome.warning:
        v.warn(raw, path, outcome.warning, outcome.code)
    return value if outcome.value is None else outcome.value


def _has_content(value: Any) -> bool:
    """A given answer; a section whose entries are all empty (e.g. a filled-in template) is not."""
    if isinstance(value, dict):
        return any(_has_content(item) for item in value.values())
    if isinstance(value, list):
        return bool(value)      # an empty list says nothing (e.g. a default written out)
    return not isinstance(value, _Missing)


def _check_order(q: Question, path: str, items: list[dict[str, Any]], raw: Raw | None,
                 v: _Validator) -> None:
    if q.order != "staffel":
        return
    raw_values = [(item.get("tage_vorher"), item.get("prozent")) for item in items]
    if any(isinstance(x, _Missing) or x is None for pair in raw_values for x in pair):
        return
    days: list[int] = [pair[0] for pair in raw_values]  # type: ignore[misc]
    percents: list[Decimal] = [pair[1] for pair in raw_values]  # type: ignore[misc]
    if any(a <= b for a, b in zip(days, days[1:], strict=False)):
        v.error(raw, path, "Die Stufen müssen nach tage_vorher absteigend geordnet sein, "
                "ohne doppelte Werte (z. B. erst 7, dann 2).", "answers.order")
    elif any(a > b for a, b in zip(percents, percents[1:], strict=False)):
        v.error(raw, path, "Je näher der Termin, desto höher darf der Anteil sein, nicht "
                "niedriger: die Prozentwerte müssen von Stufe zu Stufe gleich bleiben oder steigen.",
                    "answers.order")


def _default(q: Question, default: Any = None, root: Mapping[str, Any] | None = None) -> Any:
    """The value of a question left out: the answer `default_from` names, else `default` (the
    profession's or the question's own)."""
    if q.default_from is not None and root is not None:
        given = value_at(root, q.default_from)
        if given is not None and not isinstance(given, _Missing):
            return given
    if default is None or (q.kind.dated and default == TODAY):
        # "heute" is the interview's suggestion (the day it asks); a file states its date
        return empty_answer(q)
    if q.kind.numeric and q.kind.decimal:
        return Decimal(str(default))
    if isinstance(default, list):
        return list(default)
    return default
