"""Usage figures for admins: anonymous counts only (no user is linked to a question)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlite_utils

from bot.text.normalize import key

UNANSWERED = ""  # the topic under which questions without an answer are counted
MAX_PENDING_KEYS = 1000  # (day, language, topic) counts held in memory at most before a write


def count_question(db: sqlite_utils.Database, lang: str, topic: str | None, day: date | None = None) -> None:
    """Count one voter question of ``lang`` answered with ``topic`` (None: not answered)."""
    with db.atomic():
        db.execute(
            "INSERT INTO question_counts (day, lang, topic, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT(day, lang, topic) DO UPDATE SET count = count + 1",
            [(day or datetime.now(UTC).date()).isoformat(), lang, topic or UNANSWERED],
        )


class QuestionTally:
    """Question counts added up in memory and written in one transaction every few seconds.

    A write and a commit for every question was most of an update's SQLite time under a burst
    (benchmarks/bench_dispatch.py). The counts in the database are at most ``every`` seconds
    behind: :meth:`flush` runs before /stats reads them and when the bot stops, so a crash
    loses at most those seconds of anonymous counts and nothing else.
    """

    def __init__(
        self, db: sqlite_utils.Database, every: float = 5.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.db = db
        self.every = every
        self.clock = clock
        self._pending: Counter[tuple[str, str, str]] = Counter()
        self._since = clock()

    def add(self, lang: str, topic: str | None, day: date | None = None) -> None:
        """Count one question of ``lang`` answered with ``topic`` (None: not answered)."""
        when = (day or datetime.now(UTC).date()).isoformat()
        self._pending[(when, lang, topic or UNANSWERED)] += 1
        if self.clock() - self._since >= self.every or len(self._pending) >= MAX_PENDING_KEYS:
            self.flush()

    def pending(self) -> int:
        """Questions counted and not yet written."""
        return sum(self._pending.values())

    def flush(self) -> None:
        """Write the counts added since the last flush, in one transaction."""
        self._since = self.clock()
        if not self._pending:
            return
        rows = [(*k, n, n) for k, n in self._pending.items()]
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT INTO question_counts (day, lang, topic, count) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(day, lang, topic) DO UPDATE SET count = count + ?",
                rows,
            )
        self._pending.clear()


@dataclass(frozen=True)
class Stats:
    """The figures /stats shows."""

    users_by_lang: dict[str, int]
    subscribers: int
    per_day: list[tuple[str, int]]  # (day, questions), newest first
    per_day_by_lang: dict[str, dict[str, int]]  # day -> language -> questions
    questions: int
    answered: int
    top_topics: list[tuple[str, int]]
    top_misses: list[tuple[str, int]]  # (an example question, how often it came in a similar form)


def gather(db: sqlite_utils.Database, today: date, days: int = 30, top: int = 5) -> Stats:
    """Figures over the last ``days`` days up to ``today``."""
    since = (today - timedelta(days=days - 1)).isoformat()
    users = dict(db.execute("SELECT lang, count(*) FROM users GROUP BY lang").fetchall())
    subscribers = db.execute("SELECT count(DISTINCT user_id) FROM subscriptions").fetchone()[0]
    per_day = db.execute(
        "SELECT day, sum(count) FROM question_counts WHERE day >= ? GROUP BY day ORDER BY day DESC", [since]
    ).fetchall()
    by_lang: dict[str, dict[str, int]] = {}
    for day, lang, n in db.execute(
        "SELECT day, lang, sum(count) FROM question_counts WHERE day >= ? GROUP BY day, lang", [since]
    ):
        by_lang.setdefault(day, {})[lang] = n
    by_topic = dict(
        db.execute("SELECT topic, sum(count) FROM question_counts WHERE day >= ? GROUP BY topic", [since])
    )
    answered = sum(n for topic, n in by_topic.items() if topic != UNANSWERED)
    topics = sorted(((t, n) for t, n in by_topic.items() if t != UNANSWERED), key=lambda p: (-p[1], p[0]))
    misses: Counter[str] = Counter()
    example: dict[str, str] = {}
    unhandled = db.execute(  # questions admins have dealt with in /unanswered are not misses any more
        "SELECT text FROM unanswered WHERE created_at >= ? AND handled_at IS NULL ORDER BY id DESC", [since]
    )
    for (text,) in unhandled:
        folded = key(text)
        misses[folded] += 1
        example.setdefault(folded, text)
    top_misses = sorted(misses.items(), key=lambda p: (-p[1], p[0]))[:top]
    return Stats(
        users_by_lang=users,
        subscribers=subscribers,
        per_day=[(d, n) for d, n in per_day],
        per_day_by_lang=by_lang,
        questions=sum(by_topic.values()),
        answered=answered,
        top_topics=topics[:top],
        top_misses=[(example[k], n) for k, n in top_misses],
    )
