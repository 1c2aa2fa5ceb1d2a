"""The sample answers files that ship inside the package (`contractgen beispiele`).

In the repository they live in `samples/`; the wheel carries them as `contractgen/samples`
(pyproject.toml), so the README's commands work after `pip install` without the repository:
`contractgen beispiele alle -o samples` copies them out under the names the README uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import OutputError, UsageError

ALL = "alle"


def samples_dir() -> Path:
    """The samples: inside the installed package, else in the source checkout."""
    package = Path(__file__).resolve().parent
    installed = package / "samples"
    if installed.is_dir():
        return installed
    return package.parent / "samples"


@dataclass(frozen=True)
class Sample:
    name: str             # "designerin-pauschal", "einzelauftraege/einzelauftrag-1"
    path: Path
    description: str      # the file's opening comment, without its example commands


def list_samples() -> list[Sample]:
    """Every sample, sorted by name (the orders of a framework agreement in their folder)."""
    root = samples_dir()
    found = [Sample(path.relative_to(root).with_suffix("").as_posix(), path, _description(path))
             for path in root.rglob("*.yaml")]
    return sorted(found, key=lambda s: (s.name.count("/"), s.name))


def find_sample(name: str) -> Sample:
    """A sample by its name (with or without .yaml); UsageError (exit 2) naming the others."""
    wanted = name.removesuffix(".yaml").removeprefix("samples/")
    samples = list_samples()
    for sample in samples:
        if sample.name == wanted:
            return sample
    raise UsageError(f"Das Beispiel {name!r} gibt es nicht. Es gibt: "
                     + ", ".join(s.name for s in samples) + f" (oder {ALL}).")


def copy_samples(name: str, target: Path, *, force: bool = False) -> list[Path]:
    """Copy one sample (or `alle`) into the folder `target` (made when missing), keeping its
    sub-folder; never over an existing file without `force`. The paths written."""
    from .output import describe_os_error, write_atomic

    chosen = list_samples() if name == ALL else [find_sample(name)]
    if not force:   # refuse before anything is written: all or nothing
        present = [target / f"{s.name}.yaml" for s in chosen if (target / f"{s.name}.yaml").exists()]
        if present:
            raise OutputError(f"{present[0]} gibt es schon. Mit --force wird die Datei ersetzt.")
    written = []
    for sample in chosen:
        destination = target / f"{sample.name}.yaml"
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise OutputError(f"Das Verzeichnis {destination.parent} lässt sich nicht anlegen: "
                              f"{describe_os_error(error)}.") from None
        write_atomic(destination, sample.path.read_bytes(), force=force)
        written.append(destination)
    return written


def _description(path: Path) -> str:
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        text = line.lstrip("#").strip()
        if text.startswith(("contractgen ", "Einzelaufträge dazu")) or not text:
            break
        lines.append(text)
    return " ".join(lines)
