"""The engagement terms as typed declarations: fee models (fees.py), term and notice
(duration.py) and the values derived from the answers (derived.py).

This package is the domain's one home: other modules ask it instead of comparing answer values
with strings. It imports nothing else of contractgen, so every layer may use it.
"""

from .derived import (
    DERIVED,
    DERIVED_SOURCES,
    DERIVED_WORDS,
    FLAGS,
    VAT_RATE,
    Derived,
    Vocabulary,
    condition_scope,
    derived_values,
    fee_amounts,
)
from .duration import TERM_TYPES, Notice, TermType, notice_period, term_type_of
from .fees import FEE_MODELS, FLAG_WORDS, Appointment, FeeModel, fee_model, fee_model_of, owner_flag

__all__ = [
    "DERIVED", "DERIVED_SOURCES", "DERIVED_WORDS", "FEE_MODELS", "FLAGS", "FLAG_WORDS",
    "TERM_TYPES", "VAT_RATE", "Appointment", "Derived", "FeeModel", "Notice", "TermType",
    "Vocabulary", "condition_scope", "derived_values", "fee_amounts", "fee_model", "fee_model_of",
    "notice_period", "owner_flag", "term_type_of",
]
