"""Admins upload candidate CSV files (validated, then applied only after confirmation) and
export the candidates as CSV."""

from __future__ import annotations

import io
from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot import audit
from bot.candidates.directory import CandidateDirectory
from bot.candidates.importing import MAX_BYTES, ImportReport, export_csv, import_csv
from bot.conversation.assistant import Assistant
from handlers.admin.uploads import (
    cancel_upload,
    check_off_loop,
    confirm_keyboard,
    keep_pending,
    pending_upload,
)
from handlers.callbacks import UploadCB
from handlers.filters import on_loop
from handlers.routing import LeanRouter

MAX_UPLOAD = MAX_BYTES  # 5 MB, as the message below says
REJECTIONS_SHOWN = 10


def dry_run(assistant: Assistant, data: bytes, election: str | None) -> ImportReport:
    """Validate a candidate file against the database without changing anything."""
    return import_csv(assistant.db, data, election=election, dry_run=True)


def router() -> Router:
    """Build the router for candidate uploads (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-candidates")

    @r.message(on_loop(F.document.file_name.lower().endswith(".csv")))
    async def upload(message: Message, bot: Bot, assistant: Assistant) -> None:
        """Check the file, dry-run the import, and ask to confirm."""
        assert message.document is not None and message.from_user is not None
        document = message.document
        if not document.file_size or document.file_size > MAX_UPLOAD:
            await message.answer(_("The file must not be empty or larger than 5 MB."))
            return
        buffer = io.BytesIO()
        await bot.download(document, destination=buffer)
        data = buffer.getvalue()
        if not data.strip() or b"\x00" in data[:4096]:
            await message.answer(_("This is not a CSV text file. Nothing was changed."))
            return
        election = (message.caption or "").strip() or None
        report = await check_off_loop(message, dry_run, assistant, data, election)
        if report is None:
            return
        text = report_text(report, document.file_name or "")
        if report.rejected:
            await message.answer(
                text + "\n\n" + escape(_("Nothing was changed. Fix the file and send it again."))
            )
            return
        planned = report.summary() + (f" election={election}" if election else "")
        upload_id = keep_pending(
            assistant, message.from_user.id, "candidates", document.file_name, data, planned
        )
        keyboard = confirm_keyboard(
            UploadCB(upload=upload_id, apply=True), UploadCB(upload=upload_id, apply=False)
        )
        await message.answer(text + "\n\n" + escape(_("Apply these changes?")), reply_markup=keyboard)

    @r.callback_query(UploadCB.filter())
    async def decide(
        query: CallbackQuery, callback_data: UploadCB, assistant: Assistant, directory: CandidateDirectory
    ) -> None:
        """Apply (atomically, audited) or cancel a pending upload."""
        db = assistant.db
        row = await pending_upload(query, assistant, callback_data.upload, "candidates")
        if row is None:
            return
        filename, content, planned = row
        if not callback_data.apply:
            await cancel_upload(query, assistant, callback_data.upload, "candidates.cancel", filename)
            return
        election = planned.split(" election=", 1)[1] if " election=" in planned else None
        count = db.execute("SELECT count(*) FROM candidates").fetchone()[0]
        with db.atomic():
            report = import_csv(db, content, election=election)
            if report.applied:
                db["uploads"].update(callback_data.upload, {"status": "applied"})
                audit.record(
                    db,
                    query.from_user.id,
                    "candidates.import",
                    filename,
                    before={"candidates": count, "replaced": report.replaced},
                    after={"candidates": count + report.added, "upload": callback_data.upload},
                    note=report.summary(),
                )
        if report.applied:
            directory.refresh()
        await query.answer()
        if query.message is not None:
            await query.message.answer(report_text(report, filename))

    @r.message(Command("export_candidates"))
    async def export(message: Message, bot: Bot, assistant: Assistant) -> None:
        """All candidates as CSV, in the import format."""
        data = export_csv(assistant.db).encode("utf-8-sig")  # with a BOM, for Excel
        await bot.send_document(message.chat.id, BufferedInputFile(data, filename="candidates.csv"))

    return r


def report_text(report: ImportReport, filename: str) -> str:
    """The import report in the admin's language, as Telegram HTML."""
    lines = [
        "📄 <b>" + escape(filename) + "</b>",
        escape(
            _("Added {added}, updated {updated}, unchanged {unchanged}, rejected {rejected}.").format(
                added=report.added,
                updated=report.updated,
                unchanged=report.unchanged,
                rejected=len(report.rejected),
            )
        ),
    ]
    for rejection in report.rejected[:REJECTIONS_SHOWN]:
        lines.append(
            escape(
                _("Row {row}, column {column}: {reason}").format(
                    row=rejection.row, column=rejection.column, reason=rejection.translated(_)
                )
            )
        )
    if len(report.rejected) > REJECTIONS_SHOWN:
        lines.append(escape(_("…and {count} more.").format(count=len(report.rejected) - REJECTIONS_SHOWN)))
    if report.applied:
        lines.append("✅ " + escape(_("Applied.")))
    return "\n".join(lines)
