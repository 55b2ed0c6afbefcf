"""The Bot API session: aiogram's aiohttp session, without rebuilding a model per reply.

aiogram reads each Bot API answer with ``Response[method.__returning__]``, a pydantic generic
model. Pydantic 2.13 (installed here) caches parametrized models only weakly, and a model made in
a function is referenced by nothing else, so after a garbage collection the next answer builds
``Response[Message]`` again: about 4 ms of schema building. Measured in a webhook worker
(``benchmarks/bench_webhook.py``): 82 rebuilds in 1,000 updates. This session keeps each one
it has used (one per return type: a few dozen at most).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class BotApiSession(AiohttpSession):
    """:class:`AiohttpSession` holding the ``Response[T]`` models it parses answers with."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._response_models: dict[Any, type[Response[Any]]] = {}

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """aiogram's check, with ``Response[T]`` kept alive (so pydantic's cache keeps it)."""
        returning = method.__returning__
        if returning not in self._response_models:
            self._response_models[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)
