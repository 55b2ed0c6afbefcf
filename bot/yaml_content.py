"""Reading the project's own YAML content files fast (libyaml when PyYAML has it)."""

from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same rules as safe_load, ten times faster


def load_yaml(text: str) -> Any:
    """Parse one YAML document with the safe loader (raises yaml.YAMLError)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
