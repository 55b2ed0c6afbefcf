"""Vote reminders: subscriptions, planning which reminders are due, and their text.

A subscriber gets a reminder a few days before a scheduled vote and one on the morning of the
day, in the language they subscribed in. Planning only queues messages in the outbox (one
key per user, vote, date and reminder), so it can run as often as needed; the sender delivers
them. A vote that is moved gets fresh reminders; one that is no longer scheduled gets none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape

import sqlite_utils
from babel.dates import format_time

from bot.calendar.votes import (
    KAZAKHSTAN,
    POLLS_CLOSE,
    POLLS_OPEN,
    countdown,
    upcoming,
    votes,
    voting_hours,
)
from bot.db import utcnow
from bot.delivery import outbox
from bot.i18n import gettext
from bot.languages import LANGS, Lang
from bot.text.formatting import format_day

ALL_VOTES = "*"
KIND = "reminder"


@dataclass(frozen=True)
class Reminder:
    """When a reminder goes out: ``days_before`` the vote, at ``at`` Kazakhstan time."""

    name: str
    days_before: int
    at: time


REMINDERS = (Reminder("3-days", 3, time(10, 0)), Reminder("day", 0, time(7, 0)))


def send_window(day: date, reminder: Reminder) -> tuple[datetime, datetime]:
    """From when until when ``reminder`` of a vote on ``day`` may go out: a reminder that
    could not be sent in time (the bot was down) is sent late, but never after the next one
    or after the polls close."""
    start = datetime.combine(day - timedelta(days=reminder.days_before), reminder.at, KAZAKHSTAN)
    later = [datetime.combine(day - timedelta(days=r.days_before), r.at, KAZAKHSTAN) for r in REMINDERS]
    end = min([t for t in later if t > start], default=datetime.combine(day, POLLS_CLOSE, KAZAKHSTAN))
    return start, end


# --- subscriptions ---------------------------------------------------------------------------
def subscribe(
    db: sqlite_utils.Database,
    user_id: int,
    lang: Lang,
    election_id: str = ALL_VOTES,
    mission_id: str | None = None,
) -> None:
    """Subscribe to reminders of one vote (or all); re-subscribing updates language and mission."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    row = {"user_id": user_id, "election_id": election_id, "lang": lang, "created_at": utcnow()}
    if mission_id is not None:
        row["mission_id"] = mission_id
    with db.atomic():
        db["subscriptions"].upsert(row, pk=("user_id", "election_id"))


def unsubscribe(db: sqlite_utils.Database, user_id: int, election_id: str | None = None) -> int:
    """Remove one subscription (or all of them) and the reminders still queued; return how many
    subscriptions were removed."""
    where, params = "user_id = ?", [user_id]
    if election_id is not None:
        where, params = where + " AND election_id = ?", [user_id, election_id]
    with db.atomic():
        removed = db.execute(f"DELETE FROM subscriptions WHERE {where}", params).rowcount  # noqa: S608
        still = {
            r[0] for r in db.execute("SELECT election_id FROM subscriptions WHERE user_id = ?", [user_id])
        }
        for message_id, payload in db.execute(
            "SELECT id, payload FROM outbox WHERE user_id = ? AND kind = ? AND status = ?",
            [user_id, KIND, outbox.PENDING],
        ).fetchall():
            if ALL_VOTES not in still and json.loads(payload)["election"] not in still:
                db.execute("DELETE FROM outbox WHERE id = ?", [message_id])
    return removed


def subscriptions_of(db: sqlite_utils.Database, user_id: int) -> list[dict]:
    """The user's subscriptions (election ID or "*", language, mission)."""
    return list(db["subscriptions"].rows_where("user_id = ?", [user_id], order_by="election_id"))


# --- planning ----------------------------------------------------------------------------------
def plan(db: sqlite_utils.Database, now: datetime) -> int:
    """Queue every reminder that is due at ``now`` for its subscribers; return how many are new."""
    today = now.astimezone(KAZAKHSTAN).date()
    queued = 0
    for vote in upcoming(votes(db), today):
        for reminder in REMINDERS:
            start, end = send_window(vote.day, reminder)
            if not start <= now < end:
                continue
            subscribers = db.execute(
                "SELECT user_id, mission_id FROM subscriptions WHERE election_id IN (?, ?) "
                "ORDER BY user_id, election_id = ? DESC",
                [vote.id, ALL_VOTES, vote.id],
            ).fetchall()
            for user_id, mission_id in subscribers:
                key = f"{KIND}/{vote.id}/{vote.day.isoformat()}/{reminder.name}/{user_id}"
                payload = {"election": vote.id, "date": vote.day.isoformat(), "mission": mission_id}
                queued += outbox.enqueue(db, key, KIND, user_id, payload)  # due at once
    return queued


# --- text --------------------------------------------------------------------------------------
def reminder_text(db: sqlite_utils.Database, message: outbox.Outgoing, today: date) -> str | None:
    """The reminder in the subscriber's language, or None when the vote is no longer on that
    date or scheduled (or the user has unsubscribed)."""
    payload = message.payload
    vote = next((v for v in upcoming(votes(db), today) if v.id == payload["election"]), None)
    if vote is None or vote.day.isoformat() != payload["date"]:
        return None
    row = db.execute(
        "SELECT lang FROM subscriptions WHERE user_id = ? AND election_id IN (?, ?) "
        "ORDER BY election_id = ? DESC LIMIT 1",
        [message.user_id, vote.id, ALL_VOTES, vote.id],
    ).fetchone()
    if row is None:
        return None
    lang: Lang = row[0]
    when = countdown(vote.day, today, lang)
    lines = [
        "🔔 <b>" + escape(gettext("Reminder", lang)) + "</b>",
        f"{escape(vote.name(lang))}: {format_day(vote.day, lang)} ({escape(when)})",
    ]
    mission = (
        payload.get("mission")
        and db.execute("SELECT names FROM missions WHERE id = ?", [payload["mission"]]).fetchone()
    )
    if mission:
        name = json.loads(mission[0])[lang]
        lines.append(
            escape(
                gettext(
                    "Abroad you vote at an embassy or consulate of Kazakhstan, {start}–{end} local "
                    "time, with a valid passport. Your mission: {mission}; its contacts and polling "
                    "station: /abroad",
                    lang,
                ).format(
                    mission=name,
                    start=format_time(POLLS_OPEN, "short", locale=lang),
                    end=format_time(POLLS_CLOSE, "short", locale=lang),
                )
            )
        )
    else:
        lines.append(escape(voting_hours(lang)))
        lines.append(
            escape(
                gettext(
                    "Find your polling station in eGov Mobile or on gov.kz with your IIN, and bring "
                    "your ID card or passport.",
                    lang,
                )
            )
        )
    lines += ["", escape(gettext("Stop reminders: /unsubscribe", lang))]
    return "\n".join(lines)
