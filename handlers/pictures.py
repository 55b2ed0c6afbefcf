"""Charts in replies: drawn off the event loop with a deadline, sent as PNG photos."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiogram.types import BufferedInputFile, InlineKeyboardMarkup, Message

DRAW_SECONDS = 20.0  # the first chart of a process also imports matplotlib and builds its font cache
MAX_CAPTION = 1024  # Telegram's limit for a photo's caption
log = logging.getLogger(__name__)


async def draw(function: Callable[..., bytes], *args: Any) -> bytes | None:
    """``function(*args)`` in a worker thread; None (logged) when it fails or takes too long."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(function, *args), DRAW_SECONDS)
    except Exception:
        log.exception("could not draw a chart with %s", getattr(function, "__name__", function))
        return None


def caption_of(lines: list[str]) -> str:
    """The first of ``lines`` (Telegram HTML, one element each) that fit in a caption."""
    kept: list[str] = []
    for line in lines:
        if len("\n".join([*kept, line])) > MAX_CAPTION:
            break
        kept.append(line)
    return "\n".join(kept)


async def send_chart(
    message: Message, png: bytes, name: str, caption: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Send ``png`` as a photo with ``caption`` (Telegram HTML, at most 1,024 characters)."""
    await message.answer_photo(BufferedInputFile(png, filename=name), caption=caption, reply_markup=markup)


async def send_with_chart(
    message: Message, png: bytes | None, name: str, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """``text`` (Telegram HTML) under the chart when it fits a caption, else after it; only the
    text when there is no chart."""
    if png is None:
        await message.answer(text, reply_markup=markup)
    elif len(text) <= MAX_CAPTION:
        await send_chart(message, png, name, text, markup)
    else:
        await send_chart(message, png, name, caption_of(text.split("\n")))
        await message.answer(text, reply_markup=markup)
