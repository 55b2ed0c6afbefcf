"""aiogram FSM state in SQLite, so an admin's edit or broadcast in progress survives a restart.

One row per conversation key; data is JSON (what the handlers keep there is plain text and
numbers). The table is read once at start-up and kept in memory, written through on every
change: aiogram reads the state of every update, and this process is the table's only writer
(several processes share state through Redis instead).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import sqlite_utils
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from bot.db import utcnow

TABLE = "fsm_state"
MAX_DATA = 64 * 1024  # bytes of JSON per conversation: a draft answer in three languages fits


def _key(key: StorageKey) -> str:
    parts = (key.bot_id, key.chat_id, key.user_id, key.thread_id, key.business_connection_id, key.destiny)
    return ":".join("" if p is None else str(p) for p in parts)


class SQLiteStorage(BaseStorage):
    """FSM storage in the bot's own SQLite database (table ``fsm_state``)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        db.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(key TEXT PRIMARY KEY, state TEXT, data TEXT NOT NULL DEFAULT '{}', updated_at TEXT)"
        )
        rows = db.execute(f"SELECT key, state, data FROM {TABLE}").fetchall()  # noqa: S608
        self._rows: dict[str, tuple[str | None, str]] = {k: (state, data) for k, state, data in rows}

    def _row(self, key: StorageKey) -> tuple[str | None, str] | None:
        return self._rows.get(_key(key))

    def _remember(self, key: StorageKey) -> None:
        """Mirror the row just written (or deleted) into memory."""
        row = self.db.execute(f"SELECT state, data FROM {TABLE} WHERE key = ?", [_key(key)]).fetchone()  # noqa: S608
        if row is None:
            self._rows.pop(_key(key), None)
        else:
            self._rows[_key(key)] = (row[0], row[1])

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Set (or with None clear) the conversation's state."""
        value = state.state if isinstance(state, State) else state
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO {TABLE} (key, state, updated_at) VALUES (?, ?, ?) "  # noqa: S608
                "ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                [_key(key), value, utcnow()],
            )
            self._forget_if_empty(key)
        self._remember(key)

    async def get_state(self, key: StorageKey) -> str | None:
        """The conversation's state, or None."""
        row = self._row(key)
        return row[0] if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Replace the conversation's data (JSON, at most MAX_DATA bytes)."""
        text = json.dumps(dict(data), ensure_ascii=False)
        if len(text.encode()) > MAX_DATA:
            raise ValueError(f"FSM data larger than {MAX_DATA} bytes")
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO {TABLE} (key, data, updated_at) VALUES (?, ?, ?) "  # noqa: S608
                "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
                [_key(key), text, utcnow()],
            )
            self._forget_if_empty(key)
        self._remember(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """A copy of the conversation's data."""
        row = self._row(key)
        return json.loads(row[1]) if row else {}

    def _forget_if_empty(self, key: StorageKey) -> None:
        """No state and no data: the conversation is over, keep nothing about it."""
        self.db.execute(f"DELETE FROM {TABLE} WHERE key = ? AND state IS NULL AND data = '{{}}'", [_key(key)])  # noqa: S608

    async def close(self) -> None:
        """Nothing to close: the database belongs to the assistant."""
