"""The shape of the code: no import circles (lazy imports included), imports run one way through
the layers, and every command has a help text and a section in the README."""

import re
import sys

import pytest
from conftest import ROOT
from typer.testing import CliRunner

sys.path.insert(0, str(ROOT / "tools"))
import import_graph  # noqa: E402

from contractgen.cli import app  # noqa: E402

# the layers, highest first; an import may go to its own layer or a lower one, never up
LAYERS: list[tuple[str, ...]] = [
    ("contractgen", "__main__", "cli", "cli_common", "cli_followup", "cli_library",
     "cli_questionnaire", "cli_web", "cli_german", "cli_beispiele"),
    ("web", "workflows"),
    ("api",),
    ("pipeline", "batch", "provenance"),
    ("lint", "followup", "order"),
    ("render",),
    ("library", "questionnaire"),
    ("writers",),
    ("model", "terms", "templating", "formatting", "errors", "_version", "clock", "output",
     "cache", "limits", "yamlload", "statutes", "deadlines",
     # issue 15's leaf modules: e-mail headers, ZIP reading, library files, terminal output,
     # invisible characters, the cache's data format, batch temporary files
     "mailheaders", "zipsafe", "libfiles", "terminal", "invisible", "cachedata", "batchtemp",
     # the samples shipped in the package (issue 14): files only
     "beispiele",
     # issue 12's leaf modules: countries (codes, EU, postcodes, address order), VAT IDs
     "countries", "vatid",
     # the value at a dotted key path in nested answers
     "paths"),
]


def layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "contractgen"
    return next(i for i, names in enumerate(LAYERS) if top in names)


@pytest.fixture(scope="module")
def graph():
    return import_graph.graph()


def test_there_are_no_import_circles(graph):
    assert import_graph.circles(graph) == []


def test_imports_run_down_the_layers(graph):
    upward = [f"{name} -> {target}" for name, targets in graph.items() for target in targets
              if layer(target) < layer(name)]
    assert upward == []


def test_writers_see_only_the_model(graph):
    allowed = ("contractgen.model", "contractgen.writers", "contractgen.errors",
               "contractgen._version", "contractgen.cache", "contractgen.mailheaders",
               "contractgen.zipsafe")
    wider = [f"{name} -> {target}" for name, targets in graph.items()
             if name.startswith("contractgen.writers") for target in targets
             if not target.startswith(allowed)]
    assert wider == []


def test_the_library_never_imports_render(graph):
    assert [t for n, ts in graph.items() if n.startswith("contractgen.library") for t in ts
            if t.startswith("contractgen.render")] == []


def commands():
    """(name as typed, click command) for every command, sub-commands included."""
    import typer.main

    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            for sub_name, sub_command in sub.items():
                yield f"{name} {sub_name}", sub_command
        else:
            yield name, command


def test_every_command_has_help_and_a_readme_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = list(commands())
    assert len(found) >= 15
    runner = CliRunner()
    for name, command in found:
        assert (command.help or "").strip(), f"{name}: kein Hilfetext"
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0 and len(result.output) > 100, name
        assert re.search(rf"contractgen {re.escape(name)}\b", readme), \
            f"README.md erklärt „contractgen {name}“ nicht"
