"""A persistent outbox: messages to users (reminders, broadcasts) kept in SQLite until sent.

Each message has a unique key, so planning the same reminder twice queues it once. A message
is marked ``sending`` (and committed) before the Bot API call and ``sent`` after it, so a
restart never sends it again: rows left ``sending`` by a crash become ``unconfirmed``, as
Telegram may or may not have received them. At most one message per key is ever delivered;
only a message in flight at the moment of a crash can be missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from bot.db import utcnow

PENDING, SENDING, SENT = "pending", "sending", "sent"
UNCONFIRMED, FAILED, DROPPED = "unconfirmed", "failed", "dropped"


@dataclass(frozen=True)
class Outgoing:
    """One queued message."""

    id: int
    key: str
    kind: str
    user_id: int
    payload: dict
    attempts: int


def enqueue(
    db: sqlite_utils.Database,
    key: str,
    kind: str,
    user_id: int,
    payload: dict,
    not_before: datetime | None = None,
) -> bool:
    """Queue a message unless one with ``key`` was ever queued; True if it is new."""
    with db.atomic():
        cursor = db.execute(
            "INSERT OR IGNORE INTO outbox (key, kind, user_id, payload, status, attempts, not_before, "
            "created_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
            [
                key,
                kind,
                user_id,
                json.dumps(payload, ensure_ascii=False),
                PENDING,
                _iso(not_before or datetime.now(UTC)),
                utcnow(),
            ],
        )
    return cursor.rowcount > 0


def recover(db: sqlite_utils.Database) -> int:
    """After a restart: rows a crash left ``sending`` become ``unconfirmed``; return how many."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE outbox SET status = ?, error = 'interrupted while sending' WHERE status = ?",
            [UNCONFIRMED, SENDING],
        )
    return cursor.rowcount


def due(db: sqlite_utils.Database, limit: int = 1000, now: datetime | None = None) -> list[Outgoing]:
    """Pending messages whose time has come, oldest first."""
    rows = db.execute(
        "SELECT id, key, kind, user_id, payload, attempts FROM outbox "
        "WHERE status = ? AND not_before <= ? ORDER BY id LIMIT ?",
        [PENDING, _iso(now or datetime.now(UTC)), limit],
    )
    return [Outgoing(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5]) for r in rows]


def claim(db: sqlite_utils.Database, message_id: int) -> bool:
    """Mark a pending message ``sending`` (committed before the API call); False if it is not
    pending any more (sent, dropped or claimed by another worker)."""
    with db.atomic():
        cursor = db.execute(
            "UPDATE outbox SET status = ?, attempts = attempts + 1 WHERE id = ? AND status = ?",
            [SENDING, message_id, PENDING],
        )
    return cursor.rowcount == 1


def finish(db: sqlite_utils.Database, message_id: int, status: str, error: str | None = None) -> None:
    """Record the outcome of a claimed message: sent, failed, dropped or unconfirmed."""
    with db.atomic():
        db.execute(
            "UPDATE outbox SET status = ?, error = ?, sent_at = ? WHERE id = ?",
            [status, error, utcnow() if status == SENT else None, message_id],
        )


def release(db: sqlite_utils.Database, message_id: int, delay_seconds: float, error: str) -> None:
    """Put a claimed message back in the queue, to try again after ``delay_seconds``
    (Telegram answered that it did not deliver it: 429 or a server error)."""
    when = datetime.now(UTC) + timedelta(seconds=delay_seconds)
    with db.atomic():
        db.execute(
            "UPDATE outbox SET status = ?, not_before = ?, error = ? WHERE id = ?",
            [PENDING, _iso(when), error, message_id],
        )


def forget_user_messages(db: sqlite_utils.Database, user_id: int) -> int:
    """Delete every message to a user (who blocked the bot or asked to be forgotten), except
    one being sent at this moment; return how many were deleted."""
    with db.atomic():
        cursor = db.execute("DELETE FROM outbox WHERE user_id = ? AND status != ?", [user_id, SENDING])
    return cursor.rowcount


def counts(db: sqlite_utils.Database, kind: str | None = None) -> dict[str, int]:
    """Number of messages per status (of one kind, or all)."""
    rows = db.execute(
        "SELECT status, count(*) FROM outbox WHERE ? IS NULL OR kind = ? GROUP BY status", [kind, kind]
    )
    return dict(rows.fetchall())


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()
