"""Everything no other router took: stickers, photos, voice, unknown commands, stale buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.languages import Lang
from handlers.filters import on_loop
from handlers.keyboards import main_menu
from handlers.routing import LeanRouter


async def unknown_command_reply(message: Message, assistant: Assistant, lang: Lang) -> None:
    """A command the bot does not have (or that this user may not use)."""
    await message.answer(
        _("I don't know this command. Choose a topic or type your question:"),
        reply_markup=main_menu(assistant, lang),
    )


def router() -> Router:
    """Build the catch-all router; include it last."""
    r = LeanRouter(name="fallback")

    r.message(on_loop(F.text.startswith("/")))(unknown_command_reply)

    @r.message()
    async def not_text(message: Message, assistant: Assistant, lang: Lang) -> None:
        """Stickers, photos, voice, files, locations...: ask for text."""
        await message.answer(
            _("I can only read text messages. Please type your question, or choose a topic:"),
            reply_markup=main_menu(assistant, lang),
        )

    @r.callback_query()
    async def stale_button(query: CallbackQuery) -> None:
        """Buttons from an old version of the bot, or forged callback data."""
        await query.answer(
            _("This button is out of date. Please open the menu again: /menu"), show_alert=True
        )

    return r
