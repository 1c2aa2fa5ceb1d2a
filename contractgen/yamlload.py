"""The YAML parser every reader uses: libyaml's when PyYAML was built with it (about ten times
faster than the pure-Python one, with the same node marks for line numbers)."""

from __future__ import annotations

import yaml

YAML_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
