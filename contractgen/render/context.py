"""What every template sees: the answers plus the values derived from them (terms/derived.py),
with the library's words for the units and fee models, and the parties' designations (AN, AG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from ..formatting import locale_of
from ..library import Library
from ..model.designation import designation_context
from ..questionnaire.answers import Answers
from ..templating import LOCALE_KEY, WORDING_KEY
from ..terms import Vocabulary, derived_values
from ..terms.derived import acceptance_deadline
from ..terms.fees import MODEL_KEY


def vocabulary(library: Library) -> Vocabulary:
    """The words of `library` that derived values use."""
    question = library.questionnaire.question(MODEL_KEY.split(".")[0])
    model = question.field(MODEL_KEY.split(".")[1]) if question is not None else None
    labels = dict(model.choices) if model is not None else {}
    labels.update(dict(library.wording.fee_labels))   # an edition names them in its language
    questionnaire = library.questionnaire
    chooser = next((q for q in questionnaire.questions if q.profiles), None)
    return Vocabulary(units=dict(library.wording.units), fee_labels=labels,
                      professions={p.id: p.template_value() for p in questionnaire.professions},
                      default_profession=chooser.default if chooser is not None else None)


def template_context(library: Library, answers: Answers | Mapping[str, Any], *,
                     today: dt.date | None = None) -> dict[str, Any]:
    """The answers plus derived flags and amounts; this is what every template sees. `today`
    (the document's date) gives an offer's default acceptance period (`annahme_bis`)."""
    values = answers.values if isinstance(answers, Answers) else answers
    context: dict[str, Any] = dict(values)
    context.update(derived_values(values, vocabulary(library)))
    context["annahme_bis"] = acceptance_deadline(values.get("angebot_gueltig_bis"), today)
    # AN and AG: how the parties are named (library.yaml bezeichnungen, the answers' choice)
    context.update(designation_context(library.designations, values))
    # what the formatting filters read: the document's locale and the library's words
    context[LOCALE_KEY] = locale_of(library.language)
    context[WORDING_KEY] = library.wording
    return context
