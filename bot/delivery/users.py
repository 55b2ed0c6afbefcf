"""What the bot keeps about a user: the Telegram user ID, the chosen language, and reminder
subscriptions (with the reminders queued for them).

Nothing else is stored with a user's identity; :func:`user_data` and
:func:`bot.reminders.subscriptions_of` show all of it and :func:`forget_user` deletes it.
"""

from __future__ import annotations

import sqlite_utils

from bot.db import utcnow
from bot.delivery import outbox
from bot.languages import LANGS, Lang


def get_lang(db: sqlite_utils.Database, user_id: int) -> Lang | None:
    """The language the user chose, or None if they never chose one."""
    row = db.execute("SELECT lang FROM users WHERE user_id = ?", [user_id]).fetchone()
    return row[0] if row and row[0] in LANGS else None


def set_lang(db: sqlite_utils.Database, user_id: int, lang: Lang) -> None:
    """Remember the user's interface language (their reminders' language too)."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}")
    with db.atomic():  # reminders follow the language the user reads now
        db["users"].upsert({"user_id": user_id, "lang": lang, "updated_at": utcnow()}, pk="user_id")
        db.execute("UPDATE subscriptions SET lang = ? WHERE user_id = ?", [lang, user_id])


def user_data(db: sqlite_utils.Database, user_id: int) -> dict[str, object] | None:
    """Everything stored about the user (None when nothing is)."""
    rows = list(db["users"].rows_where("user_id = ?", [user_id]))
    return rows[0] if rows else None


def forget_user(db: sqlite_utils.Database, user_id: int) -> bool:
    """Delete everything stored about the user (language, subscriptions, queued messages);
    True if there was something."""
    with db.atomic():
        deleted = db.execute("DELETE FROM users WHERE user_id = ?", [user_id]).rowcount
        deleted += db.execute("DELETE FROM subscriptions WHERE user_id = ?", [user_id]).rowcount
        deleted += outbox.forget_user_messages(db, user_id)
        if db["fsm_state"].exists():  # a conversation in progress (bot.telegram.fsm_storage)
            deleted += db.execute("DELETE FROM fsm_state WHERE key LIKE ?", [f"%:{int(user_id)}:%"]).rowcount
    return deleted > 0


def count_by_lang(db: sqlite_utils.Database) -> dict[str, int]:
    """Number of users per chosen language."""
    return dict(db.execute("SELECT lang, count(*) FROM users GROUP BY lang").fetchall())
