"""A small inline-keyboard builder with the calls the handlers use (button, adjust, as_markup).

aiogram's InlineKeyboardBuilder deep-copies the whole keyboard on every button it adds; for the
countries keyboard that was 20-30 ms an update (benchmarks/bench_dispatch.py). This one builds
the markup once, from the buttons as given.
"""

from __future__ import annotations

from itertools import chain, repeat

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

MAX_WIDTH = 8  # buttons in a row when no layout is given, as aiogram's builder


class Keyboard:
    """Inline buttons (callback data or links), laid out in rows."""

    def __init__(self) -> None:
        self._buttons: list[InlineKeyboardButton] = []
        self._sizes: tuple[int, ...] = (MAX_WIDTH,)

    def button(self, text: str, callback_data: CallbackData | str) -> Keyboard:
        """Add a button (callback data packed now: at most 64 bytes, or ValueError)."""
        data = callback_data.pack() if isinstance(callback_data, CallbackData) else callback_data
        if len(data.encode()) > 64:
            raise ValueError(f"callback data longer than 64 bytes: {data!r}")
        self._buttons.append(InlineKeyboardButton(text=text, callback_data=data))
        return self

    def url_button(self, text: str, url: str) -> Keyboard:
        """Add a button that opens ``url`` (a t.me share or deep link)."""
        self._buttons.append(InlineKeyboardButton(text=text, url=url))
        return self

    def adjust(self, *sizes: int) -> Keyboard:
        """Rows of these sizes; the last size repeats for the rest."""
        if any(not 1 <= size <= MAX_WIDTH for size in sizes):
            raise ValueError(f"row sizes must be 1-{MAX_WIDTH}: {sizes}")
        self._sizes = sizes or (MAX_WIDTH,)
        return self

    def as_markup(self) -> InlineKeyboardMarkup:
        """The keyboard."""
        sizes = chain(self._sizes, repeat(self._sizes[-1]))
        rows, rest = [], self._buttons
        while rest:
            size = next(sizes)
            rows.append(rest[:size])
            rest = rest[size:]
        return InlineKeyboardMarkup(inline_keyboard=rows)
