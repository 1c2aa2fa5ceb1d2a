"""Files with a YAML head between two `---` lines and a Jinja body (clauses, mail templates)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem
from ..yamlload import YAML_LOADER, yaml_problem


@dataclass(frozen=True)
class FrontMatter:
    meta: dict[str, Any]
    key_lines: dict[str, int]     # file line of each key of the head
    node: Any                     # the head's YAML node (marks for finer positions)
    body: str
    body_line: int                # file line of the body's first line
    raw: bytes                    # the file as read (for content hashes)


def read_front_matter(path: Path, allowed_keys: Collection[str],
                      problems: list[Problem]) -> FrontMatter | None:
    """Split and parse one file; problems (with file:line) go to `problems`, None if unusable."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem("error", f"Datei nicht lesbar: {exc}", str(path),
                                code="library.yaml-syntax"))
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem("error", "Die Datei muss mit einem Kopf zwischen zwei Zeilen "
                                "„---“ beginnen.", f"{path}:1", code="library.yaml-syntax"))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem("error", "Der Kopf wird nicht mit „---“ abgeschlossen.", f"{path}:1",
                                code="library.yaml-syntax"))
        return None
    header = "\n".join(lines[1:end])
    try:
        node = yaml.compose(header, Loader=YAML_LOADER)
        meta = yaml.load(header, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        number, problem = yaml_problem(exc, header)
        line = number + 1 if number is not None else 1
        problems.append(Problem("error", f"YAML-Fehler im Kopf: {problem}", f"{path}:{line}",
                                code="library.yaml-syntax"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem("error", "Der Kopf muss Schlüssel: Wert-Paare enthalten.", f"{path}:2",
                                code="library.yaml-syntax"))
        return None
    key_lines = {k.value: k.start_mark.line + 2 for k, _ in node.value} if node else {}
    for key in meta:
        if key not in allowed_keys:
            problems.append(Problem("error", f"unbekannter Schlüssel {key!r} im Kopf (erlaubt: "
                                    f"{', '.join(sorted(allowed_keys))}).",
                                    f"{path}:{key_lines.get(key, 2)}", str(meta.get("id", "")),
                                    code="library.unknown-key"))
    return FrontMatter(meta=meta, key_lines=key_lines, node=node, body="\n".join(lines[end + 1:]),
                       body_line=end + 2, raw=raw)
