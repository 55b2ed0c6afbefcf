"""Free-text questions, "did you mean", and helpful / not helpful votes."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory, no_mission_text
from bot.candidates.directory import CandidateDirectory, route_text
from bot.conversation.assistant import Assistant
from bot.faq import feedback, stats
from bot.i18n import gettext
from bot.languages import LANGS, Lang
from handlers.callbacks import NoneOfTheseCB, VoteCB
from handlers.keyboards import main_menu, suggestions_keyboard
from handlers.voter.candidates import send_query_results
from handlers.voter.missions import send_mission_cards
from handlers.voter.replies import send_answer


def _question_of(message: Message | InaccessibleMessage | None) -> str | None:
    """The user's question that a bot message replied to, if any."""
    if isinstance(message, Message) and message.reply_to_message is not None:
        return message.reply_to_message.text
    return None


MAX_MISSIONS = 5
MAX_PLACE_WORDS = 2  # a message this short that only names a place gets its missions


def dont_know(lang: Lang) -> str:
    """The polite "I don't know" that precedes the topic menu."""
    return gettext(
        "Sorry, I don't know the answer to that. I noted your question so the team "
        "can add an answer. Here are the topics I can help with:",
        lang,
    )


def router() -> Router:
    """Build the router for typed questions and answer feedback."""
    r = Router(name="questions")

    @r.message(F.text, ~F.text.startswith("/"))
    async def question(
        message: Message,
        assistant: Assistant,
        directory: CandidateDirectory,
        missions: MissionDirectory,
        lang: Lang,
    ) -> None:
        """Answer a typed question: candidates, embassies by place, else the FAQ."""
        text = message.text or ""
        reply = assistant.ask(text, ui_lang=lang, record=False)
        found = route_text(directory, text[:300], faq_confident=reply.kind == "answer")
        if found is not None:
            stats.count_question(assistant.db, reply.lang, "candidate-lists")
            await send_query_results(message, found, lang)
            return
        bare_place = reply.kind != "answer" and len(text.split()) <= MAX_PLACE_WORDS  # "Бали", "Jakarta"
        asks = missions.asks_for_mission(text) or reply.topic == "embassy"
        if asks or bare_place:
            places = missions.find(text[:300])
            if places:
                stats.count_question(assistant.db, reply.lang, "embassy")
                await send_mission_cards(message, places[:MAX_MISSIONS], reply.lang, assistant.db)
                return
            elsewhere = missions.countries_without_mission(text[:300])
            if elsewhere and asks:
                stats.count_question(assistant.db, reply.lang, "embassy")
                await message.answer(no_mission_text(elsewhere, reply.lang))
                return
        if reply.kind != "no_text":
            stats.count_question(assistant.db, reply.lang, reply.topic if reply.kind == "answer" else None)
        if reply.kind == "answer" and reply.topic is not None:
            await send_answer(message, assistant, reply.topic, reply.lang, reply=True)
        elif reply.kind == "suggest":
            await message.reply(
                gettext("I am not sure I understood. Did you mean:", reply.lang),
                reply_markup=suggestions_keyboard(assistant, reply.suggestions, reply.lang),
            )
        elif reply.kind == "no_text":
            await message.answer(
                _("Please type your question in words, or choose a topic:"),
                reply_markup=main_menu(assistant),
            )
        else:
            feedback.record_unanswered(assistant.db, text, reply.detected, "no_match")
            await message.reply(
                dont_know(reply.lang),
                reply_markup=main_menu(assistant),
            )

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
                reply_markup=main_menu(assistant),
            )

    @r.callback_query(VoteCB.filter(F.lang.in_(LANGS) & F.helpful.in_({0, 1})))
    async def vote(query: CallbackQuery, callback_data: VoteCB, assistant: Assistant) -> None:
        """Count the vote; a "not helpful" one keeps the question for review."""
        if assistant.entry(callback_data.topic) is None:
            await query.answer(_("This topic is no longer available. Open the menu again."), show_alert=True)
            return
        helpful = bool(callback_data.helpful)
        feedback.record_vote(assistant.db, callback_data.topic, callback_data.lang, helpful)
        if not helpful:
            text = _question_of(query.message) or f"[{callback_data.topic}]"
            feedback.record_unanswered(
                assistant.db, text, callback_data.lang, "not_helpful", callback_data.topic
            )
        await query.answer(
            _("Thank you for the feedback!") if helpful else _("Thank you! The team will review this answer.")
        )
        if isinstance(query.message, Message):
            await query.message.edit_reply_markup(reply_markup=None)

    return r
