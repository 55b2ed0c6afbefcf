"""Files admins upload, kept in the ``uploads`` table until they press Apply or Cancel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from html import escape
from typing import TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot import audit
from bot.conversation.assistant import Assistant
from bot.db import utcnow
from handlers.buttons import Keyboard

T = TypeVar("T")
CHECK_SECONDS = 30.0  # parsing and dry-running one upload; the limits make it far quicker


async def check_off_loop(message: Message, check: Callable[..., T], *args: object) -> T | None:
    """Run an upload's parsing or dry run in a worker thread, so other users are answered
    meanwhile. After CHECK_SECONDS the admin is told nothing changed, and None is returned."""
    try:
        return await asyncio.wait_for(asyncio.to_thread(check, *args), CHECK_SECONDS)
    except TimeoutError:
        text = _("Checking the file took longer than {n} seconds. Nothing was changed.")
        await message.answer(escape(text.format(n=int(CHECK_SECONDS))))
        return None


def keep_pending(
    assistant: Assistant,
    user_id: int,
    kind: str,
    filename: str | None,
    content: bytes,
    report: str | None = None,
) -> int:
    """Store an upload waiting for confirmation; return its ID."""
    with assistant.db.atomic():
        row = {
            "user_id": user_id,
            "kind": kind,
            "filename": filename,
            "content": content,
            "report": report,
            "status": "pending",
            "created_at": utcnow(),
        }
        return int(assistant.db["uploads"].insert(row).last_pk)


def confirm_keyboard(apply: CallbackData, cancel: CallbackData) -> InlineKeyboardMarkup:
    """Apply / Cancel buttons."""
    kb = Keyboard()
    kb.button(text="✅ " + _("Apply"), callback_data=apply)
    kb.button(text="✖️ " + _("Cancel"), callback_data=cancel)
    return kb.as_markup()


async def pending_upload(
    query: CallbackQuery, assistant: Assistant, upload_id: int, kind: str
) -> tuple | None:
    """(file name, content, report) of a pending upload of ``kind``; else an alert and None."""
    row = assistant.db.execute(
        "SELECT filename, content, report FROM uploads WHERE id = ? AND kind = ? AND status = 'pending'",
        [upload_id, kind],
    ).fetchone()
    if row is None:
        await query.answer(_("This upload was already applied or cancelled."), show_alert=True)
    return row


async def cancel_upload(
    query: CallbackQuery, assistant: Assistant, upload_id: int, action: str, filename: str
) -> None:
    """Mark an upload cancelled (audited) and tell the admin nothing changed."""
    with assistant.db.atomic():
        assistant.db["uploads"].update(upload_id, {"status": "cancelled"})
        audit.record(assistant.db, query.from_user.id, action, filename)
    await query.answer(_("Cancelled. Nothing was changed."), show_alert=True)
