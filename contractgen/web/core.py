"""The bridge between the page and contractgen's pipeline: layer and validate the form's
answers, write them as an answers file, build the document from that file, render downloads.

The document is always built from the answers file the page offers for download (written with
the same writer as `contractgen new`, read back with the same reader as `generate`, over the
same profile layer), so a download and `contractgen generate` of the downloaded answers give
the same bytes. Everything happens in memory; no path comes from the browser.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import pipeline
from ..errors import AnswersError, ContractgenError, Problem
from ..library import Library, evaluate_condition
from ..model import Document
from ..questionnaire.answers import Answers, validate, validate_partial
from ..questionnaire.answers_yaml import dump_answers
from ..questionnaire.rawyaml import MAX_FILE_BYTES, Raw, merge_raw, parse_yaml_text, raw_from_data
from ..questionnaire.schema import Question, Questionnaire, empty_answer
from ..writers import writer
from . import formstate
from .formstate import SOURCE, FormState

ANSWERS_NAME = "antworten.yaml"
ORDER_NAME = "einzelauftrag.yaml"
FRAMEWORK_NAME = "rahmenvertrag.yaml"
MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "eml": "message/rfc822",
    "yaml": "application/yaml; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


def safe_condition(expression: str | None, values: Mapping[str, Any]) -> bool:
    """A question's condition; one that cannot be evaluated yet (an unanswered part) is false,
    as in the terminal interview."""
    if expression is None:
        return True
    try:
        return bool(evaluate_condition(expression, values))
    except Exception:  # noqa: BLE001 - e.g. comparing an unanswered number: not (yet) active
        return False


def decode_upload(data: bytes, name: str, what: str = "Antwortdatei") -> Raw:
    """An uploaded answers file, with the bounds and messages of reading one from disk."""
    if len(data) > MAX_FILE_BYTES:
        raise AnswersError(f"Die {what} {name} ist {len(data):,} Bytes groß; erlaubt sind "
                           f"höchstens {MAX_FILE_BYTES:,} Bytes.".replace(",", "."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AnswersError(f"{name}:{line}: Die {what} ist nicht in UTF-8 kodiert. "
                           "Bitte als UTF-8 speichern.") from None
    return parse_yaml_text(text, name, what)


@dataclass(frozen=True)
class Mode:
    """What the page asks: a contract (with the profile below the form), or an individual order
    under a framework (the framework's answers carried in the form as text)."""

    kind: str                                   # "vertrag" or "auftrag"
    questionnaire: Questionnaire                # what the form shows and validates
    fixed: frozenset[str] = frozenset()         # key paths the form does not show (order)
    lower: Raw | None = None                    # the profile layer (contract)
    profile_where: str = ""
    framework: Answers | None = None
    framework_text: str = ""
    framework_name: str = ""
    start: Raw | None = None                    # start values (order: from the framework)

    def skip(self, path: str) -> bool:
        return any(path == f or path.startswith(f + ".") for f in self.fixed)

    @property
    def answers_name(self) -> str:
        return ORDER_NAME if self.kind == "auftrag" else ANSWERS_NAME


class Workbench:
    """One server run: the library (re-read when its files change), the profile, the clock."""

    def __init__(self, library_path: Path | None = None, *, use_profile: bool = True) -> None:
        self.library_path = library_path
        self.use_profile = use_profile

    def library(self) -> Library:
        return pipeline.load_library(self.library_path)

    def profile(self) -> tuple[Raw | None, str, tuple[Problem, ...]]:
        """The profile layer as `generate` uses it: (raw tree, file, problems reading it)."""
        if not self.use_profile:
            return None, "", ()
        from ..questionnaire.profile import existing_profile, read_profile_raw

        path = existing_profile()
        if path is None:
            return None, "", ()
        try:
            return read_profile_raw(path), str(path), ()
        except AnswersError as error:
            return None, str(path), (Problem("error", error.message, str(path),
                                             code="web.profile"), *error.problems)

    def contract_mode(self) -> tuple[Mode, tuple[Problem, ...]]:
        lower, where, problems = self.profile()
        return Mode("vertrag", self.library().questionnaire, lower=lower,
                    profile_where=where), problems

    def order_mode(self, framework_text: str, name: str = FRAMEWORK_NAME) -> Mode:
        """The order form for the framework answers in `framework_text` (AnswersError if the
        framework itself is invalid)."""
        from ..order import interview_plan, order_questionnaire

        library = self.library()
        framework = self.framework_answers(framework_text, name, library)
        questionnaire, start, fixed = interview_plan(framework, order_questionnaire(library))
        return Mode("auftrag", questionnaire, fixed=frozenset(fixed), framework=framework,
                    framework_text=framework_text, framework_name=name,
                    start=raw_from_data(_plain(start), FRAMEWORK_NAME))

    def framework_answers(self, text: str, name: str, library: Library) -> Answers:
        lower, _, _ = self.profile()
        raw = parse_yaml_text(text, name)
        if lower is not None:
            raw = merge_raw(lower, raw)
        return validate(raw, library.questionnaire, name, evaluate_condition)

    # -- the form's first state ------------------------------------------------------------------
    def initial_state(self, mode: Mode, loaded: Raw | None = None) -> FormState:
        """The profile's values (contract) or the framework's (order), under a loaded file."""
        below = mode.lower if mode.kind == "vertrag" else mode.start
        state = formstate.state_from_raw(below, mode.questionnaire, mode.skip) \
            if below is not None else FormState()
        for question in mode.questionnaire.walk():
            if question.is_group and question.optional_when is not None:
                state.included[question.path] = True   # by default a contract with a project
        if loaded is not None:
            state = formstate.merge_states(
                state, formstate.state_from_raw(loaded, mode.questionnaire, mode.skip))
        return state

    def unplaced(self, mode: Mode, raw: Raw) -> list[Problem]:
        """The problems of a loaded file that no form field can show (unknown keys): the form
        leaves those values out, so the page says so."""
        known = set(mode.questionnaire.paths())
        _, problems, _ = validate_partial(raw, mode.questionnaire, raw.origin or SOURCE,
                                          evaluate_condition)
        return [p for p in problems if p.key and formstate.base_path(p.key) not in known]

    # -- one evaluation of the form -------------------------------------------------------------
    def evaluate(self, mode: Mode, state: FormState) -> Evaluation:
        library = self.library()
        today = pipeline.clock_today()
        questionnaire = mode.questionnaire
        values, problems, locations, applies = self._validate(mode, state)
        errors = [p for p in problems if p.level == "error"]
        result = Evaluation(mode=mode, state=state, values=values, problems=problems,
                            locations=locations, optional_applies=applies,
                            visible=visibility(questionnaire, values, mode.skip))
        result.from_lower = {path for path, where in locations.items()
                             if mode.profile_where and _file(where) == mode.profile_where}
        if not errors:
            result.answers_yaml = self.answers_file(mode, values, today)
            try:
                document, answers = self._build(mode, result.answers_yaml, library, today)
            except ContractgenError as error:
                result.problems = (*problems, *(error.problems or (
                    Problem("error", error.message, SOURCE, code="web.build"),)))
                result.answers_yaml = None
            else:
                result.document = document
                result.risks = pipeline.risk_warnings(answers, today=today)
                result.problems = (*problems, *answers.warnings)
                return result
        result.document, result.preview_error = self._draft(mode, values, library, today)
        result.draft = True
        return result

    def _validate(self, mode: Mode, state: FormState,
                  ) -> tuple[dict[str, Any], tuple[Problem, ...], dict[str, Any], dict[str, bool]]:
        """Validate the form over its lower layer. An optional section whose `optional_when`
        does not hold is required, so it is in whatever its checkbox says (two passes: the
        condition reads the answers)."""
        questionnaire = mode.questionnaire

        def run(include: Callable[[Question, str], bool]) -> Any:
            raw = formstate.raw_from_state(state, questionnaire, include)
            if mode.lower is not None:
                raw = merge_raw(mode.lower, raw)
            return validate_partial(raw, questionnaire, SOURCE, evaluate_condition)

        first = run(lambda q, name: state.included.get(name, False) or q.optional_when is not None)
        applies = optional_applies(questionnaire, first[0])
        conditional = [q.path for q in questionnaire.walk()
                       if q.is_group and q.optional_when is not None]
        if all(applies.get(path, True) is False or state.included.get(path, False)
               for path in conditional):
            return (*first, applies)
        second = run(lambda q, name: state.included.get(name, False) or not applies.get(name, True))
        return (*second, optional_applies(questionnaire, second[0]))

    def answers_file(self, mode: Mode, values: Mapping[str, Any], today: dt.date) -> str:
        """The answers as the file `contractgen generate` (or `auftrag`) reads."""
        if mode.kind == "auftrag":
            kept = {k: v for k, v in values.items() if k not in mode.fixed}
            return dump_answers(kept, mode.questionnaire, header=(
                f"Einzelauftrag zum Rahmenvertrag {mode.framework_name}, erstellt mit "
                f"„contractgen web“ am {today:%d.%m.%Y}.",
                f"Erzeugen: contractgen auftrag {mode.framework_name} {ORDER_NAME}",
            ))
        return dump_answers(values, mode.questionnaire, header=(
            f"Antworten für contractgen, erstellt mit „contractgen web“ am {today:%d.%m.%Y}.",
            f"Vertrag erzeugen: contractgen generate {ANSWERS_NAME}",
            f"Prüfen:           contractgen check {ANSWERS_NAME}",
        ))

    def _build(self, mode: Mode, answers_yaml: str, library: Library,
               today: dt.date) -> tuple[Document, Answers]:
        """Read the answers file back as `generate` / `auftrag` would, and build the document."""
        raw = parse_yaml_text(answers_yaml, mode.answers_name)
        if mode.kind == "auftrag":
            from ..order import build_order, order_questionnaire

            assert mode.framework is not None
            order = validate(raw, order_questionnaire(library), mode.answers_name,
                             evaluate_condition)
            return build_order(library, mode.framework, order, today=today), order
        if mode.lower is not None:
            raw = merge_raw(mode.lower, raw)
        answers = validate(raw, library.questionnaire, mode.answers_name, evaluate_condition)
        return pipeline.build_document(library, answers, today=today), answers

    def _draft(self, mode: Mode, values: dict[str, Any], library: Library,
               today: dt.date) -> tuple[Document | None, str | None]:
        """A preview while answers are missing: placeholders (as in the clause catalogue) for
        every missing or invalid required answer."""
        filled = fill_placeholders(mode.questionnaire, values)
        answers = Answers(values=filled, source=SOURCE)
        try:
            if mode.kind == "auftrag":
                from ..order import build_order

                assert mode.framework is not None
                return build_order(library, mode.framework, answers, today=today), None
            return pipeline.build_document(library, answers, today=today), None
        except ContractgenError as error:
            details = "; ".join(p.message for p in error.problems[:3])
            return None, error.message + (f" ({details})" if details else "")
        except (KeyError, TypeError, ValueError, AttributeError):
            return None, "Die Vorschau entsteht, sobald die Pflichtangaben gemacht sind."

    # -- outputs ----------------------------------------------------------------------------
    def render(self, evaluation: Evaluation, fmt: str) -> tuple[bytes, str]:
        """(data, file name) of a download (a writer of the registry, or the answers file);
        only for complete answers."""
        assert evaluation.document is not None and not evaluation.draft
        document = evaluation.document
        if fmt == "yaml":
            assert evaluation.answers_yaml is not None
            return evaluation.answers_yaml.encode("utf-8"), evaluation.mode.answers_name
        spec = writer(fmt)
        data = pipeline.render_document(document, spec, library=self.library(),
                                        sent=pipeline.clock_now())
        return data, pipeline.default_file_name(document, spec.suffix)


@dataclass
class Evaluation:
    """The form's answers checked, and what the page shows for them."""

    mode: Mode
    state: FormState
    values: dict[str, Any]
    problems: tuple[Problem, ...]
    locations: dict[str, Any]
    optional_applies: dict[str, bool]
    visible: dict[str, bool]
    risks: tuple[Problem, ...] = ()
    answers_yaml: str | None = None
    document: Document | None = None
    draft: bool = False
    preview_error: str | None = None
    from_lower: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def complete(self) -> bool:
        return not self.draft and self.document is not None


def _file(where: Any) -> str:
    """The file of an answer's location (a Location, or "file:line" text)."""
    if hasattr(where, "file"):
        return str(where.file)
    return str(where).rsplit(":", 1)[0] if str(where).rpartition(":")[2].isdigit() else str(where)


def visibility(questionnaire: Questionnaire, values: Mapping[str, Any],
               skip: Callable[[str], bool]) -> dict[str, bool]:
    """Every question path -> shown: its parents shown and its own condition true."""
    shown: dict[str, bool] = {}

    def walk(questions: tuple[Question, ...], parent: bool) -> None:
        for q in questions:
            on = parent and not skip(q.path) and safe_condition(q.when, values)
            shown[q.path] = on
            walk(q.fields, on)

    walk(questionnaire.questions, True)
    return shown


def optional_applies(questionnaire: Questionnaire, values: Mapping[str, Any]) -> dict[str, bool]:
    """Optional section path -> may be left out here (its `optional_when` holds, or none)."""
    return {q.path: q.optional_when is None or safe_condition(q.optional_when, values)
            for q in questionnaire.walk() if q.is_group and q.optional}


def fill_placeholders(questionnaire: Questionnaire, values: Mapping[str, Any]) -> dict[str, Any]:
    """Values with every missing required answer of an active question replaced by an example
    (free text as „[Bezeichnung]“), for the draft preview only."""
    from ..lint.space import example

    root = _copy(values)

    def fill(questions: tuple[Question, ...], container: dict[str, Any]) -> None:
        for q in questions:
            if not safe_condition(q.when, root):
                continue
            value = container.get(q.key)
            if q.is_group:
                if value is None:
                    if q.optional and (q.optional_when is None
                                       or safe_condition(q.optional_when, root)):
                        continue
                    value = empty_answer(replace(q, optional=False))
                    container[q.key] = value
                fill(q.fields, value)
            elif q.is_group_list:
                for item in value or []:
                    fill(q.fields, item)
            elif q.is_text_list:
                if len(value or []) < q.min_items:
                    container[q.key] = [*(value or []), *example(q)][: max(q.min_items, 1)]
            elif value is None and (q.required or q.default is not None):
                # a default too: a section switched on by a placeholder above it (vertragstyp)
                # was validated as inactive and holds no defaults yet
                container[q.key] = example(q)

    fill(questionnaire.questions, root)
    filled: dict[str, Any] = root
    return filled


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    from ..questionnaire.prompting import plain

    return plain(value)


def preview_html(document: Document, library: Library) -> str:
    """The contract as the HTML writer writes it (a self-contained page with inline styles)."""
    return pipeline.render_document(document, "html", library=library).decode("utf-8")


def email_text(document: Document, library: Library) -> str:
    return pipeline.render_document(document, "text", library=library).decode("utf-8")


def pdf_available() -> bool:
    import shutil

    return bool(shutil.which("soffice") or shutil.which("libreoffice"))
