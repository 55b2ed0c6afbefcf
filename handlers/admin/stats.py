"""/stats: users per language, questions per day, share answered, top topics and misses."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from html import escape

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from babel.dates import format_skeleton
from babel.numbers import format_decimal, format_percent

from bot import charts
from bot.calendar.votes import kazakhstan_today
from bot.conversation.assistant import Assistant
from bot.faq import stats
from bot.languages import LANGS, NATIVE_NAMES, Lang
from bot.text.formatting import format_day
from handlers.keyboards import menu_keyboard
from handlers.pictures import caption_of, draw, send_chart
from handlers.routing import LeanRouter

DAYS = 30
DAYS_LISTED = 7


def router() -> Router:
    """Build the /stats router (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-stats")

    @r.message(Command("stats"))
    async def show(message: Message, assistant: Assistant, lang: Lang) -> None:
        """The figures of the last 30 days: a chart with the main figures, then the details."""
        assistant.question_tally.flush()  # the counts of the last few seconds too
        today = kazakhstan_today()
        figures = stats.gather(assistant.db, today, DAYS)
        png = await draw(charts.stats_png, stats_chart(figures, assistant, today, lang))
        if png is not None:
            await send_chart(message, png, "stats.png", caption_of(_headline(figures, assistant, lang)))
        await message.answer(stats_text(figures, assistant, lang), reply_markup=menu_keyboard(lang))

    return r


def stats_chart(figures: stats.Stats, assistant: Assistant, today: date, lang: Lang) -> charts.StatsChart:
    """What the /stats chart shows, labelled in ``lang``: the last 30 days, oldest first."""
    days = [today - timedelta(days=i) for i in range(DAYS - 1, -1, -1)]
    per_day = {
        NATIVE_NAMES[code]: [figures.per_day_by_lang.get(d.isoformat(), {}).get(code, 0) for d in days]
        for code in LANGS
    }
    topics = []
    for topic, n in figures.top_topics:
        entry = assistant.entry(topic)
        topics.append((entry.titles[lang] if entry else topic, n))
    return charts.StatsChart(
        title=_("Statistics, last {days} days").format(days=DAYS),
        per_day_title=_("Questions per day"),
        days=[format_skeleton("MMMd", d, locale=lang) for d in days],
        per_day=per_day,
        answered_title=_("Answered"),
        answered=[
            (_("answered"), figures.answered),
            (_("not answered"), figures.questions - figures.answered),
        ],
        topics_title=_("Top topics"),
        topics=topics,
        empty=_("none yet"),
        number=partial(format_decimal, locale=lang),
    )


def _number(n: int, lang: Lang) -> str:
    return format_decimal(n, locale=lang)


def _headline(figures: stats.Stats, assistant: Assistant, lang: Lang) -> list[str]:
    """The main figures as Telegram HTML lines (the chart's caption, the start of the text)."""
    lines = ["📊 <b>" + escape(_("Statistics, last {days} days").format(days=DAYS)) + "</b>", ""]
    users = ", ".join(
        f"{NATIVE_NAMES[code]} {_number(figures.users_by_lang.get(code, 0), lang)}" for code in LANGS
    )
    lines.append(escape(_("Users who chose a language: {users}").format(users=users)))
    lines.append(escape(_("Subscribed to reminders: {n}").format(n=_number(figures.subscribers, lang))))
    share = format_percent(figures.answered / figures.questions, locale=lang) if figures.questions else "—"
    lines.append(
        escape(_("Questions: {n}, answered: {share}").format(n=_number(figures.questions, lang), share=share))
    )
    lines += ["", "<b>" + escape(_("Top topics")) + "</b>"]
    for topic, n in figures.top_topics:
        entry = assistant.entry(topic)
        title = entry.titles[lang] if entry else topic
        lines.append(escape(f"{_number(n, lang)} · {title}"))
    if not figures.top_topics:
        lines.append(escape(_("none yet")))
    return lines


def stats_text(figures: stats.Stats, assistant: Assistant, lang: Lang) -> str:
    """The /stats message as Telegram HTML: the main figures, days and unanswered questions."""
    lines = _headline(figures, assistant, lang)
    lines += ["", "<b>" + escape(_("Questions per day")) + "</b>"]
    lines += [
        escape(f"{format_day(date.fromisoformat(day), lang)}: {_number(n, lang)}")
        for day, n in figures.per_day[:DAYS_LISTED]
    ] or [escape(_("none yet"))]
    lines += ["", "<b>" + escape(_("Top unanswered questions")) + "</b>"]
    lines += [escape(f"{_number(n, lang)} · {text[:100]}") for text, n in figures.top_misses] or [
        escape(_("none yet"))
    ]
    return "\n".join(lines)
