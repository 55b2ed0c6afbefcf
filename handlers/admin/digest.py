"""/stale: what needs attention now (the daily admin digest, on demand)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.admin import digest
from bot.calendar.votes import kazakhstan_today
from bot.config import Settings
from bot.conversation.assistant import Assistant
from bot.languages import Lang
from handlers.routing import LeanRouter


def router() -> Router:
    """Build the /stale router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-digest")

    @r.message(Command("stale"))
    async def stale(message: Message, assistant: Assistant, settings: Settings, lang: Lang) -> None:
        """Votes without results, unverified votes, stale answers, drafts and weak sources."""
        today = digest.build(assistant.db, kazakhstan_today(), settings.stale_after_days)
        await message.answer(digest.text(today, lang))

    return r
