"""Main-menu sections and topic buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.faq.menu import MORE, SECTIONS
from bot.languages import LANGS, Lang
from handlers.callbacks import MenuCB, TopicCB
from handlers.keyboards import main_menu, section_keyboard, section_titles
from handlers.routing import LeanRouter
from handlers.voter.replies import send_answer


def router() -> Router:
    """Build the router for menu navigation."""
    r = LeanRouter(name="menu")

    @r.callback_query(MenuCB.filter(F.section == "home"))
    async def home(query: CallbackQuery, assistant: Assistant, lang: Lang) -> None:
        """Back to the main menu."""
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(_("Choose a topic:"), reply_markup=main_menu(assistant, lang))

    @r.callback_query(MenuCB.filter(F.section == "ask"))
    async def ask(query: CallbackQuery) -> None:
        """Invite a typed question."""
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(
                _(
                    "Type your question in your own words, in Kazakh, Russian or Indonesian. "
                    "For example: “When do polling stations open?”"
                )
            )

    @r.callback_query(MenuCB.filter(F.section.in_({*SECTIONS, MORE})))
    async def section(query: CallbackQuery, callback_data: MenuCB, assistant: Assistant, lang: Lang) -> None:
        """List the topics of one section."""
        await query.answer()
        if isinstance(query.message, Message):
            title = section_titles(lang)[callback_data.section]
            await query.message.answer(
                title, reply_markup=section_keyboard(assistant, callback_data.section, lang)
            )

    @r.callback_query(TopicCB.filter(F.lang.in_(LANGS)))
    async def topic(query: CallbackQuery, callback_data: TopicCB, assistant: Assistant) -> None:
        """Answer the chosen topic."""
        if assistant.entry(callback_data.topic) is None or not isinstance(query.message, Message):
            await query.answer(_("This topic is no longer available. Open the menu again."), show_alert=True)
            return
        await query.answer()
        await send_answer(query.message, assistant, callback_data.topic, callback_data.lang)  # type: ignore[arg-type]

    return r
