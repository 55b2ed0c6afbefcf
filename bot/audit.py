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


def recent(db: sqlite_utils.Database, limit: int = 20, action: str | None = None) -> list[AuditEntry]:
    """The newest entries first (of one action, or all)."""
    rows = db.execute(
        "SELECT id, at, user_id, action, target, before, after, note FROM audit_log "
        "WHERE ? IS NULL OR action = ? ORDER BY id DESC LIMIT ?",
        [action, action, limit],
    )
    return [AuditEntry(r[0], r[1], r[2], r[3], r[4], _load(r[5]), _load(r[6]), r[7]) for r in rows.fetchall()]


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)
