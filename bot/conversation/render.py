"""Turning FAQ entries into the text a voter reads (HTML for Telegram, plain for the CLI)."""

from __future__ import annotations

import html as _html
import re
from datetime import date
from html import escape

from bot.calendar.votes import kazakhstan_today, next_election_text, next_vote_abroad_text, votes
from bot.conversation.assistant import Assistant
from bot.faq.entries import FaqEntry
from bot.i18n import gettext
from bot.languages import Lang
from bot.text.formatting import format_day


def answer_text(entry: FaqEntry, lang: Lang, html: bool = True) -> str:
    """The answer with its title, sources and as-of date; HTML-escaped when ``html``."""
    esc = escape if html else str
    title = esc(entry.titles[lang])
    sources = "; ".join(esc(s) for s in entry.sources)
    source_label = gettext("Source", lang)
    checked = gettext("Checked on {date}", lang).format(date=format_day(entry.as_of, lang))
    lines = [
        f"<b>{title}</b>" if html else title.upper(),
        "",
        esc(entry.answers[lang]),
        "",
        f"📎 {esc(source_label)}: {sources}",
        f"🗓 {esc(checked)}",
    ]
    return "\n".join(lines)


_TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML as plain text (for the console and the command line)."""
    return _html.unescape(_TAG.sub("", text))


def topic_answer(
    assistant: Assistant, topic: str, lang: Lang, html: bool = True, today: date | None = None
) -> str | None:
    """The answer to a published topic; dynamic topics are answered from their tables.

    ``election-dates`` comes from the elections table (the next scheduled vote, or the
    latest ones), under the entry's title.
    """
    entry = assistant.entry(topic)
    if entry is None:
        return None
    if topic == "election-dates":
        text = f"<b>{escape(entry.titles[lang])}</b>\n\n" + next_election_text(
            assistant.db, lang, today or kazakhstan_today()
        )
        return text if html else plain(text)
    return answer_text(entry, lang, html=html)


def abroad_text(assistant: Assistant, lang: Lang, today: date | None = None) -> str:
    """/abroad: the voting-abroad answer, then the next scheduled vote with the polling
    hours abroad, as Telegram HTML."""
    parts = []
    faq = topic_answer(assistant, "voting-abroad", lang)
    if faq is not None:
        parts.append(faq)
    parts.append(next_vote_abroad_text(votes(assistant.db), lang, today or kazakhstan_today()))
    parts.append(escape(gettext("Choose a country to see its embassy or consulate:", lang)))
    return "\n\n".join(parts)
