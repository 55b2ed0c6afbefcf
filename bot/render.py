"""Turning FAQ entries into the text a voter reads (HTML for Telegram, plain for the CLI)."""

from __future__ import annotations

from html import escape

from bot.content import FaqEntry
from bot.formatting import format_day
from bot.i18n import gettext
from bot.languages import Lang


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
