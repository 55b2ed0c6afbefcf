"""/dates: upcoming and recent votes, each linked to its candidates and statistics."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

from bot.calendar.votes import kazakhstan_today, recent, upcoming, votes
from bot.candidates.directory import CandidateDirectory
from bot.conversation.assistant import Assistant
from bot.conversation.render import dates_text
from bot.languages import Lang
from handlers.buttons import Keyboard
from handlers.callbacks import ElectionCB, StatsCB
from handlers.routing import LeanRouter

LISTED = 10  # recent votes shown by /dates


def router() -> Router:
    """Build the router for the election calendar."""
    r = LeanRouter(name="elections")

    @r.message(Command("dates"))
    async def dates(
        message: Message, assistant: Assistant, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """The calendar, with buttons to candidates and statistics."""
        today = kazakhstan_today()
        all_votes = votes(assistant.db)
        with_candidates = {e["id"] for e in directory.elections_with_candidates()}
        kb = Keyboard()
        for vote in [*upcoming(all_votes, today), *recent(all_votes, today, LISTED)]:
            if vote.id in with_candidates:
                kb.button(text="👥 " + vote.name(lang), callback_data=ElectionCB(election=vote.id))
            if directory.stats(vote.id) is not None:
                kb.button(text="📊 " + vote.name(lang), callback_data=StatsCB(election=vote.id))
        kb.adjust(1)
        await message.answer(dates_text(assistant, lang, today, LISTED), reply_markup=kb.as_markup())

    return r
