"""Admin command arguments (``ID key=value key="value with spaces" source=URL``), and the
answer when the change they ask for is refused."""

from __future__ import annotations

import shlex
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.faq.entries import ContentError


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


def not_saved(exc: ContentError) -> str:
    """Why a change was refused, in the admin's language, as Telegram HTML."""
    return escape(_("Not saved: {field}: {problem}").format(field=exc.field_name, problem=exc.translated(_)))
