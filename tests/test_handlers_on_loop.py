"""Every handler and filter of the Dispatcher runs on the event loop, none in a thread.

aiogram runs a synchronous handler or filter (a bare ``F.text`` included) through
``asyncio.to_thread``; that hop was a third of the cost of an update under a burst. Handlers
are coroutines and magic filters are wrapped with ``handlers.filters.on_loop``.
"""

from __future__ import annotations

import asyncio

from aiogram import F, Router

from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.telegram.app import create_dispatcher
from handlers.filters import on_loop
from tests.conftest import make_chat


def synchronous_parts(root: Router) -> list[str]:
    """Every handler and filter aiogram would call through asyncio.to_thread."""
    found = []
    for router in root.chain_tail:
        for event, observer in router.observers.items():
            for f in observer._handler.filters or []:
                if not f.awaitable:
                    found.append(f"{router.name} {event}: router filter {f.callback!r}")
            for handler in observer.handlers:
                name = getattr(handler.callback, "__name__", repr(handler.callback))
                if not handler.awaitable:
                    found.append(f"{router.name} {event}: handler {name}")
                found += [
                    f"{router.name} {event}: {name} filter {f.callback!r}"
                    for f in handler.filters or []
                    if not f.awaitable
                ]
    return found


def test_no_handler_or_filter_is_synchronous(assistant: Assistant) -> None:
    dp = create_dispatcher(assistant, load_settings(bot_token=None))
    assert synchronous_parts(dp) == []


def test_the_check_sees_a_bare_magic_filter() -> None:
    router = Router(name="probe")

    @router.message(F.text)
    async def bare(message: object) -> None: ...

    @router.message(on_loop(F.text))
    async def wrapped(message: object) -> None: ...

    assert synchronous_parts(router) == [
        f"probe message: bare filter {router.message.handlers[0].filters[0].callback!r}"
    ]


async def test_voters_are_answered_without_a_thread_hop(assistant, bot, session, monkeypatch) -> None:
    """A question, a command and a button press go through without asyncio.to_thread."""
    hops: list[object] = []
    original = asyncio.to_thread

    async def counting(func, /, *args, **kwargs):
        hops.append(func)
        return await original(func, *args, **kwargs)

    chat = make_chat(assistant, bot, session, language_code="ru")
    await chat.send("/start")  # first contact: seeds the user outside the count
    monkeypatch.setattr(asyncio, "to_thread", counting)
    replies = await chat.send("Когда открываются избирательные участки?")
    replies += await chat.send("/menu")
    assert replies, "the voter got no answer"
    assert [getattr(f, "func", f) for f in hops] == []
