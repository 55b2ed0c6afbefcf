"""Turning FAQ entries into the text a voter reads (HTML for Telegram, plain for the CLI)."""

from __future__ import annotations

import html as _html
import re
from datetime import date
from html import escape

from bot.abroad.missions import country_name, mission_card, no_mission_text
from bot.calendar.votes import (
    calendar_text,
    kazakhstan_today,
    next_election_text,
    next_vote_abroad_text,
    votes,
)
from bot.candidates.directory import Candidate, CandidateQuery
from bot.candidates.render import found_text
from bot.conversation.assistant import Assistant
from bot.conversation.replies import (
    Calendar,
    CandidateResults,
    FaqAnswer,
    MissionCards,
    NoMission,
    NoText,
    OutOfScope,
    Reply,
    SmallTalk,
    Suggestions,
)
from bot.faq.entries import FaqEntry
from bot.i18n import N_, gettext
from bot.languages import Lang
from bot.text.collation import collated
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
        text += "\n" + checked_line(calendar_checked_on(assistant), lang)
        return text if html else plain(text)
    return answer_text(entry, lang, html=html)


def calendar_checked_on(assistant: Assistant) -> date | None:
    """When the calendar was last checked: the election-dates entry's as-of date, or the
    latest admin change to a vote when that is newer."""
    entry = assistant.entry("election-dates")
    (edited,) = assistant.db.execute(
        "SELECT max(at) FROM audit_log WHERE action LIKE 'election.%'"
    ).fetchone()
    days = [entry.as_of] if entry else []
    if edited:
        days.append(date.fromisoformat(edited[:10]))
    return max(days) if days else None


def checked_line(day: date | None, lang: Lang) -> str:
    """ "🗓 Checked on …" as Telegram HTML, or "" when the date is unknown."""
    if day is None:
        return ""
    return "🗓 " + escape(gettext("Checked on {date}", lang).format(date=format_day(day, lang)))


def dates_text(assistant: Assistant, lang: Lang, today: date, count: int) -> str:
    """/dates: upcoming and recent votes with the calendar's as-of date, as Telegram HTML."""
    text = calendar_text(votes(assistant.db), lang, today, count)
    return text + "\n\n" + checked_line(calendar_checked_on(assistant), lang)


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


MAX_RESULTS = 20  # candidates listed under one reply (buttons)
SMALL_TALK: dict[str, str] = {
    "greeting": N_(
        "Hello! I answer questions about Kazakhstan's elections: dates, how to vote, voting abroad, "
        "maslikhats and akims, candidates. Ask in your own words, or choose a topic:"
    ),
    "thanks": N_("You are welcome! Ask another question, or choose a topic:"),
    "who": N_(
        "I am Saylau, a bot that answers voters' questions about Kazakhstan's elections in Kazakh, "
        "Russian and Indonesian. Every answer shows its source; I never recommend a party or "
        "candidate. Ask a question, or choose a topic:"
    ),
    "menu": N_("Choose a topic:"),
    "bye": N_("Goodbye! Come back whenever you have a question about the elections."),
}


def dont_know(lang: Lang) -> str:
    """The polite "I don't know" that precedes the topic menu."""
    return gettext(
        "Sorry, I don't know the answer to that. I noted your question so the team "
        "can add an answer. Here are the topics I can help with:",
        lang,
    )


def out_of_scope_text(reply: OutOfScope) -> str:
    """Another country's elections: say politely what the bot knows."""
    text = gettext(
        "I only know about elections in Kazakhstan, so I cannot answer about other countries' "
        "elections. Ask me about Kazakhstan's votes, or choose a topic:",
        reply.lang,
    )
    if reply.countries:
        names = ", ".join(collated((country_name(c, reply.lang) for c in reply.countries), reply.lang))
        text = f"{names}: {text}"
    return escape(text)


def sorted_results(query: CandidateQuery, lang: Lang) -> list[Candidate]:
    """Candidates of a listing alphabetical in ``lang``; names found by search best match first."""
    if query.kind == "names":
        return list(query.results)
    return collated(query.results, lang, lambda c: c.full_name)


def reply_texts(assistant: Assistant, reply: Reply, today: date | None = None) -> list[str]:
    """The messages (Telegram HTML) a reply is sent as: one, or one card per mission."""
    lang = reply.lang
    day = today or kazakhstan_today()
    if isinstance(reply, FaqAnswer | Calendar):
        text = topic_answer(assistant, str(reply.topic), lang, today=day)
        return [text if text is not None else escape(dont_know(lang))]
    if isinstance(reply, Suggestions):
        return [escape(gettext("I am not sure I understood. Did you mean:", lang))]
    if isinstance(reply, CandidateResults):
        results = sorted_results(reply.query, lang)
        text = found_text(len(results), lang, any(c.is_sample for c in results))
        if len(results) > MAX_RESULTS:
            more = gettext("Showing the first {n}; browse all through the Candidates menu.", lang)
            text += "\n" + more.format(n=MAX_RESULTS)
        return [text]
    if isinstance(reply, MissionCards):
        calendar = votes(assistant.db)
        return [mission_card(m, lang, calendar=calendar, today=day) for m in reply.missions]
    if isinstance(reply, NoMission):
        return [no_mission_text(reply.countries, lang)]
    if isinstance(reply, SmallTalk):
        return [escape(gettext(SMALL_TALK[reply.act], lang))]
    if isinstance(reply, OutOfScope):
        return [out_of_scope_text(reply)]
    if isinstance(reply, NoText):
        return [escape(gettext("Please type your question in words, or choose a topic:", lang))]
    return [escape(dont_know(lang))]


def reply_plain(assistant: Assistant, reply: Reply, today: date | None = None) -> str:
    """What a voter reads of a reply, without markup (the command line)."""
    return "\n\n".join(plain(text) for text in reply_texts(assistant, reply, today))
