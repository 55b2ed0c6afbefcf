"""Sending an FAQ answer, shared by the menu and free-text routers."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import Message, ReplyParameters

from bot.conversation.assistant import Assistant
from bot.conversation.deep_links import topic_link
from bot.conversation.render import topic_answer
from bot.languages import Lang
from handlers.keyboards import answer_keyboard
from handlers.sharing import share_of


async def send_answer(
    message: Message, assistant: Assistant, topic: str, lang: Lang, reply: bool = False
) -> bool:
    """Send the answer of ``topic`` in ``lang``; False when the topic is not published.

    With ``reply`` the answer quotes the user's question, so a later "not helpful" vote
    can record which question it answered.
    """
    text = topic_answer(assistant, topic, lang)
    if text is None:
        return False
    await message.answer(
        text,
        reply_markup=answer_keyboard(topic, lang, await topic_share(message.bot, assistant, topic, lang)),
        reply_parameters=(
            ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
            if reply
            else None
        ),
    )
    return True


async def topic_share(bot: Bot | None, assistant: Assistant, topic: str, lang: Lang) -> str | None:
    """The "share" link of a topic's answer, titled in ``lang`` (None: unpublished or no bot)."""
    entry = assistant.entry(topic)
    if entry is None:
        return None
    return await share_of(bot, topic_link(topic), entry.titles[lang])
