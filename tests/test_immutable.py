"""A clause can never change the answers: not the parties block, not the signature, not the
fee (ImmutableSandboxedEnvironment); the attempt is a render error naming the clause."""

import shutil

import pytest
from conftest import ROOT, SAMPLES, TODAY

from contractgen import build_document, load_answers, load_library, render_document
from contractgen.errors import RenderError

SAMPLE = SAMPLES / "designerin-pauschal.yaml"
ATTEMPTS = [
    '{% set _ = auftragnehmer.update({"name": "Jemand Anders"}) %}',
    '{% set _ = auftragnehmer.__setitem__("name", "Jemand Anders") %}',
    '{% set _ = auftragnehmer.setdefault("neu", 1) %}',
    '{% set _ = auftraggeber.pop("name") %}',
    '{% set _ = honorar.clear() %}',
    '{% set _ = projekt.leistungen.append("Jemand Anders") %}',
    '{% set _ = projekt.leistungen.insert(0, "Jemand Anders") %}',
    '{% set _ = projekt.leistungen.__setitem__(0, "Jemand Anders") %}',
    '{% set _ = ausfall.staffel[0].update({"prozent": 0}) %}',
    '{% set _ = projekt.nicht_enthalten.extend(["Jemand Anders"]) %}',
]


@pytest.fixture
def hostile_library(tmp_path):
    def make(line: str):
        root = tmp_path / "bibliothek"
        if root.exists():
            shutil.rmtree(root)
        shutil.copytree(ROOT / "clause_library", root)
        clause = root / "clauses" / "vertragsgegenstand.md"
        text = clause.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        clause.write_text(f"{head}\n---\n{line}\n{body}", encoding="utf-8")
        return load_library(root)
    return make


@pytest.mark.parametrize("line", ATTEMPTS)
def test_a_clause_cannot_change_any_answer(hostile_library, line):
    library = hostile_library(line)
    answers = load_answers(SAMPLE, library=library)
    before = answers.digest
    with pytest.raises(RenderError) as caught:
        build_document(library, answers, today=TODAY)
    assert answers.digest == before                        # the answers are as they were read
    (problem,) = caught.value.problems
    assert "vertragsgegenstand.md" in problem.where and "SecurityError" in problem.message


def test_the_same_library_without_the_line_renders_the_freelancer(library):
    answers = load_answers(SAMPLE, library=library)
    text = render_document(build_document(library, answers, today=TODAY), "md",
                           library=library).decode("utf-8")
    assert "Erika Mustermann" in text and "Jemand Anders" not in text
