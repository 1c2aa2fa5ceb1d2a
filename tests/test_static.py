"""Lint and type checks run with the tests, so CI enforces them (ruff, mypy from the test extra)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def tool(name: str) -> list[str]:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.skip(f"{name} ist nicht installiert (pip install '.[test]')")
    return [found]


def test_ruff():
    result = subprocess.run([*tool("ruff"), "check", "contractgen", "tests", "tools", "benchmarks"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict():
    # strict also in pyproject.toml; named here so that CI enforces it whatever the config says
    result = subprocess.run([*tool("mypy"), "--strict", "contractgen"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_default_library_ships_with_the_package():
    from contractgen.library import default_library_path

    path = default_library_path()
    assert (path / "library.yaml").is_file()
    assert (path / "reference.docx").is_file()
    assert any((path / "clauses").glob("*.md"))
