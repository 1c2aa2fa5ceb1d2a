"""What `contractgen new --auftrag RAHMEN` asks: the order questionnaire as the framework and its
fee model (terms/fees.py) leave it, and where the answers start."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from ..questionnaire.answers import Answers
from ..questionnaire.schema import Question, Questionnaire
from ..terms import FEE_MODELS, fee_model_of, owner_flag


def interview_plan(framework: Answers, questionnaire: Questionnaire,
                   ) -> tuple[Questionnaire, dict[str, Any], set[str]]:
    """What the order interview asks: the questionnaire (what every order of this fee model
    must state is required), the starting values taken from the framework, and the key paths
    not asked because the framework or its fee model fixes them."""
    fw = framework.values
    allowed = fw.get("einzelauftraege") or {}
    model = fee_model_of(fw)
    flags = model.flags if model is not None else frozenset()
    fixed = {"honorar.modell", "auftraggeber"}
    # how the order is concluded matters only for consumers (its own withdrawal right, C1)
    if (fw.get("auftraggeber") or {}).get("art") != "verbraucher":
        fixed |= {"vertragsschluss", "digitales_produkt", "datentraeger_zustimmung"}
    if not allowed.get("honorar_abweichend"):
        fixed.add("honorar.stundensatz_zusatz")
        if model is not None and model.order_rate_from_framework:
            fixed.add("honorar.betrag")
    if not allowed.get("zahlungsziel_abweichend"):
        fixed.add("zahlung")
    if not allowed.get("ausfall_abweichend"):
        fixed.add("ausfall")
    # what only other fee models let an order state is not asked
    fixed |= {own for other in FEE_MODELS for own in other.order_own
              if owner_flag(own) not in flags}
    required = set(model.order_requires) if model is not None else set()

    def adjust(q: Question) -> Question:
        if q.path in required:
            return replace(q, required=True)
        if q.path == "nutzungsrechte.art" and fw.get("nutzungsrechte") \
                and not allowed.get("nutzungsrechte_abweichend"):
            return replace(q, choices=tuple(
                c for c in q.choices if c[0] == fw["nutzungsrechte"]["art"]))
        return replace(q, fields=tuple(adjust(f) for f in q.fields))

    adjusted = Questionnaire(tuple(adjust(q) for q in questionnaire.questions),
                             questionnaire.source)
    start: dict[str, Any] = {"vertragstyp": fw.get("vertragstyp")}
    for path in model.order_inherits if model is not None else ():
        section, key = path.split(".", 1)
        source = fw.get(section)
        start.setdefault(section, {})[key] = (source.get(key) if isinstance(source, Mapping)
                                              else None)
    if fw.get("nutzungsrechte"):
        rights = fw["nutzungsrechte"]
        start["nutzungsrechte"] = {"art": rights.get("art"), "gebiet": rights.get("gebiet"),
                                   "dauer": rights.get("dauer")}
    return adjusted, start, fixed
