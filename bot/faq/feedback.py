"""Anonymous learning signals: unanswered questions and helpful / not helpful votes.

Rows hold the question text, its language and the time, never who asked.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from bot.db import utcnow

MAX_STORED_CHARS = 500
REASONS = ("no_match", "none_of_these", "not_helpful")


def record_unanswered(
    db: sqlite_utils.Database, text: str, lang: str | None, reason: str, topic: str | None = None
) -> None:
    """Keep a question for admins to review later."""
    if reason not in REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    text = text.strip()[:MAX_STORED_CHARS]
    if not text:
        return
    with db.atomic():  # plain SQL: sqlite-utils' insert first reads the schema, three queries more
        db.execute(
            "INSERT INTO unanswered (text, lang, reason, topic, created_at) VALUES (?, ?, ?, ?, ?)",
            [text, lang, reason, topic, utcnow()],
        )


def record_vote(db: sqlite_utils.Database, topic: str, lang: str, helpful: bool) -> None:
    """Count one helpful / not helpful vote for a topic, per day."""
    day = datetime.now(UTC).date().isoformat()
    column = "helpful" if helpful else "not_helpful"
    with db.atomic():
        db.execute(
            "INSERT INTO feedback (topic, lang, day, helpful, not_helpful) VALUES (?, ?, ?, 0, 0)"
            " ON CONFLICT(topic, lang, day) DO NOTHING",
            [topic, lang, day],
        )
        db.execute(
            f"UPDATE feedback SET {column} = {column} + 1"  # noqa: S608 - column is fixed
            " WHERE topic = ? AND lang = ? AND day = ?",
            [topic, lang, day],
        )


def recent_unanswered(db: sqlite_utils.Database, limit: int = 50) -> list[dict]:
    """The newest unanswered questions."""
    return list(db["unanswered"].rows_where(order_by="id desc", limit=limit))
