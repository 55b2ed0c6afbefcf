"""Usage figures for admins: anonymous counts only (no user is linked to a question)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlite_utils

from bot.text.normalize import key

UNANSWERED = ""  # the topic under which questions without an answer are counted


def count_question(db: sqlite_utils.Database, lang: str, topic: str | None, day: date | None = None) -> None:
    """Count one voter question of ``lang`` answered with ``topic`` (None: not answered)."""
    with db.atomic():
        db.execute(
            "INSERT INTO question_counts (day, lang, topic, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT(day, lang, topic) DO UPDATE SET count = count + 1",
            [(day or datetime.now(UTC).date()).isoformat(), lang, topic or UNANSWERED],
        )


@dataclass(frozen=True)
class Stats:
    """The figures /stats shows."""

    users_by_lang: dict[str, int]
    subscribers: int
    per_day: list[tuple[str, int]]  # (day, questions), newest first
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
        questions=sum(by_topic.values()),
        answered=answered,
        top_topics=topics[:top],
        top_misses=[(example[k], n) for k, n in top_misses],
    )
