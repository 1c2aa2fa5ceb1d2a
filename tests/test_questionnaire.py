"""`contractgen questions`: the commented template validates once filled; --json lists every question."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import yaml
from conftest import SAMPLES, TODAY
from typer.testing import CliRunner

from contractgen import build_document, load_answers, render_document
from contractgen.cli import app
from contractgen.errors import AnswersError

runner = CliRunner()
_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<comment># )?(?P<key>[a-z_]+):(?P<rest>.*)$")


def flatten(data, prefix=""):
    out = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(flatten(value, path + "."))
        elif isinstance(value, dt.date):
            out[path] = value.isoformat()
        else:
            out[path] = json.dumps(value, ensure_ascii=False, default=str)
    return out


def fill(template: str, values: dict[str, str]) -> str:
    """Put values behind the template's keys (uncommenting optional sections that get values)."""
    lines = template.splitlines()
    stack: list[str] = []
    paths = []
    for line in lines:
        match = _KEY_LINE.match(line)
        if not match:
            paths.append(None)
            continue
        depth = len(match["indent"]) // 2
        stack[depth:] = [match["key"]]
        paths.append(".".join(stack))
    out = []
    for line, path in zip(lines, paths, strict=True):
        if path is None:
            out.append(line)
            continue
        match = _KEY_LINE.match(line)
        used = path in values or any(k.startswith(path + ".") for k in values)
        if path in values:
            out.append(f"{match['indent']}{match['key']}: {values[path]}")
        elif used and match["comment"]:
            out.append(f"{match['indent']}{match['key']}:")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def markdown(library, path):
    answers = load_answers(path, library=library)
    return render_document(build_document(library, answers, today=TODAY), "md",
                           library=library).decode("utf-8")


def test_template_lists_every_key(library):
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0
    template = result.stdout
    for question in library.questionnaire.walk():
        assert re.search(rf"^ *(#\s+)?{question.key}:", template, re.M), question.path
        assert question.label in template
    assert "#   pauschal: Pauschalhonorar" in template
    assert "kuendigung:\n  # Kündigungsfrist in Wochen" in template
    assert "ziel_tage: 14" in template                                   # default
    assert "nur wenn Honorarmodell „Pauschalhonorar“" in template         # condition in words
    assert 'nur wenn vertragsart == "rahmenvertrag"' in template          # condition as written


@pytest.mark.parametrize("sample", sorted(p.stem for p in SAMPLES.glob("*.yaml")))
def test_filled_template_validates_and_generates_the_sample(library, write_answers, sample):
    template = runner.invoke(app, ["questions"]).stdout
    values = flatten(yaml.safe_load((SAMPLES / f"{sample}.yaml").read_text(encoding="utf-8")))
    path = write_answers(fill(template, values))
    answers = load_answers(path, library=library)
    assert answers.warnings == ()
    assert markdown(library, path) == markdown(library, SAMPLES / f"{sample}.yaml")


def test_unfilled_template_reports_every_required_key(library, write_answers):
    path = write_answers(runner.invoke(app, ["questions"]).stdout)
    with pytest.raises(AnswersError) as info:
        load_answers(path, library=library)
    keys = {p.key for p in info.value.problems}
    assert {"vertragsart", "auftragnehmer.name", "auftraggeber.art", "projekt.leistungen",
            "honorar.betrag", "vertragstyp"} <= keys


def test_json_lists_every_question_with_its_condition(library):
    result = runner.invoke(app, ["questions", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)

    def walk(items):
        for item in items:
            yield item
            yield from walk(item.get("fields", []))

    found = {item["key"]: item for item in walk(data["questions"])}
    assert set(found) == set(library.questionnaire.paths())
    assert all("when" in item and "label" in item and "type" in item for item in found.values())
    assert found["korrekturen"]["when"] == "pauschal"
    derived = {item["name"]: item["when"] for item in data["derived"]}
    assert derived["pauschal"] == 'honorar.modell in ["pauschal"]'
    assert found["honorar.modell"]["choices"][0] == {"value": "pauschal",
                                                     "label": "Pauschalhonorar"}
    assert found["kuendigung.frist_wochen"]["default"] == 4
    assert found["zahlung.ziel_tage"]["max"] == 90
    assert found["auftragnehmer.iban"]["type"] == "iban"


def test_every_sample_key_is_a_question(library):
    paths = set(library.questionnaire.paths())
    for sample in SAMPLES.glob("*.yaml"):
        keys = flatten(yaml.safe_load(sample.read_text(encoding="utf-8")))
        assert set(keys) <= paths, sample.name
