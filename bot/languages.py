"""The languages Saylau speaks."""

from __future__ import annotations

from typing import Literal, get_args

Lang = Literal["kk", "ru", "id"]
LANGS: tuple[Lang, ...] = get_args(Lang)
DEFAULT_LANG: Lang = "kk"

# How each language names itself, for the language buttons.
NATIVE_NAMES: dict[Lang, str] = {"kk": "Қазақша", "ru": "Русский", "id": "Bahasa Indonesia"}


def as_lang(code: str | None) -> Lang | None:
    """Map a Telegram ``language_code`` (e.g. ``ru-RU``, ``kz``) to a supported language."""
    if not code:
        return None
    base = code.lower().replace("_", "-").split("-")[0]
    base = {"kz": "kk", "in": "id"}.get(base, base)
    return base if base in LANGS else None  # type: ignore[return-value]
