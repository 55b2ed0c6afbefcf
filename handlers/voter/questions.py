"""Free-text questions, "did you mean", and helpful / not helpful votes."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, InaccessibleMessage, InlineKeyboardMarkup, Message, ReplyParameters
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import CandidateDirectory
from bot.conversation.assistant import Assistant
from bot.conversation.core import Knowledge, record, respond
from bot.conversation.render import dont_know, reply_texts, sorted_results
from bot.conversation.replies import CandidateResults, MissionCards, NoMission, Reply, Suggestions
from bot.faq import feedback
from bot.languages import LANGS, Lang
from handlers.callbacks import NoneOfTheseCB, VoteCB
from handlers.filters import on_loop
from handlers.keyboards import after_vote_keyboard, answer_keyboard, main_menu, suggestions_keyboard
from handlers.routing import LeanRouter
from handlers.voter.candidates import results_keyboard
from handlers.voter.missions import send_mission_cards
from handlers.voter.replies import topic_share


def _question_of(message: Message | InaccessibleMessage | None) -> str | None:
    """The user's question that a bot message replied to, if any."""
    if isinstance(message, Message) and message.reply_to_message is not None:
        return message.reply_to_message.text
    return None


QUOTED = ("faq", "calendar", "suggest", "unknown", "out_of_scope")  # a later vote needs the question


def reply_keyboard(
    assistant: Assistant, reply: Reply, share: str | None = None
) -> InlineKeyboardMarkup | None:
    """The buttons under a reply, in the reply's language (``share``: the answer's share link)."""
    if reply.topic is not None and reply.kind in ("faq", "calendar"):
        return answer_keyboard(reply.topic, reply.lang, share)
    if isinstance(reply, Suggestions):
        return suggestions_keyboard(assistant, reply.topics, reply.lang)
    if isinstance(reply, CandidateResults):
        return results_keyboard(sorted_results(reply.query, reply.lang), reply.lang)
    if isinstance(reply, NoMission):
        return None
    return main_menu(assistant, reply.lang)


async def send_reply(message: Message, knowledge: Knowledge, reply: Reply, quote: bool = True) -> None:
    """Send what the core decided: its text (rendered by the core) and its keyboard.

    With ``quote`` an answer quotes the question (a later "not helpful" vote keeps it).
    """
    assistant = knowledge.assistant
    if isinstance(reply, MissionCards):
        await send_mission_cards(message, reply.missions, reply.lang, assistant.db)
        return
    parameters = (
        ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
        if quote and reply.kind in QUOTED
        else None
    )
    share = None
    if reply.topic is not None and reply.kind in ("faq", "calendar"):
        share = await topic_share(message.bot, assistant, reply.topic, reply.lang)
    markup = reply_keyboard(assistant, reply, share)
    for text in reply_texts(assistant, reply):
        await message.answer(text, reply_markup=markup, reply_parameters=parameters)


async def question_text(message: Message, bot: Bot) -> str:
    """The question a message asks: its text or caption, without the bot's @name."""
    text = message.text or message.caption or ""
    if "@" not in text:
        return text
    me = await bot.me()
    if not me.username:
        return text
    return " ".join(re.sub(rf"@{re.escape(me.username)}\b", " ", text, flags=re.IGNORECASE).split())


def router() -> Router:
    """Build the router for typed questions and answer feedback."""
    r = LeanRouter(name="questions")

    @r.message(on_loop(F.text & ~F.text.startswith("/")))
    @r.message(on_loop(F.caption & ~F.caption.startswith("/")))  # a photo with a question under it
    @r.edited_message(on_loop(F.text & ~F.text.startswith("/")))  # an edited question is asked anew
    async def question(
        message: Message,
        bot: Bot,
        assistant: Assistant,
        directory: CandidateDirectory,
        missions: MissionDirectory,
        lang: Lang,
    ) -> None:
        """Answer a typed question: the core decides, this renders."""
        text = await question_text(message, bot)  # only the bot's @name: the core asks for text
        knowledge = Knowledge(assistant, directory, missions)
        reply = respond(text, lang, knowledge)
        record(knowledge, text, reply)
        await send_reply(message, knowledge, reply)

    @r.callback_query(NoneOfTheseCB.filter(F.lang.in_(LANGS)))
    async def none_of_these(query: CallbackQuery, callback_data: NoneOfTheseCB, assistant: Assistant) -> None:
        """Record the question as unanswered and offer the menu."""
        lang: Lang = callback_data.lang  # type: ignore[assignment]
        text = _question_of(query.message)
        if text:
            feedback.record_unanswered(assistant.db, text, lang, "none_of_these")
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)
            await query.message.answer(
                dont_know(lang),
                reply_markup=main_menu(assistant, lang),
            )

    @r.callback_query(VoteCB.filter(F.lang.in_(LANGS) & F.helpful.in_({0, 1})))
    async def vote(query: CallbackQuery, callback_data: VoteCB, assistant: Assistant, bot: Bot) -> None:
        """Count the vote; a "not helpful" one keeps the question for review."""
        if assistant.entry(callback_data.topic) is None:
            await query.answer(_("This topic is no longer available. Open the menu again."), show_alert=True)
            return
        helpful = bool(callback_data.helpful)
        with assistant.db.atomic():  # one commit for the vote and the question kept
            feedback.record_vote(assistant.db, callback_data.topic, callback_data.lang, helpful)
            if not helpful:
                text = _question_of(query.message) or f"[{callback_data.topic}]"
                feedback.record_unanswered(
                    assistant.db, text, callback_data.lang, "not_helpful", callback_data.topic
                )
        await query.answer(
            _("Thank you for the feedback!") if helpful else _("Thank you! The team will review this answer.")
        )
        if isinstance(query.message, Message):  # the vote buttons go; sharing and the way on stay
            lang: Lang = callback_data.lang  # type: ignore[assignment]
            share = await topic_share(bot, assistant, callback_data.topic, lang)
            await query.message.edit_reply_markup(reply_markup=after_vote_keyboard(lang, share))

    return r
