"""The value at a dotted key path ("auftraggeber.art") in nested answers; None where a part is
missing or not a mapping. One definition for the questionnaire, the terms and the lint."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def value_at(values: Mapping[str, Any], path: str) -> Any:
    node: Any = values
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node
