"""Rebuilding the knowledge after an edit: in a worker thread, the newest edit wins."""

from __future__ import annotations

import asyncio
import threading

import pytest

import bot.conversation.assistant as assistant_module
from bot.conversation.assistant import Assistant
from bot.faq import editing


def hide(assistant: Assistant, topic: str) -> None:
    """Unpublish ``topic`` in the database (the bot's knowledge is not refreshed yet)."""
    draft = editing.unpublish(assistant.db, 1, topic, "https://example.org/test")
    editing.publish(assistant.db, 1, draft.id)


async def test_refresh_applies_an_edit(assistant: Assistant) -> None:
    assert assistant.entry("voting-hours") is not None
    hide(assistant, "voting-hours")
    await assistant.refresh_async()
    assert assistant.entry("voting-hours") is None
    assert assistant.ask("когда открываются участки?", record=False).topic != "voting-hours"


async def test_a_slower_older_refresh_never_replaces_a_newer_one(
    assistant: Assistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_build = assistant_module._build_cached
    release, started = threading.Event(), threading.Event()
    calls: list[object] = []

    def build(sources):
        calls.append(sources)
        if len(calls) == 1:  # the first (older) build is slow
            started.set()
            release.wait(10)
        return real_build(sources)

    monkeypatch.setattr(assistant_module, "_build_cached", build)
    older = asyncio.create_task(assistant.refresh_async())
    await asyncio.to_thread(started.wait, 10)
    assert assistant.ask("Как голосовать на дому?", record=False).topic == "home-voting"  # still answering
    hide(assistant, "home-voting")
    await assistant.refresh_async()
    assert assistant.entry("home-voting") is None
    release.set()
    await older
    assert len(calls) == 2 and assistant.entry("home-voting") is None  # the older build was dropped
