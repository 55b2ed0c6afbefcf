"""Inline mode: ``@bot <name or place>`` in any chat returns shareable candidate cards."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import InlineQuery, InlineQueryResultArticle, InputTextMessageContent

from bot.candidates.directory import CandidateDirectory, route_text
from bot.candidates.render import card, party_name
from bot.i18n import gettext
from bot.languages import Lang

MAX_INLINE_RESULTS = 50  # Telegram's limit


def router() -> Router:
    """Build the inline-mode router."""
    r = Router(name="inline")

    @r.inline_query()
    async def inline(query: InlineQuery, directory: CandidateDirectory, lang: Lang) -> None:
        """Candidates matching a name, place or party, as cards to share."""
        text = query.query.strip()[:200]
        found = route_text(directory, text) if len(text) >= 2 else None
        candidates = (
            list(found.results) if found else [c for c, _ in directory.search_names(text)] if text else []
        )
        results = []
        for candidate in candidates[:MAX_INLINE_RESULTS]:
            sample = " ⚠️ " + gettext("sample data", lang) if candidate.is_sample else ""
            results.append(
                InlineQueryResultArticle(
                    id=str(candidate.id),
                    title=candidate.full_name + sample,
                    description=f"{candidate.birth_year}, {party_name(directory, candidate.party_id, lang)}",
                    input_message_content=InputTextMessageContent(
                        message_text=card(directory, candidate, lang), parse_mode="HTML"
                    ),
                )
            )
        await query.answer(results, cache_time=30, is_personal=False)

    return r
