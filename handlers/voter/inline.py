"""Inline mode: ``@bot <question, name or place>`` in any chat offers cards to share.

An FAQ answer comes first (``@bot home voting``: the answer card in the language typed, read
by the same core as a message), then candidates by name, place or party.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import (
    InlineKeyboardMarkup,
    InlineQuery,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import Candidate, CandidateDirectory, route_text
from bot.candidates.render import card, party_name
from bot.conversation.assistant import Assistant
from bot.conversation.core import Knowledge, respond
from bot.conversation.deep_links import topic_link
from bot.conversation.render import plain, topic_answer
from bot.i18n import gettext
from bot.languages import Lang
from handlers.buttons import Keyboard
from handlers.routing import LeanRouter
from handlers.sharing import link_of

MAX_INLINE_RESULTS = 50  # Telegram's limit
MAX_QUERY = 200  # characters of the query read
MAX_TOPICS = 3  # answers offered for one query


def router() -> Router:
    """Build the inline-mode router."""
    r = LeanRouter(name="inline")

    @r.inline_query()
    async def inline(
        query: InlineQuery,
        bot: Bot,
        assistant: Assistant,
        directory: CandidateDirectory,
        missions: MissionDirectory,
        lang: Lang,
    ) -> None:
        """FAQ answers, then candidates matching a name, place or party, as cards to share."""
        text = query.query.strip()[:MAX_QUERY]
        results = []
        if len(text) >= 3:
            results += await _answers(bot, Knowledge(assistant, directory, missions), text, lang)
        for candidate in _candidates(directory, text)[: MAX_INLINE_RESULTS - len(results)]:
            results.append(_candidate_result(directory, candidate, lang))
        await query.answer(results, cache_time=30, is_personal=False)

    return r


async def _answers(bot: Bot, knowledge: Knowledge, text: str, lang: Lang) -> list[InlineQueryResultArticle]:
    """The FAQ answers the core finds for ``text``, in the language it is written in."""
    reply = respond(text, lang, knowledge)
    if reply.kind in ("faq", "calendar") and reply.topic is not None:
        topics: tuple[str, ...] = (reply.topic,)
    elif reply.kind == "suggest":
        topics = reply.suggestions
    else:
        return []
    results = []
    for topic in topics[:MAX_TOPICS]:
        answer = topic_answer(knowledge.assistant, topic, reply.lang)
        entry = knowledge.assistant.entry(topic)
        if answer is None or entry is None:
            continue
        link = await link_of(bot, topic_link(topic))
        markup = None
        if link is not None:
            markup = Keyboard().url_button("💬 " + gettext("Open in the bot", reply.lang), link).as_markup()
        results.append(_article(f"t:{topic}:{reply.lang}", entry.titles[reply.lang], answer, markup))
    return results


def _article(
    result_id: str, title: str, html: str, markup: InlineKeyboardMarkup | None
) -> InlineQueryResultArticle:
    """An answer card as an inline result: its first words as the description."""
    body = plain(html).split("\n", 2)[-1].strip()  # after the title line and the blank line
    return InlineQueryResultArticle(
        id=result_id,
        title=title,
        description=body[:100],
        input_message_content=InputTextMessageContent(message_text=html, parse_mode="HTML"),
        reply_markup=markup,
    )


def _candidates(directory: CandidateDirectory, text: str) -> list[Candidate]:
    """Candidates by name, place or party (routing as for a message), else by name alone."""
    found = route_text(directory, text) if len(text) >= 2 else None
    if found:
        return list(found.results)
    return [c for c, _ in directory.search_names(text)] if text else []


def _candidate_result(
    directory: CandidateDirectory, candidate: Candidate, lang: Lang
) -> InlineQueryResultArticle:
    """A candidate's card as an inline result, labelled when it is sample data."""
    sample = " ⚠️ " + gettext("sample data", lang) if candidate.is_sample else ""
    return InlineQueryResultArticle(
        id=str(candidate.id),
        title=candidate.full_name + sample,
        description=f"{candidate.birth_year}, {party_name(directory, candidate.party_id, lang)}",
        input_message_content=InputTextMessageContent(
            message_text=card(directory, candidate, lang), parse_mode="HTML"
        ),
    )
