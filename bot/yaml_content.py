"""Reading YAML content (the project's files and admins' uploads) fast and safely.

libyaml when PyYAML has it; the safe loader's rules, and before anything is built: no aliases
(a YAML "billion laughs" of under 1 KB expands to gigabytes), nesting no deeper than
``MAX_DEPTH`` (deeper would end in RecursionError), and a size limit.
"""

from __future__ import annotations

from typing import Any

import yaml

from bot.i18n import N_

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # same rules as safe_load, ten times faster
MAX_DEPTH = 32  # content is a list of mappings of lists at most a few levels deep
MAX_CHARS = 5_000_000


class YamlRefused(yaml.YAMLError):
    """The YAML is well-formed but uses what content never needs (aliases, deep nesting).

    ``template`` is an untranslated message ID with ``values``, for a reply in the admin's
    language."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


def _check(text: str) -> None:
    """Refuse aliases, deep nesting and oversize text by reading the event stream, which costs
    time linear in the text and builds nothing."""
    if len(text) > MAX_CHARS:
        raise YamlRefused(N_("longer than {n} characters"), n=MAX_CHARS)
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else "?"
            raise YamlRefused(N_("line {line}: aliases (*name) are not allowed"), line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise YamlRefused(N_("line {line}: nested deeper than {n} levels"), line=line, n=MAX_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(text: str) -> Any:
    """Parse one YAML document safely (raises yaml.YAMLError, YamlRefused included)."""
    _check(text)
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader


def load_yaml_all(text: str) -> list[Any]:
    """Parse every document of a YAML stream safely (raises yaml.YAMLError)."""
    _check(text)
    return list(yaml.load_all(text, Loader=_Loader))
