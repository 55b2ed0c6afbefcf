"""What needs an admin's attention: votes past their date without results, votes announced but
unverified, answers not checked for a while, drafts waiting, sources that are not a page.

Sent to every admin in their language when the bot starts and then once a day (one per admin
per day, through the outbox), and on demand with /stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape

import sqlite_utils

from bot.calendar.votes import KAZAKHSTAN, Vote, votes
from bot.content.sources import weak_sources
from bot.delivery import outbox, users
from bot.i18n import gettext
from bot.languages import DEFAULT_LANG, Lang
from bot.text.formatting import format_day

KIND = "digest"
LISTED = 8  # items shown per section; the rest are counted


@dataclass(frozen=True)
class Digest:
    """Everything that needs attention on one day."""

    day: date
    stale_after_days: int
    without_results: tuple[Vote, ...]
    unverified: tuple[Vote, ...]
    stale: tuple[tuple[str, date], ...]  # (topic, as_of)
    drafts: tuple[tuple[str, int | None], ...]  # (topic, version); None: a draft in the content files
    weak: tuple[tuple[str, str, str], ...]  # (kind, ID, problem)

    @property
    def empty(self) -> bool:
        """True when nothing needs attention."""
        return not (self.without_results or self.unverified or self.stale or self.drafts or self.weak)


def build(db: sqlite_utils.Database, today: date, stale_after_days: int) -> Digest:
    """The digest of ``today``: answers whose ``as_of`` is older than ``stale_after_days``."""
    calendar = votes(db)
    oldest = today - timedelta(days=stale_after_days)
    stale = tuple(
        (topic, date.fromisoformat(as_of))
        for topic, as_of in db.execute(
            "SELECT topic, as_of FROM faq_entries WHERE status = 'published' AND as_of < ? "
            "ORDER BY as_of, topic",
            [oldest.isoformat()],
        )
    )
    edited = db.execute("SELECT topic, version FROM faq_versions WHERE status = 'draft'").fetchall()
    seeded = db.execute("SELECT topic, NULL FROM faq_entries WHERE status = 'draft'").fetchall()
    drafts = tuple(sorted({(t, v) for t, v in edited + seeded}, key=lambda d: (d[0], d[1] or 0)))
    return Digest(
        day=today,
        stale_after_days=stale_after_days,
        without_results=tuple(
            v for v in calendar if v.status in ("held", "scheduled") and v.day < today and v.turnout is None
        ),
        unverified=tuple(v for v in calendar if v.status == "unverified"),
        stale=stale,
        drafts=drafts,
        weak=tuple((kind, item, problem) for kind, item, _, problem in weak_sources(db)),
    )


def _section(title: str, items: list[str], lang: Lang) -> list[str]:
    """A bold heading with the count, then at most LISTED escaped items."""
    if not items:
        return []
    lines = ["", f"<b>{escape(title)}: {len(items)}</b>"]
    lines += [f"• {escape(item)}" for item in items[:LISTED]]
    if len(items) > LISTED:
        lines.append(escape(gettext("… and {n} more", lang).format(n=len(items) - LISTED)))
    return lines


def text(digest: Digest, lang: Lang) -> str:
    """The digest as Telegram HTML in ``lang``."""
    heading = gettext("What needs attention on {date}", lang).format(date=format_day(digest.day, lang))
    lines = [f"🗂 <b>{escape(heading)}</b>"]
    if digest.empty:
        lines.append(escape(gettext("Nothing needs attention.", lang)))
    lines += _section(
        gettext("Votes past their date without results", lang),
        [f"{v.name(lang)} ({format_day(v.day, lang)}): /election_set {v.id}" for v in digest.without_results],
        lang,
    )
    lines += _section(
        gettext("Votes announced but not verified", lang),
        [f"{v.name(lang)} ({format_day(v.day, lang)})" for v in digest.unverified],
        lang,
    )
    lines += _section(
        gettext("Answers not checked for more than {days} days", lang).format(days=digest.stale_after_days),
        [
            gettext("{topic}: checked on {date}", lang).format(topic=topic, date=format_day(as_of, lang))
            for topic, as_of in digest.stale
        ],
        lang,
    )
    lines += _section(
        gettext("Drafts waiting to be published or discarded", lang),
        [
            f"{topic}{f' v{version}' if version else ''}: /faq_show {topic}"
            for topic, version in digest.drafts
        ],
        lang,
    )
    lines += _section(
        gettext("Sources that are not a page voters can check", lang),
        [" ".join((kind, item + ":", gettext(problem, lang))) for kind, item, problem in digest.weak],
        lang,
    )
    return "\n".join(lines)


def plan(db: sqlite_utils.Database, now: datetime, admins: list[int], stale_after_days: int) -> int:
    """Queue today's digest for each admin who has not had it today, when something needs
    attention. Returns how many were queued."""
    today = now.astimezone(KAZAKHSTAN).date()
    keys = {admin: f"{KIND}/{today.isoformat()}/{admin}" for admin in admins}
    waiting = [
        a for a, k in keys.items() if not db.execute("SELECT 1 FROM outbox WHERE key = ?", [k]).fetchone()
    ]
    if not waiting or build(db, today, stale_after_days).empty:  # checked once a minute: cheap first
        return 0
    return sum(outbox.enqueue(db, keys[a], KIND, a, {"day": today.isoformat()}) for a in waiting)


def render(db: sqlite_utils.Database, message: outbox.Outgoing, stale_after_days: int) -> str:
    """A queued digest, built afresh when it is sent, in the admin's language."""
    lang = users.get_lang(db, message.user_id) or DEFAULT_LANG
    day = date.fromisoformat(str(message.payload.get("day")))
    return text(build(db, day, stale_after_days), lang)
