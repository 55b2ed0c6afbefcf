"""Magic filters evaluated on the event loop.

aiogram calls every synchronous filter through ``asyncio.to_thread``, a bare ``F.text``
included: a hop to a worker thread and back for each filter of each update, which under a
burst queues behind the default executor and cost a third of Saylau's throughput. A magic
filter is a few attribute reads, so :func:`on_loop` wraps it in an async filter instead.
``tests/test_handlers_on_loop.py`` checks that no handler or filter is left synchronous.
"""

from __future__ import annotations

from typing import Any

from aiogram.filters import Filter
from aiogram.types import CallbackQuery, TelegramObject
from magic_filter import MagicFilter


class OnLoop(Filter):
    """An async filter resolving a magic filter against the event (no thread hop)."""

    def __init__(self, magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> Any:
        return self.magic.resolve(event)

    def __str__(self) -> str:
        return f"on_loop({self.magic!r})"


def on_loop(magic: MagicFilter) -> OnLoop:
    """``magic`` (such as ``F.text & ~F.text.startswith("/")``) as a filter run on the event loop."""
    return OnLoop(magic)


class DataPrefix(Filter):
    """Button presses whose callback data starts with ``head`` (read by :mod:`handlers.routing`)."""

    def __init__(self, head: str) -> None:
        self.head = head

    async def __call__(self, query: CallbackQuery) -> bool:
        data = getattr(query, "data", None)
        return bool(data) and data.startswith(self.head)  # type: ignore[union-attr]

    def __str__(self) -> str:
        return f"data_prefix({self.head!r})"


def data_prefix(head: str) -> DataPrefix:
    """A filter of button presses whose callback data starts with ``head`` (such as ``"adm"``)."""
    return DataPrefix(head)
