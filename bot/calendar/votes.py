"""The election calendar: next and recent votes from the ``elections`` table.

Answers "when is the next election?" (topic ``election-dates``) from data admins can change.
Unverified votes are never announced as fact; dates, countdowns and times are formatted by
Babel for each language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape

import sqlite_utils
from babel.dates import format_time, format_timedelta

from bot.i18n import gettext
from bot.languages import Lang
from bot.text.formatting import KAZAKHSTAN, format_day

POLLS_OPEN, POLLS_CLOSE = time(7, 0), time(20, 0)  # local time
RECENT = 3


def kazakhstan_today() -> date:
    """Today's date in Kazakhstan."""
    return datetime.now(KAZAKHSTAN).date()


@dataclass(frozen=True)
class Vote:
    """One row of the elections table."""

    id: str
    type: str
    day: date
    status: str
    names: dict[str, str]
    sources: tuple[str, ...]
    turnout: float | None = None  # None: no results entered in this bot

    def name(self, lang: Lang) -> str:
        """The vote's name in ``lang``."""
        return self.names[lang]


def votes(db: sqlite_utils.Database) -> list[Vote]:
    """Every real (non-sample) vote, oldest first."""
    rows = db.execute(
        "SELECT id, type, date, status, name_kk, name_ru, name_id, sources, turnout FROM elections "
        "WHERE coalesce(is_sample, 0) = 0 ORDER BY date, id"
    )
    return [
        Vote(
            r[0],
            r[1],
            date.fromisoformat(r[2]),
            r[3],
            {"kk": r[4], "ru": r[5], "id": r[6]},
            tuple(json.loads(r[7] or "[]")),
            r[8],
        )
        for r in rows
    ]


def upcoming(all_votes: list[Vote], today: date) -> list[Vote]:
    """Scheduled votes from today on, soonest first (unverified ones are not included)."""
    return [v for v in all_votes if v.status == "scheduled" and v.day >= today]


def recent(all_votes: list[Vote], today: date, count: int = RECENT) -> list[Vote]:
    """The latest votes held before today, newest first: a scheduled vote whose day has
    passed counts as held (on that day), never as still to come or as missing."""
    held = [v for v in reversed(all_votes) if v.status in ("held", "scheduled") and v.day < today]
    return held[:count]


def held_line(vote: Vote, lang: Lang) -> str:
    """A held vote as a list line (Telegram HTML), saying so when its results are not here."""
    line = f"• {escape(vote.name(lang))}: {format_day(vote.day, lang)}"
    if vote.turnout is None:
        line += " — " + escape(gettext("results are not in this bot yet: election.gov.kz", lang))
    return line


def countdown(day: date, today: date, lang: Lang) -> str:
    """ "today", "tomorrow" or "in 3 days" / "через 3 дня" / "3 күннен кейін"."""
    days = (day - today).days
    if days == 0:
        return gettext("today", lang)
    if days == 1:
        return gettext("tomorrow", lang)
    return format_timedelta(
        timedelta(days=days), granularity="day", threshold=10_000, add_direction=True, locale=lang
    )


def voting_hours(lang: Lang) -> str:
    """Polling hours in the locale's time format."""
    return gettext("Polling stations are open {start}–{end} local time (Kazakhstan: UTC+5).", lang).format(
        start=format_time(POLLS_OPEN, "short", locale=lang),
        end=format_time(POLLS_CLOSE, "short", locale=lang),
    )


def next_vote_abroad_text(all_votes: list[Vote], lang: Lang, today: date) -> str:
    """The next scheduled vote and the polling hours abroad, as Telegram HTML."""
    ahead = upcoming(all_votes, today)
    if not ahead:
        return "🗓 " + escape(gettext("No vote is scheduled at the moment.", lang))
    vote = ahead[0]
    hours = gettext("Abroad, polling stations work {start}–{end} local time.", lang).format(
        start=format_time(POLLS_OPEN, "short", locale=lang),
        end=format_time(POLLS_CLOSE, "short", locale=lang),
    )
    when = countdown(vote.day, today, lang)
    return "\n".join(
        [
            "🗓 <b>" + escape(gettext("Next vote", lang)) + "</b>",
            f"{escape(vote.name(lang))}: {format_day(vote.day, lang)} ({escape(when)})",
            escape(hours),
        ]
    )


def next_election_text(db: sqlite_utils.Database, lang: Lang, today: date) -> str:
    """The answer to "when is the next election?" as Telegram HTML."""
    all_votes = votes(db)
    ahead = upcoming(all_votes, today)
    lines: list[str] = []
    if ahead:
        first = ahead[0]
        lines.append("🗓 <b>" + escape(gettext("Next vote", lang)) + "</b>")
        when = countdown(first.day, today, lang)
        lines.append(f"{escape(first.name(lang))}: {format_day(first.day, lang)} ({escape(when)})")
        lines.append(escape(voting_hours(lang)))
        for later in ahead[1:3]:
            lines.append(f"• {escape(later.name(lang))}: {format_day(later.day, lang)}")
    else:
        lines.append("🗓 " + escape(gettext("No vote is scheduled at the moment.", lang)))
        lines.append("")
        lines.append("<b>" + escape(gettext("Most recent votes", lang)) + "</b>")
        for vote in recent(all_votes, today):
            lines.append(held_line(vote, lang))
        lines.append("")
        lines.append(
            escape(
                gettext(
                    "Rural and district akims are elected as their terms expire. New votes are "
                    "announced by the Central Election Commission: election.gov.kz.",
                    lang,
                )
            )
        )
    sources = sorted({s for v in (ahead or recent(all_votes, today)) for s in v.sources})
    if sources:
        source = gettext("Source", lang)
        lines += ["", f"📎 {escape(source)}: {escape('; '.join(sources[:3]))}"]
    return "\n".join(lines)


def calendar_text(all_votes: list[Vote], lang: Lang, today: date, count: int = 5) -> str:
    """Upcoming and recent votes, for /dates, as Telegram HTML."""
    ahead = upcoming(all_votes, today)
    lines = ["🗓 <b>" + escape(gettext("Upcoming votes", lang)) + "</b>"]
    if ahead:
        lines += [
            f"• {escape(v.name(lang))}: {format_day(v.day, lang)} ({escape(countdown(v.day, today, lang))})"
            for v in ahead
        ]
    else:
        lines.append(escape(gettext("No vote is scheduled at the moment.", lang)))
    lines += ["", "<b>" + escape(gettext("Most recent votes", lang)) + "</b>"]
    lines += [held_line(v, lang) for v in recent(all_votes, today, count)]
    return "\n".join(lines)
