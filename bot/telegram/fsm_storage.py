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
EMPTY: tuple[str | None, str] = (None, "{}")  # no state, no data: no conversation
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

    def _current(self, key: StorageKey) -> tuple[str | None, str]:
        """The conversation's (state, data JSON); none yet: (None, "{}")."""
        return self._rows.get(_key(key), EMPTY)

    def _write(self, key: StorageKey, state: str | None, data: str) -> None:
        """Store the conversation's state and data, in the table and in memory; a conversation
        with neither is over, and nothing is kept about it."""
        name, over = _key(key), (state, data) == EMPTY
        with self.db.atomic():
            if over:
                self.db.execute(f"DELETE FROM {TABLE} WHERE key = ?", [name])  # noqa: S608
            else:
                self.db.execute(
                    f"INSERT OR REPLACE INTO {TABLE} (key, state, data, updated_at) VALUES (?, ?, ?, ?)",  # noqa: S608
                    [name, state, data, utcnow()],
                )
        if over:
            self._rows.pop(name, None)
        else:
            self._rows[name] = (state, data)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        """Set (or with None clear) the conversation's state."""
        value = state.state if isinstance(state, State) else state
        self._write(key, value, self._current(key)[1])

    async def get_state(self, key: StorageKey) -> str | None:
        """The conversation's state, or None."""
        return self._current(key)[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        """Replace the conversation's data (JSON, at most MAX_DATA bytes)."""
        text = json.dumps(dict(data), ensure_ascii=False)
        if len(text.encode()) > MAX_DATA:
            raise ValueError(f"FSM data larger than {MAX_DATA} bytes")
        self._write(key, self._current(key)[0], text)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """A copy of the conversation's data."""
        return json.loads(self._current(key)[1])

    async def close(self) -> None:
        """Nothing to close: the database belongs to the assistant."""
