"""The clause library: reading library.yaml, the questionnaire and the clause files (one reader),
loading with a disk cache, compiled templates beside the library, and selecting clauses."""

from .loader import default_library_path, load_library
from .model import Clause, Library
from .selection import evaluate_condition, select_clauses

__all__ = ["Clause", "Library", "default_library_path", "load_library", "evaluate_condition",
           "select_clauses"]
