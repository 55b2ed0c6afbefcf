"""/broadcast: compose a message in each language, preview it, confirm, and follow the
sending in a status message (the outbox and the scheduler do the sending)."""

from __future__ import annotations

import asyncio
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.conversation.assistant import Assistant
from bot.delivery import broadcasts
from bot.languages import LANGS, NATIVE_NAMES, Lang
from handlers.buttons import Keyboard
from handlers.callbacks import BroadcastCB
from handlers.filters import on_loop
from handlers.routing import LeanRouter


class Compose(StatesGroup):
    """Waiting for the broadcast's text in one language."""

    text = State()


def router() -> Router:
    """Build the /broadcast router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-broadcast")

    @r.message(Command("broadcast"))
    async def begin(message: Message, state: FSMContext, assistant: Assistant) -> None:
        """Start a draft and ask for the first language."""
        assert message.from_user is not None
        broadcast_id = broadcasts.create(assistant.db, message.from_user.id)
        await state.set_state(Compose.text)
        await state.update_data(broadcast=broadcast_id, lang=LANGS[0])
        await message.answer(ask_text(LANGS[0]))

    @r.message(StateFilter(Compose.text), Command("cancel"))
    async def stop(message: Message, state: FSMContext, assistant: Assistant) -> None:
        """Abandon the draft."""
        data = await state.get_data()
        await state.clear()
        assert message.from_user is not None
        broadcasts.cancel(assistant.db, int(data["broadcast"]), message.from_user.id)
        await message.answer(_("Cancelled. Nothing was sent."))

    @r.message(StateFilter(Compose.text), on_loop(F.text & ~F.text.startswith("/")))
    async def text(message: Message, state: FSMContext, assistant: Assistant) -> None:
        """Keep the text for this language, then ask for the next or show the preview."""
        data = await state.get_data()
        broadcast_id, lang = int(data["broadcast"]), data["lang"]
        if len(message.text or "") > broadcasts.MAX_TEXT:
            await message.answer(_("Too long: at most {n} characters.").format(n=broadcasts.MAX_TEXT))
            return
        broadcasts.set_text(assistant.db, broadcast_id, lang, message.text or "")
        remaining = LANGS[LANGS.index(lang) + 1 :]
        if remaining:
            await state.update_data(lang=remaining[0])
            await message.answer(ask_text(remaining[0]))
            return
        await state.clear()
        draft = broadcasts.get(assistant.db, broadcast_id)
        assert draft is not None
        count = len(broadcasts.recipients(assistant.db))
        lines = ["📣 <b>" + escape(_("Preview")) + "</b>"]
        for code in LANGS:
            lines += ["", "<b>" + escape(NATIVE_NAMES[code]) + "</b>", escape(draft.texts[code])]
        lines += [
            "",
            escape(_("It will go to {n} reminder subscribers, each in their language.").format(n=count)),
        ]
        kb = Keyboard()
        kb.button(text="📤 " + _("Send"), callback_data=BroadcastCB(broadcast=broadcast_id, send=True))
        kb.button(text="✖️ " + _("Cancel"), callback_data=BroadcastCB(broadcast=broadcast_id, send=False))
        await message.answer("\n".join(lines), reply_markup=kb.as_markup())

    @r.message(StateFilter(Compose.text))
    async def not_text(message: Message) -> None:
        """Only plain text can be broadcast."""
        await message.answer(_("Send the text as a message, or /cancel."))

    @r.callback_query(BroadcastCB.filter())
    async def decide(
        query: CallbackQuery,
        callback_data: BroadcastCB,
        assistant: Assistant,
        outbox_wakeup: asyncio.Event,
        lang: Lang,
    ) -> None:
        """Send (queue for every subscriber and wake the sender) or cancel."""
        draft = broadcasts.get(assistant.db, callback_data.broadcast)
        if draft is None or draft.status != "draft" or set(draft.texts) != set(LANGS):
            await query.answer(_("This broadcast was already sent or cancelled."), show_alert=True)
            return
        if not callback_data.send:
            broadcasts.cancel(assistant.db, draft.id, query.from_user.id)
            await query.answer(_("Cancelled. Nothing was sent."), show_alert=True)
            return
        await query.answer()
        status = await query.bot.send_message(query.from_user.id, escape(_("Queued for sending…")))  # type: ignore[union-attr]
        count = broadcasts.start(
            assistant.db, draft.id, query.from_user.id, lang, status.chat.id, status.message_id
        )
        outbox_wakeup.set()
        await status.edit_text(escape(_("Queued for sending to {n} subscribers…").format(n=count)))

    return r


def ask_text(lang: Lang) -> str:
    """Ask for the broadcast's text in ``lang``."""
    return escape(_("Send the text in {language} (or /cancel):").format(language=NATIVE_NAMES[lang]))
