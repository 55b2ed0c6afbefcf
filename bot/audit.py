"""The audit log: who changed what, when, with the state before and after.

:func:`record` is called inside the transaction of the change it describes, so a change and
its audit entry are stored together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.db import utcnow

SYSTEM = 0  # user_id of changes made by the bot itself (e.g. forgetting a blocked user)


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    user_id: int
    action: str
    target: str | None
    before: Any
    after: Any
    note: str | None


def record(
    db: sqlite_utils.Database,
    user_id: int,
    action: str,
    target: str | None = None,
    before: Any = None,
    after: Any = None,
    note: str | None = None,
) -> None:
    """Append one entry (call it inside the change's transaction)."""
    db["audit_log"].insert(
        {
            "at": utcnow(),
            "user_id": user_id,
            "action": action,
            "target": target,
            "before": None if before is None else json.dumps(before, ensure_ascii=False, default=str),
            "after": None if after is None else json.dumps(after, ensure_ascii=False, default=str),
            "note": note,
        }
    )


def recent(
    db: sqlite_utils.Database, limit: int = 20, action: str | None = None, changes_only: bool = False
) -> list[AuditEntry]:
    """The newest entries first (of one action, or all; ``changes_only``: without denied
    attempts, so strangers cannot push real changes out of view)."""
    rows = db.execute(
        "SELECT id, at, user_id, action, target, before, after, note FROM audit_log "
        "WHERE (? IS NULL OR action = ?) AND NOT (? AND action = ?) ORDER BY id DESC LIMIT ?",
        [action, action, int(changes_only), DENIED, limit],
    )
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], _load(r[5]), _load(r[6]), r[7]) for r in rows.fetchall()]


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


DENIED = "denied"
DENIED_LOGGED_PER_DAY = 3  # audit entries per user and day; further attempts are only counted


def record_denied(db: sqlite_utils.Database, user_id: int, target: str) -> bool:
    """Count a non-admin's attempt at an admin command or button; write it to the audit log
    only for the first few of the day. Returns True when it was logged."""
    now = utcnow()
    with db.atomic():
        db.execute(
            "INSERT INTO denied_attempts (user_id, count, first_at, last_at) VALUES (?, 1, ?, ?) "
            "ON CONFLICT(user_id) DO UPDATE SET count = count + 1, last_at = excluded.last_at",
            [user_id, now, now],
        )
        logged_today = db.execute(
            "SELECT count(*) FROM audit_log WHERE action = ? AND user_id = ? AND at >= ?",
            [DENIED, user_id, now[:10]],
        ).fetchone()[0]
        if logged_today >= DENIED_LOGGED_PER_DAY:
            return False
        record(db, user_id, DENIED, target[:64])
    return True


def denied_counts(db: sqlite_utils.Database, limit: int = 10) -> list[tuple[int, int, str]]:
    """(user ID, attempts, last attempt) of the users with the most denied attempts."""
    return db.execute(
        "SELECT user_id, count, last_at FROM denied_attempts ORDER BY count DESC, user_id LIMIT ?", [limit]
    ).fetchall()


def last_id(db: sqlite_utils.Database) -> int:
    """The ID of the newest entry (0 when the log is empty)."""
    return db.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0]


def actions_since(db: sqlite_utils.Database, after_id: int, limit: int = 1000) -> tuple[int, set[str]]:
    """The actions recorded after entry ``after_id`` (denied attempts left out, as they change
    nothing), and the ID to ask from next time."""
    rows = db.execute(
        "SELECT id, action FROM audit_log WHERE id > ? ORDER BY id LIMIT ?", [after_id, limit]
    ).fetchall()
    return (rows[-1][0] if rows else after_id), {action for _, action in rows if action != DENIED}
