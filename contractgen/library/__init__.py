"""The clause library: loading clause files, library.yaml and the questionnaire; selecting clauses."""

from .loader import Clause, Library, default_library_path, load_library
from .selection import evaluate_condition, select_clauses

__all__ = ["Clause", "Library", "default_library_path", "load_library", "evaluate_condition",
           "select_clauses"]
