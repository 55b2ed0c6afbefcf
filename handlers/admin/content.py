"""Admins send a content zip (as made by /export_content): checked, validated, summarised,
and applied only after confirmation (FAQ files become drafts)."""

from __future__ import annotations

import io
import tempfile
from html import escape
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import CandidateDirectory
from bot.content import importing as content_import
from bot.conversation.assistant import Assistant
from bot.faq.entries import ContentError
from handlers.admin.uploads import (
    cancel_upload,
    check_off_loop,
    confirm_keyboard,
    keep_pending,
    pending_upload,
)
from handlers.callbacks import ContentUploadCB
from handlers.filters import on_loop
from handlers.routing import LeanRouter


def router() -> Router:
    """Build the router for content zips (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-content")

    @r.message(on_loop(F.document.file_name.lower().endswith(".zip")))
    async def upload(message: Message, bot: Bot, assistant: Assistant) -> None:
        """Validate the archive and show what would change."""
        assert message.document is not None and message.from_user is not None
        if (message.document.file_size or 0) > content_import.MAX_ZIP:
            await message.answer(escape(_("The file must not be empty or larger than 10 MB.")))
            return
        buffer = io.BytesIO()
        await bot.download(message.document, destination=buffer)
        data = buffer.getvalue()
        try:
            plan = await check_off_loop(message, _plan, assistant, data)
        except ContentError as exc:
            await message.answer(escape(refused(exc)))
            return
        if plan is None:
            return
        upload_id = keep_pending(assistant, message.from_user.id, "content", message.document.file_name, data)
        keyboard = confirm_keyboard(
            ContentUploadCB(upload=upload_id, apply=True), ContentUploadCB(upload=upload_id, apply=False)
        )
        await message.answer(
            summary(plan) + "\n\n" + escape(_("Apply these changes?")), reply_markup=keyboard
        )

    @r.callback_query(ContentUploadCB.filter())
    async def decide(
        query: CallbackQuery,
        callback_data: ContentUploadCB,
        assistant: Assistant,
        directory: CandidateDirectory,
        dispatcher: Dispatcher,
    ) -> None:
        """Apply (validated again, in one transaction, audited) or cancel."""
        db = assistant.db
        row = await pending_upload(query, assistant, callback_data.upload, "content")
        if row is None:
            return
        filename, data, _report = row
        if not callback_data.apply:
            await cancel_upload(query, assistant, callback_data.upload, "content.cancel", filename)
            return
        try:
            with tempfile.TemporaryDirectory() as tmp:
                content_import.unpack(data, Path(tmp))
                plan = content_import.plan(db, Path(tmp))
                with db.atomic():
                    content_import.apply(db, query.from_user.id, Path(tmp), plan, filename)
                    db["uploads"].update(callback_data.upload, {"status": "applied"})
        except ContentError as exc:
            await query.answer()
            if query.message is not None:
                await query.message.answer(escape(refused(exc)))
            return
        directory.refresh()
        dispatcher["missions"] = MissionDirectory(db)
        await query.answer()
        if query.message is not None:
            await query.message.answer(summary(plan) + "\n✅ " + escape(_("Applied.")))

    return r


def _plan(assistant: Assistant, data: bytes) -> content_import.ContentPlan:
    with tempfile.TemporaryDirectory() as tmp:
        content_import.unpack(data, Path(tmp))
        return content_import.plan(assistant.db, Path(tmp))


def refused(exc: ContentError) -> str:
    """Why a content file was refused (nothing was changed)."""
    return _("Nothing was changed: {file}, {entry}, {field}: {problem}").format(
        file=exc.source, entry=exc.entry, field=exc.field_name, problem=exc.translated(_)
    )


def summary(plan: content_import.ContentPlan) -> str:
    """What the import changes, as Telegram HTML."""
    lines = ["📦 <b>" + escape(_("Content import")) + "</b>"]
    for table, rows in plan.rows.items():
        text = _("{table}: {rows} in the file, {changed} new or changed").format(
            table=table, rows=len(rows), changed=plan.changed.get(table, 0)
        )
        lines.append(escape(text))
    if plan.faq:
        text = _("FAQ: {rows} entries, {changed} new or changed (they become drafts to review)").format(
            rows=len(plan.faq), changed=plan.faq_changed
        )
        lines.append(escape(text))
    return "\n".join(lines)
