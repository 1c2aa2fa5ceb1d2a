from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2027, 1, 10)
SENT = dt.datetime(2027, 1, 10, 9, 30, tzinfo=dt.timezone.utc)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Golden-Dateien neu schreiben (danach den Diff lesen!)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True, scope="session")
def isolated_cache_dir(tmp_path_factory: pytest.TempPathFactory):
    """The template and library caches of the test run live in a temporary directory
    (subprocesses inherit the variable), never in the user's own cache."""
    cache = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("CONTRACTGEN_CACHE_DIR")
    os.environ["CONTRACTGEN_CACHE_DIR"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("CONTRACTGEN_CACHE_DIR", None)
    else:
        os.environ["CONTRACTGEN_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def isolated_config_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test gets an empty config directory, so a real profile on this machine
    (~/.config/contractgen/profil.yaml) can never change a test result."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CONTRACTGEN_CONFIG_DIR", str(config))
    return config


@pytest.fixture(scope="session")
def library():
    from contractgen import load_library

    return load_library(ROOT / "clause_library")


@pytest.fixture
def write_answers(tmp_path: Path):
    """Write an answers file (sample text with replacements) into tmp_path."""

    def write(text: str, name: str = "antworten.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    found = soffice()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) fehlt in CI: .ci/run muss es installieren")
        pytest.skip("LibreOffice ist nicht installiert")
    return found


def check_golden(path: Path, actual: str, update: bool) -> None:
    if update:
        path.write_text(actual, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"Golden-Datei {path.name} fehlt: mit --update-golden anlegen und prüfen")
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"{path.name} weicht ab; nach Prüfung mit --update-golden übernehmen")


# Hypothesis: "ci" runs with every test run; `pytest --hypothesis-profile=long` for the long run
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=3000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
