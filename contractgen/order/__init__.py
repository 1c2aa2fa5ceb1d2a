"""Individual orders (Einzelaufträge) under a framework agreement (Rahmenvertrag).

The order's answers file has its own small questionnaire (clause_library/einzelauftrag/
fragebogen.yaml), validated like any answers file (library.py). It is then checked against the
framework (conflicts.py): terms the framework fixes (rates, payment term, cancellation tiers,
kind of usage rights, consumer or business) may be repeated but not contradicted, unless the
framework's answers say under `einzelauftraege` that orders may differ. Everything not in the
order is inherited (terms.py). What a fee model lets an order state or inherit is declared in
contractgen/terms/fees.py. `contractgen new --auftrag` asks by interview.py's plan.
"""

from ..library.reader import ORDER_DIR
from .build import build_order, load_order_answers, load_order_library, order_questionnaire
from .conflicts import FIXED_TERMS, FixedTerm, check_against_framework
from .interview import interview_plan
from .terms import effective_terms, order_context

__all__ = ["FIXED_TERMS", "ORDER_DIR", "FixedTerm", "build_order", "check_against_framework",
           "effective_terms", "interview_plan", "load_order_answers", "load_order_library",
           "order_context", "order_questionnaire"]
