"""The interview of `contractgen new` and `contractgen profil bearbeiten`, driven by the questionnaire.

Input and output are injected (`PromptIO`), so the whole interview runs in tests without a
terminal. Every typed-in answer goes through the same checks as an answers file
(`answers.check_value`, then `validate_partial` for the cross-field rules), so the German
explanations are the same in both places. Nothing here writes files; Ctrl-C (KeyboardInterrupt)
and end of input (EOFError) simply propagate to the caller, which may keep what was answered
(`answered_values`).

The interview knows no question by name: sections, optional sections, lists, defaults (also
`default: heute` and `default_from`) and the words for list entries (`item_label`) all come from
the questionnaire, so a question a library adds is asked like every other.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..paths import value_at
from ..terminal import safe_input
from .answers import TODAY, Answers, check_value, validate_partial
from .answers_yaml import scalar_text
from .rawyaml import Raw, raw_from_data
from .schema import Question, Questionnaire
from .summary import Entry, summary_entries, summary_lines
from .types import NO, YES, entry_text

Condition = Callable[[str, Mapping[str, Any]], bool]

# -- every German text of the interview ---------------------------------------------------------
INTRO = ("Enter übernimmt den Vorschlag in [Klammern], „?“ zeigt eine Erklärung, "
         "„-“ löscht eine freiwillige Angabe, „heute“ ist das heutige Datum. Strg+C bricht ab; "
         "die bisherigen Antworten lassen sich dann aufheben.")
REQUIRED = "Bitte eine Angabe machen – das ist eine Pflichtangabe."
NO_HELP = "Zu dieser Frage gibt es keine weitere Erklärung."
LIST_HINT = "Eine Angabe je Zeile; eine leere Zeile beendet die Liste."
MIN_ITEMS = "Bitte mindestens {count} angeben."
CHOICE_HINT = "Bitte eine Nummer von 1 bis {count} oder einen der Namen eingeben."
BOOL_HINT = "Bitte j (ja) oder n (nein) eingeben."
KEEP_LIST = "Übernehmen?"
ADD_FIRST = "{noun} hinzufügen?"
ADD_MORE = "Weitere {noun} hinzufügen?"
ENTRY = "Eintrag"                         # a list entry when the questionnaire names no word
OPTIONAL_GROUP = "„{label}“ in den Vertrag aufnehmen?"
FROM_PROFILE = "Ihre Angaben aus dem Profil ({where}): {who}. Ändern mit: contractgen profil bearbeiten"
PROFILE_PROBLEMS = "Das Profil ist unvollständig oder fehlerhaft; bitte die Angaben ergänzen:"
FROM_PROBLEMS = "Diese Angaben müssen neu eingegeben werden:"
RESUMING = "Es geht weiter, wo Sie aufgehört haben: Gefragt wird nur, was noch fehlt."
CHANGE_WHICH = ("Was möchten Sie ändern? Nummern durch Komma getrennt: 4 für einen ganzen "
                "Abschnitt, 4.2 für eine einzelne Angabe (Enter = nichts)")
BAD_SELECTION = "Unbekannte Nummer {text!r}; bitte Nummern aus der Liste angeben."
CORRECT = "Bitte korrigieren:"
CONFIRM = "Stimmen die Angaben?"
SUMMARY = "Zusammenfassung:"
RISKS = "Hinweise zu riskanten Vereinbarungen (contractgen check zeigt sie ebenfalls):"


def terminal_width() -> int:
    """The width the interview wraps its lines to: the terminal's, at most 100 columns."""
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns))


def wrap(text: str, width: int) -> list[str]:
    """A line wrapped at words to `width`; continuation lines keep the line's indentation
    (and that of a leading "(" or "- ")."""
    if len(text) <= width:
        return [text]
    indent = text[: len(text) - len(text.lstrip())]
    rest = text[len(indent):]
    hang = indent + (" " if rest.startswith("(") else "  " if rest.startswith("- ") else "")
    return textwrap.wrap(text, width, initial_indent="", subsequent_indent=hang,
                         break_long_words=False, break_on_hyphens=False) or [text]


def terminal_write(text: str) -> None:
    """print(), with long lines wrapped at words to the terminal's width."""
    for line in text.split("\n"):
        for part in wrap(line, terminal_width()):
            print(part)


def terminal_read(prompt: str) -> str:
    """input(), a long prompt wrapped at words: all but its last line printed before."""
    text = prompt.rstrip(" ")
    glued = text.rfind(" [")        # the hint [J/n] stays with the last word of the question
    if glued > 0:
        text = f"{text[:glued]}\u2060{text[glued + 1:]}"
    lines = [line.replace("\u2060", " ") for line in wrap(text, terminal_width() - 1)]
    for line in lines[:-1]:
        print(line)
    return safe_input(lines[-1] + prompt[len(prompt.rstrip(" ")):])


@dataclass
class PromptIO:
    """Where the interview reads and writes; `read` may raise KeyboardInterrupt or EOFError.
    `width`: how wide the summary may be."""

    read: Callable[[str], str] = terminal_read     # input(), the prompt made printable
    write: Callable[[str], None] = terminal_write
    width: Callable[[], int] = terminal_width


@dataclass
class ScriptedIO(PromptIO):
    """Answers from a list, output collected: for tests and for scripted runs."""

    answers: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.read = self._read
        self.write = self.transcript.append
        self.width = lambda: 100

    def _read(self, prompt: str) -> str:
        self.transcript.append(prompt)
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        answer = self.answers.pop(0)
        self.transcript.append(answer)
        return answer


class Interview:
    """Asks the questionnaire's questions, keeping the typed answers in `values`."""

    def __init__(self, questionnaire: Questionnaire, condition: Condition, io: PromptIO, *,
                 start: Raw | None = None, fixed: Iterable[str] = (),
                 risks: Callable[[Answers], tuple[Problem, ...]] | None = None,
                 source: str = "Eingabe", today: dt.date | None = None) -> None:
        from ..clock import clock_today

        self.questionnaire = questionnaire
        self.condition = condition
        self.io = io
        self.fixed = set(fixed)              # key paths given by --set / --vertragsart: not asked
        self.risks = risks
        self.source = source
        self.today = today or clock_today()
        values, problems, _ = validate_partial(start or Raw("map", None, origin=source),
                                               questionnaire, source, condition)
        self.values: dict[str, Any] = values
        # key paths the user gave (in the starting layers or by answering): everything else
        # is a default and follows the answers it depends on (the profession) until answered
        self.given: set[str] = _raw_paths(start) if start is not None else set()
        self.start_problems = tuple(p for p in problems if p.level == "error"
                                    and p.code != "answers.missing")
        self.bad = {_question_path(p.key) for p in self.start_problems}
        self.explicit = True       # false only in the first pass of run(): fields not asked by
                                   # default are left at their defaults there
        self.present = _paths(start)         # answered before (earlier file, profile, --set)
        self.answered: set[str] = set()      # asked in this interview (also left empty)
        self.resuming = False                # continue a Zwischenstand: ask what is not there
        self.never = {q.path for top in questionnaire.questions if not top.ask
                      for q in Questionnaire((top,), source).walk()}

    # -- the whole interview -----------------------------------------------------------------
    def run(self, *, review: bool = False, resume: bool = False,
            skip_sections: Iterable[str] = ()) -> Answers:
        """Ask everything; with `review` (an earlier answers file) first let the user pick what
        to change, with `resume` (a Zwischenstand) only what it does not answer yet. Anything
        missing or invalid is asked in every mode. Then summary, confirmation and the
        validated answers; in the summary single answers can be changed."""
        self.say(INTRO)
        if self.start_problems:
            self.say(FROM_PROBLEMS)
            for problem in self.start_problems:
                self.say(f"  {problem}")
        skip = set(skip_sections)
        by_key = {q.key: q for q in self.questionnaire.questions}
        if resume:   # like the first pass: what is not asked by default keeps its default
            self.resuming = True
            self.explicit = False
            self.say(RESUMING)
            self.ask_sections(lambda key: False, only_needed=True)
            self.resuming = False
        elif review:
            self.change(self.pick())
        else:
            # asked when it is asked by default, its `ask` condition holds or the chosen
            # profession asks it (evaluated as the interview reaches it: after the profession)
            self.explicit = False
            self.ask_sections(lambda key: key not in skip and self.asked(by_key[key]),
                              only_needed=False)
        self.explicit = True
        while True:
            answers = self.checked_answers()
            self.show_summary(answers)
            if self.yes_no(CONFIRM, default=True):
                return answers
            self.change(self.pick())

    def ask_sections(self, wanted: Callable[[str], bool], *, only_needed: bool) -> None:
        """Ask the top-level sections `wanted` picks (by key), and anything missing elsewhere."""
        for question in self.questionnaire.questions:
            if not self.active(question):
                continue
            selected = wanted(question.key) and question.path not in self.fixed
            if selected or self.needs(question, self.values.get(question.key)):
                self.ask(question, self.values, question.path, only_needed=not selected)
                self.recheck(question)

    def change(self, paths: list[str]) -> None:
        """Ask again what the user picked: a whole section, or one answer with its current value
        as the suggestion; then whatever the change made necessary (e.g. a new fee model's
        questions)."""
        for path in paths:
            top = self.questionnaire.question(path.split(".", 1)[0])
            if top is None:
                continue
            if "." not in path:
                self.ask(top, self.values, top.path, only_needed=False)
            else:
                self.ask_one(path)
            self.recheck(top)
        self.ask_sections(lambda key: False, only_needed=True)

    def ask_section(self, key: str) -> None:
        """Ask one top-level section (e.g. `auftragnehmer` for the profile)."""
        question = self.questionnaire.question(key)
        assert question is not None
        self.ask(question, self.values, question.path, only_needed=False)
        self.recheck(question)

    def run_section(self, key: str) -> dict[str, Any]:
        """Ask one section until confirmed (the profile): its typed values."""
        self.say(INTRO)
        question = self.questionnaire.question(key)
        assert question is not None
        while True:
            self.ask_section(key)
            self.say("")
            self.say(SUMMARY)
            for line in summary_lines(self.values, Questionnaire((question,), self.source),
                                      self.active, width=self.io.width()):
                self.say(line)
            self.say("")
            if self.yes_no(CONFIRM, default=True):
                return dict(self.values.get(key) or {})

    def checked_answers(self) -> Answers:
        """Validate everything together; re-ask whatever the cross-field rules reject."""
        while True:
            values, problems, _ = validate_partial(self.raw(), self.questionnaire, self.source,
                                                   self.condition)
            errors = [p for p in problems if p.level == "error"]
            if not errors:
                self.values = values
                return Answers(values=values, source=self.source)
            self.say(CORRECT)
            for problem in errors:
                self.say(f"  {self.label_of(problem.key)}: {problem.message}")
            for path in dict.fromkeys(_question_path(p.key) for p in errors):
                self.ask_path(path)

    def recheck(self, question: Question) -> None:
        """Cross-field rules (ende after beginn, tiers in order, at least one entry) right after
        the section, so the user corrects them while the question is fresh."""
        for _ in range(20):
            values, problems, _ = validate_partial(self.raw(), self.questionnaire, self.source,
                                                   self.condition)
            mine = [p for p in problems if p.level == "error" and _under(p.key, question.path)
                    and p.code != "answers.missing"]
            if not mine:
                self.values = values
                return
            for problem in mine:
                self.say(f"  {problem.message}")
            for path in dict.fromkeys(_question_path(p.key) for p in mine):
                self.ask_path(path)

    # -- one question ------------------------------------------------------------------------
    def ask(self, q: Question, container: dict[str, Any], path: str, *, only_needed: bool) -> None:
        current = container.get(q.key)
        if q.is_group:
            self.ask_group(q, container, path, only_needed=only_needed)
            return
        if only_needed and not self.needs(q, current):
            return
        if q.is_text_list:
            container[q.key] = self.ask_textlist(q, current or [])
        elif q.is_group_list:
            container[q.key] = self.ask_grouplist(q, current or [])
        else:
            shown = current if path in self.given else None
            container[q.key] = self.ask_scalar(q, shown)
        self.given.add(path)
        self.answered.add(path)

    def ask_group(self, q: Question, container: dict[str, Any], path: str, *,
                  only_needed: bool) -> None:
        current = container.get(q.key)
        unseen = self.resuming and path not in self.present and path not in self.answered
        if self.may_leave_out(q) and (not only_needed or (unseen and current is None)):
            self.say("")
            self.help_line(q)
            earlier = path in self.present or path in self.answered
            proposed = self.questionnaire.proposes(q, self.values)
            if earlier:
                default = current is not None
            elif proposed is not None:
                default = proposed
            else:   # a framework agreement's project: proposed; an extra agreement: not
                default = current is not None or q.optional_when is not None
            agreed = self.yes_no(OPTIONAL_GROUP.format(label=q.label), default=default)
            self.given.add(path)
            self.answered.add(path)
            if not agreed:
                container[q.key] = None
                return
            only_needed = only_needed and not unseen
        elif only_needed and current is None and self.may_leave_out(q):
            return
        section: dict[str, Any] = dict(current) if isinstance(current, Mapping) else {}
        container[q.key] = section
        header = not only_needed or unseen
        for sub in q.fields:
            sub_path = f"{path}.{sub.key}"
            if sub_path in self.fixed or not self.active(sub):
                continue
            if not self.explicit and not self.asked(sub) and not self.needs(sub, section.get(sub.key)):
                if sub.key not in section or section[sub.key] is None:
                    section[sub.key] = self.default_value(sub)
                continue
            if header:  # the section's title only once something in it is asked
                self.say("")
                self.say(f"— {q.label} —")
                header = False
            self.ask(sub, section, sub_path, only_needed=only_needed)

    def ask_one(self, path: str) -> None:
        """One answer of a section again, its current value as the suggestion (Enter keeps it)."""
        head, _, key = path.rpartition(".")
        section = self.values.get(head)
        group = self.questionnaire.question(head)
        question = group.field(key) if group is not None else None
        if question is None:
            return
        if not isinstance(section, dict):
            section = {}
            self.values[head] = section
        self.ask(question, section, path, only_needed=False)

    def ask_scalar(self, q: Question, current: Any) -> Any:
        default = current if current is not None else self.default(q)
        required = self.is_required(q)
        if q.kind.chooses:
            self.say(q.label + (" (Pflichtangabe)" if required else ""))
            for number, (key, label) in enumerate(q.choices, start=1):
                self.say(f"  {number}) {key} – {label}")
            prompt = f"Nummer oder Name{self.bracket(q, default)}: "
        else:
            prompt = f"{q.label}{self.bracket(q, default)}: "
        while True:
            text = self.io.read(prompt).strip()
            if text == "?":
                self.help_line(q, always=True)
                continue
            if not text:
                if default is not None:
                    return default
                if required:
                    self.say(f"  {REQUIRED}")
                    continue
                return None
            if text == "-" and not required:
                return None
            value, message = check_value(q, self.normalise(q, text), origin=self.source,
                                         answers=self.values)
            if message is None and value is None and required:
                message = REQUIRED
            if message is not None:
                self.say(f"  {message}")
                if q.kind.chooses:
                    self.say(f"  {CHOICE_HINT.format(count=len(q.choices))}")
                elif q.kind.yes_no:
                    self.say(f"  {BOOL_HINT}")
                continue
            return value

    def ask_textlist(self, q: Question, current: list[Any]) -> list[Any]:
        from ..formatting import count

        self.say(q.label + (" (Pflichtangabe)" if q.required else ""))
        if current:
            for item in current:
                self.say(f"  - {item}")
            if self.yes_no(KEEP_LIST, default=True):
                return list(current)
        self.say(f"  {LIST_HINT}")
        item_question = Question(q.key, q.path, "text", q.label)
        items: list[Any] = []
        limit = q.max_items or 100
        while len(items) < limit:
            text = self.io.read(f"  {len(items) + 1}: ").strip()
            if text == "?":
                self.help_line(q, always=True)
                continue
            if not text:
                if len(items) < q.min_items:
                    self.say(f"  {MIN_ITEMS.format(count=count(q.min_items, 'Eintrag', 'Einträge'))}")
                    continue
                break
            value, message = check_value(item_question, text, origin=self.source)
            if message is not None:
                self.say(f"  {message}")
                continue
            items.append(value)
        return items

    def ask_grouplist(self, q: Question, current: list[Any]) -> list[Any]:
        self.say(q.label)
        self.help_line(q)
        noun = q.item_label or ENTRY
        if current:
            for number, entry in enumerate(current, start=1):
                self.say(f"  - {entry_text(q, entry, number)}")
            if self.yes_no(KEEP_LIST, default=True):
                return list(current)
        items: list[dict[str, Any]] = []
        limit = q.max_items or 100
        while len(items) < limit:
            question = ADD_MORE if items else ADD_FIRST
            if not self.yes_no(question.format(noun=noun), default=False):
                break
            item: dict[str, Any] = {}
            for sub in q.fields:
                item[sub.key] = self.ask_scalar(sub, None) if self.explicit or self.asked(sub) else None
            items.append(item)
        return items

    def ask_path(self, path: str) -> None:
        """Ask again the question at a key path (e.g. `projekt.ende` or `ausfall.staffel`)."""
        parts = path.split(".")
        questions = self.questionnaire.questions
        container = self.values
        for index, part in enumerate(parts):
            question = next((q for q in questions if q.key == part), None)
            if question is None:
                return
            if index == len(parts) - 1 or not question.is_group:
                if question.is_group:
                    self.ask_group(question, container, path, only_needed=False)
                elif question.is_list:
                    container[question.key] = []
                    self.ask(question, container, question.path, only_needed=False)
                else:
                    container[question.key] = self.ask_scalar(question, None)
                    self.given.add(question.path)
                    self.answered.add(question.path)
                return
            child = container.get(question.key)
            if not isinstance(child, dict):
                child = {}
                container[question.key] = child
            container = child
            questions = question.fields

    # -- pieces ------------------------------------------------------------------------------
    def pick(self) -> list[str]:
        """The summary's numbers (4, 4.2) or key paths the user wants to change, in order."""
        self.show_table()
        entries = summary_entries(self.values, self.questionnaire, self.shown)
        by_number = {e.number: e for e in entries}
        by_path = {e.path: e for e in entries}
        while True:
            text = self.io.read(f"{CHANGE_WHICH}: ").strip()
            chosen: list[Entry] = []
            bad = None
            for part in filter(None, re.split(r"[,;\s]+", text)):
                entry = by_number.get(part.rstrip(".")) or by_path.get(part)
                if entry is None:
                    bad = part
                elif entry not in chosen:
                    chosen.append(entry)
            if bad is None:
                order = {e.path: i for i, e in enumerate(entries)}
                return [e.path for e in sorted(chosen, key=lambda e: order[e.path])
                        if not any(e.path.startswith(c.path + ".") for c in chosen)]
            self.say(f"  {BAD_SELECTION.format(text=bad)}")

    def show_table(self) -> None:
        self.say("")
        for line in summary_lines(self.values, self.questionnaire, self.shown,
                                  width=self.io.width()):
            self.say(line)
        self.say("")

    def shown(self, q: Question) -> bool:
        """In the summary: active, and not a question asked only where its `ask` condition
        holds while it does not (how a contract with a business is concluded)."""
        return self.active(q) and (not isinstance(q.ask, str) or self.asked(q))

    def show_summary(self, answers: Answers) -> None:
        self.say("")
        self.say(SUMMARY)
        self.show_table()
        if self.risks is not None:
            found = self.risks(answers)
            if found:
                self.say(RISKS)
                for problem in found:
                    self.say(f"  {self.label_of(problem.key)}: {problem.message}")
                self.say("")

    def yes_no(self, question: str, *, default: bool) -> bool:
        hint = "[J/n]" if default else "[j/N]"
        while True:
            text = self.io.read(f"{question} {hint} ").strip().lower()
            if not text:
                return default
            if text in YES:
                return True
            if text in NO:
                return False
            self.say(f"  {BOOL_HINT}")

    def say(self, text: str) -> None:
        self.io.write(text)

    def help_line(self, q: Question, *, always: bool = False) -> None:
        if q.help:
            self.say(f"  ({q.help})")
        elif always:
            self.say(f"  ({NO_HELP})")

    def label_of(self, key: str) -> str:
        """The label a message names an answer by („Art der Nutzungsrechte“), else its key."""
        path = _question_path(key)
        question = next((q for q in self.questionnaire.walk() if q.path == path), None)
        return f"„{question.label}“" if question is not None else key

    def active(self, q: Question) -> bool:
        if q.when is None:
            return True
        try:
            return bool(self.condition(q.when, self.values))
        except Exception:  # noqa: BLE001 - an unanswered part of the condition: not (yet) active
            return False

    def needs(self, q: Question, value: Any) -> bool:
        """Must be asked even in review mode: invalid, or required and missing; when resuming a
        Zwischenstand, also everything it does not answer yet."""
        if q.path in self.fixed or not self.active(q):
            return False
        if q.path in self.bad:
            return True
        unseen = (self.resuming and q.path not in self.present and q.path not in self.answered
                  and q.path not in self.never and self.asked(q) and self.asked(self.top(q)))
        if q.is_group:
            if value is None:
                return unseen or not self.may_leave_out(q)
            return any(self.needs(f, value.get(f.key)) for f in q.fields)
        if unseen:
            return True
        if q.is_list:
            return len(value or []) < q.min_items
        return self.is_required(q) and value is None

    def top(self, q: Question) -> Question:
        """The top-level question (section) a question belongs to."""
        return self.questionnaire.question(q.path.split(".", 1)[0]) or q

    def is_required(self, q: Question) -> bool:
        """Required, or required under its `required_when` condition (e.g. the telephone number
        when the client is a consumer)."""
        if q.required:
            return True
        if q.required_when is None:
            return False
        try:
            return bool(self.condition(q.required_when, self.values))
        except Exception:  # noqa: BLE001 - an unanswered part of the condition: not (yet) required
            return False

    def may_leave_out(self, q: Question) -> bool:
        """An optional group; one that is optional only under a condition, where it holds."""
        if not q.optional:
            return False
        if q.optional_when is None:
            return True
        try:
            return bool(self.condition(q.optional_when, self.values))
        except Exception:  # noqa: BLE001 - an unanswered part of the condition: required
            return False

    def default(self, q: Question) -> Any:
        """The suggestion in [brackets]: the answer `default_from` names, today for `default:
        heute`, else the profession's default or the question's own."""
        if q.default_from is not None:
            given = value_at(self.values, q.default_from)
            if given is not None:
                return given
        default = self.questionnaire.default_for(q, self.values)
        if default is None or isinstance(default, list):
            return None
        if q.kind.dated and default == TODAY:
            return self.today
        value, message = check_value(q, scalar_text(default))
        return None if message else value

    def default_value(self, q: Question) -> Any:
        """What a question not asked holds: its default (an empty list for lists)."""
        if q.is_list:
            default = self.questionnaire.default_for(q, self.values)
            return list(default) if isinstance(default, list) else []
        return self.default(q)

    def asked(self, q: Question) -> bool:
        """Asked in the first pass: by default, where its `ask` condition holds, or because the
        chosen profession asks it."""
        if q.ask is True:
            return True
        if isinstance(q.ask, str):
            try:
                if self.condition(q.ask, self.values):
                    return True
            except Exception:  # noqa: BLE001 - an unanswered part of the condition: not asked
                pass
        return self.questionnaire.profession_asks(q.path, self.values)

    def bracket(self, q: Question, default: Any) -> str:
        if q.kind.yes_no:
            return " [J/n]" if default is True else " [j/N]" if default is False else " [j/n]"
        if default is None:
            return "" if self.is_required(q) else " (freiwillig)"
        return f" [{_typed_text(default)}]"

    def normalise(self, q: Question, text: str) -> str:
        """Terminal conveniences before the shared checks: choice numbers, j/n, „heute“ for a
        date; each type declares its own (types.py)."""
        if q.kind.dated and text.casefold() == TODAY:
            return self.today.isoformat()
        return q.kind.typed(q, text)

    def raw(self) -> Raw:
        """The answers given so far as an answers tree (defaults left out, so the validator
        applies them as they are for the answers now: the profession's, else the question's)."""
        return raw_from_data(plain(_given_tree(self.values, self.questionnaire.questions, "",
                                               self.given)), self.source)

    def answered_values(self) -> dict[str, Any]:
        """What was answered so far, here or before (the earlier file, the profile, --set), for a
        Zwischenstand; defaults the interview has not asked yet are left out."""
        return _keep(self.values, self.questionnaire.questions, "", self.given | self.present)


def _typed_text(value: Any) -> str:
    """A suggestion as it would be typed: 15.01.2027, 4800,50."""
    if isinstance(value, dt.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, Decimal):
        return scalar_text(value).replace(".", ",")
    return str(value)


def _paths(raw: Raw | None, prefix: str = "") -> set[str]:
    """The key paths a raw answers tree gives (sections and their keys; also empty ones)."""
    found: set[str] = set()
    if raw is None or raw.kind != "map":
        return found
    for key, value in raw.items.items():
        found.add(prefix + key)
        found |= _paths(value, f"{prefix}{key}.")
    return found


def _keep(values: Mapping[str, Any], questions: tuple[Question, ...], prefix: str,
          keep: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for q in questions:
        path = prefix + q.key
        inside = any(k.startswith(path + ".") for k in keep)
        if path not in keep and not inside:
            continue
        value = values.get(q.key)
        if q.is_group and isinstance(value, Mapping):
            out[q.key] = _keep(value, q.fields, path + ".", keep)
        elif path in keep:
            out[q.key] = value
    return out


def plain(value: Any) -> Any:
    """Typed answers as the plain strings an answers file would hold (for re-validation)."""
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if value is None:
        return None
    return scalar_text(value)


def _given_tree(values: Mapping[str, Any], questions: Iterable[Question], prefix: str,
                given: set[str]) -> dict[str, Any]:
    """Only the answers at key paths in `given` (an optional section chosen stays, if empty)."""
    out: dict[str, Any] = {}
    for q in questions:
        path = prefix + q.key
        value = values.get(q.key)
        if q.is_group:
            if isinstance(value, Mapping):
                inner = _given_tree(value, q.fields, path + ".", given)
                if inner or (q.optional and path in given):
                    out[q.key] = inner
            continue
        if path in given and value is not None:
            out[q.key] = value
    return out


def _raw_paths(raw: Raw, prefix: str = "") -> set[str]:
    """The key paths an answers tree gives a value (a list counts as a whole)."""
    paths: set[str] = set()
    for key, item in raw.items.items():
        path = prefix + key
        if item.kind == "map":
            paths.add(path)
            paths |= _raw_paths(item, path + ".")
        elif not item.is_null:
            paths.add(path)
    return paths


def _question_path(key: str) -> str:
    """`ausfall.staffel[2].prozent` -> `ausfall.staffel`: list entries are asked as a whole."""
    return key.split("[", 1)[0]


def _under(key: str, path: str) -> bool:
    return key == path or key.startswith(path + ".") or key.startswith(path + "[")


def starting_point(*, source: str, profile: Path | None = None, previous: Path | None = None,
                   overrides: Iterable[str] = ()) -> tuple[Raw, set[str]]:
    """The layers the interview starts from (--set > earlier answers file > profile) and the
    key paths fixed by --set, which are not asked."""
    from .layers import layer_answers

    layered = layer_answers(source=source, profile=profile, file=previous, overrides=overrides)
    return layered.raw, set(layered.fixed)
