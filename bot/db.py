"""The SQLite database: opening it and migrating its schema in code.

Each migration is a function applied once, inside a transaction, and recorded in the
``_migrations`` table, so a database created by any earlier version is brought up to date
on start without losing data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def utcnow() -> str:
    """Current UTC time as ISO 8601 text, the format every timestamp column uses."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _m001_faq_and_users(db: sqlite_utils.Database) -> None:
    db["faq_entries"].create(
        {
            "topic": str,
            "status": str,
            "as_of": str,
            "sources": str,  # JSON list of strings
            "updated_at": str,
        },
        pk="topic",
    )
    db["faq_texts"].create(
        {"topic": str, "lang": str, "title": str, "answer": str},
        pk=("topic", "lang"),
        foreign_keys=[("topic", "faq_entries", "topic")],
    )
    db["faq_questions"].create(
        {"id": int, "topic": str, "lang": str, "text": str},
        pk="id",
        foreign_keys=[("topic", "faq_entries", "topic")],
    )
    db["faq_questions"].create_index(["topic"])
    db["users"].create({"user_id": int, "lang": str, "updated_at": str}, pk="user_id")
    # Questions the bot could not answer or that voters marked "not helpful":
    # text, language and time only, never who asked.
    db["unanswered"].create(
        {"id": int, "text": str, "lang": str, "reason": str, "topic": str, "created_at": str},
        pk="id",
        not_null={"text", "reason", "created_at"},
    )
    db["unanswered"].create_index(["created_at"])
    db["feedback"].create(
        {"topic": str, "lang": str, "day": str, "helpful": int, "not_helpful": int},
        pk=("topic", "lang", "day"),
    )
    db["meta"].create({"key": str, "value": str}, pk="key")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_faq_and_users", _m001_faq_and_users),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not seen; return their names."""
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            migration(db)
            db["_migrations"].insert({"name": name, "applied_at": utcnow()})
        applied.append(name)
    return applied


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``, in WAL mode, migrated."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(str(path), check_same_thread=False))
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    migrate(db)
    return db


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    """Read one value from the ``meta`` table."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Write one value to the ``meta`` table."""
    db["meta"].upsert({"key": key, "value": value}, pk="key")
