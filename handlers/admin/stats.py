"""/stats: users per language, questions per day, share answered, top topics and misses."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal, format_percent

from bot.calendar.votes import kazakhstan_today
from bot.conversation.assistant import Assistant
from bot.faq import stats
from bot.languages import LANGS, NATIVE_NAMES, Lang
from bot.text.formatting import format_day

DAYS = 30
DAYS_LISTED = 7


def router() -> Router:
    """Build the /stats router (include it inside the admin-only router)."""
    r = Router(name="admin-stats")

    @r.message(Command("stats"))
    async def show(message: Message, assistant: Assistant, lang: Lang) -> None:
        """The figures of the last 30 days."""
        assistant.question_tally.flush()  # the counts of the last few seconds too
        figures = stats.gather(assistant.db, kazakhstan_today(), DAYS)
        await message.answer(stats_text(figures, assistant, lang))

    return r


def stats_text(figures: stats.Stats, assistant: Assistant, lang: Lang) -> str:
    """The /stats message as Telegram HTML."""

    def number(n: int) -> str:
        return format_decimal(n, locale=lang)

    lines = ["📊 <b>" + escape(_("Statistics, last {days} days").format(days=DAYS)) + "</b>", ""]
    users = ", ".join(f"{NATIVE_NAMES[code]} {number(figures.users_by_lang.get(code, 0))}" for code in LANGS)
    lines.append(escape(_("Users who chose a language: {users}").format(users=users)))
    lines.append(escape(_("Subscribed to reminders: {n}").format(n=number(figures.subscribers))))
    share = format_percent(figures.answered / figures.questions, locale=lang) if figures.questions else "—"
    lines.append(
        escape(_("Questions: {n}, answered: {share}").format(n=number(figures.questions), share=share))
    )
    lines += ["", "<b>" + escape(_("Questions per day")) + "</b>"]
    lines += [
        escape(f"{format_day(date.fromisoformat(day), lang)}: {number(n)}")
        for day, n in figures.per_day[:DAYS_LISTED]
    ] or [escape(_("none yet"))]
    lines += ["", "<b>" + escape(_("Top topics")) + "</b>"]
    for topic, n in figures.top_topics:
        entry = assistant.entry(topic)
        title = entry.titles[lang] if entry else topic
        lines.append(escape(f"{number(n)} · {title}"))
    if not figures.top_topics:
        lines.append(escape(_("none yet")))
    lines += ["", "<b>" + escape(_("Top unanswered questions")) + "</b>"]
    lines += [escape(f"{number(n)} · {text[:100]}") for text, n in figures.top_misses] or [
        escape(_("none yet"))
    ]
    return "\n".join(lines)
