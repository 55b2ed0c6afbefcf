"""Parsing admin command arguments: ``ID key=value key="value with spaces" source=URL``."""

from __future__ import annotations

import shlex


def key_values(args: str | None) -> tuple[list[str], dict[str, str]]:
    """Positional words and ``key=value`` pairs of a command's arguments.

    Raises ValueError on unbalanced quotes.
    """
    words, pairs = [], {}
    for token in shlex.split(args or ""):
        name, sep, value = token.partition("=")
        if sep and name.isidentifier():
            pairs[name.lower()] = value.strip()
        else:
            words.append(token)
    return words, pairs
