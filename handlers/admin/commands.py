"""Admin commands: who is an admin, the audit log, backups, candidate CSV uploads.

Every admin handler is guarded by :class:`IsAdmin` (the sender's user ID, never the chat).
A non-admin who tries an admin command gets the normal reply for an unknown command, and
the attempt is logged and audited.
"""

from __future__ import annotations

import logging
import sqlite3
import tempfile
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot import audit
from bot.admin.admins import ADMIN_COMMANDS, Admins
from bot.content.export import content_archive
from bot.conversation.assistant import Assistant
from bot.languages import Lang
from bot.telegram.command_menus import clear_admin_menu, set_admin_menu
from handlers.admin import broadcast as admin_broadcast
from handlers.admin import candidates as admin_candidates
from handlers.admin import content as admin_content
from handlers.admin import digest as admin_digest
from handlers.admin import elections as admin_elections
from handlers.admin import faq as admin_faq
from handlers.admin import faq_edit as admin_faq_edit
from handlers.admin import missions as admin_missions
from handlers.admin import stats as admin_stats
from handlers.admin import unanswered as admin_unanswered
from handlers.fallback import unknown_command_reply
from handlers.filters import data_prefix, on_loop
from handlers.routing import LeanRouter

log = logging.getLogger(__name__)
BOT_FILE_LIMIT = 50 * 1024 * 1024  # Telegram bots may send files up to 50 MB
AUDIT_SHOWN = 15


class IsAdmin(Filter):
    """Passes when the sender of a message or button press is an admin (or owner)."""

    async def __call__(self, event: Message | CallbackQuery, admins: Admins) -> bool:
        return event.from_user is not None and admins.is_admin(event.from_user.id)


def router() -> Router:
    """Build the admin router (include it before the routers that answer any text)."""
    r = LeanRouter(name="admin")
    admin = LeanRouter(name="admin-only")
    admin.message.filter(IsAdmin())
    admin.callback_query.filter(IsAdmin())

    @admin.message(Command("admin"))
    async def help_(message: Message) -> None:
        """The admin commands."""
        lines = ["🛠 <b>" + escape(_("Admin commands")) + "</b>"]
        lines += ["/" + name + " — " + escape(_(description)) for name, description in ADMIN_COMMANDS]
        await message.answer("\n".join(lines))

    @admin.message(Command("addadmin", "removeadmin"))
    async def manage(message: Message, command: CommandObject, admins: Admins, bot: Bot) -> None:
        """Owners add or remove an admin by Telegram user ID."""
        assert message.from_user is not None
        if not admins.is_owner(message.from_user.id):
            await message.answer(_("Only owners (ADMIN_IDS) can add or remove admins."))
            return
        arg = (command.args or "").strip()
        if not arg.isdigit() or len(arg) > 15:
            await message.answer(
                _("Send the numeric Telegram user ID, e.g. /{command} 123456789").format(
                    command=command.command
                )
            )
            return
        user_id = int(arg)
        if command.command == "addadmin":
            changed = admins.add(message.from_user.id, user_id)
            text = _("{user_id} is now an admin.") if changed else _("{user_id} is already an admin.")
            if changed:
                await set_admin_menu(bot, user_id)
        elif admins.is_owner(user_id):
            text = _("{user_id} is an owner; owners are set in ADMIN_IDS.")
        else:
            changed = admins.remove(message.from_user.id, user_id)
            text = _("{user_id} is no longer an admin.") if changed else _("{user_id} is not an admin.")
            if changed:
                await clear_admin_menu(bot, user_id)
        await message.answer(text.format(user_id=user_id))

    @admin.message(Command("audit"))
    async def audit_log(message: Message, command: CommandObject, assistant: Assistant) -> None:
        """The newest changes of the audit log; ``/audit denied``: refused attempts by non-admins."""
        if (command.args or "").strip().lower() == "denied":
            await message.answer(denied_text(assistant))
            return
        entries = audit.recent(assistant.db, AUDIT_SHOWN, changes_only=True)
        if not entries:
            await message.answer(_("The audit log is empty."))
            return
        lines = ["📜 <b>" + escape(_("Recent changes")) + "</b>"]
        for e in entries:
            target = f" {e.target}" if e.target else ""
            note = f" — {e.note}" if e.note else ""
            lines.append(escape(f"#{e.id} {e.at} · {e.user_id} · {e.action}{target}{note}"[:300]))
        await message.answer("\n".join(lines))

    @admin.message(Command("backup"))
    async def backup(message: Message, assistant: Assistant, bot: Bot) -> None:
        """A consistent copy of the database, made with SQLite's backup API."""
        assert message.from_user is not None
        data = database_copy(assistant.db.conn)
        if len(data) > BOT_FILE_LIMIT:
            await message.answer(_("The database is too large to send through Telegram."))
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        with assistant.db.atomic():
            audit.record(assistant.db, message.from_user.id, "backup", note=f"{len(data)} bytes")
        await bot.send_document(
            message.chat.id,
            BufferedInputFile(data, filename=f"saylau-{stamp}.db"),
            caption=_("Backup of the database, {stamp} UTC.").format(stamp=stamp),
        )

    @admin.message(Command("export_content"))
    async def export_content(message: Message, assistant: Assistant, bot: Bot) -> None:
        """The whole content as a zip in ``content/``'s layout and formats."""
        assert message.from_user is not None
        data = content_archive(assistant.db)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        with assistant.db.atomic():
            audit.record(assistant.db, message.from_user.id, "content.export", note=f"{len(data)} bytes")
        await bot.send_document(
            message.chat.id, BufferedInputFile(data, filename=f"saylau-content-{stamp}.zip")
        )

    other_files = LeanRouter(name="admin-other-files")
    admin.include_routers(
        admin_candidates.router(),
        admin_stats.router(),
        admin_digest.router(),
        admin_broadcast.router(),
        admin_elections.router(),
        admin_missions.router(),
        admin_content.router(),
        admin_faq.router(),
        admin_faq_edit.router(),
        admin_unanswered.router(),
        other_files,
    )

    @other_files.message(on_loop(F.document))
    async def unsupported_file(message: Message) -> None:
        """A file no admin handler takes."""
        await message.answer(
            _(
                "I accept .csv files of candidates, .yaml files of FAQ entries and .zip files of "
                "the whole content. Nothing was changed."
            )
        )

    others = LeanRouter(name="admin-denied")  # a router's own handlers run before its sub-routers'
    r.include_routers(admin, others)

    @others.message(Command(*(name for name, _description in ADMIN_COMMANDS)))
    async def denied(message: Message, assistant: Assistant, lang: Lang) -> None:
        """A non-admin tried an admin command: the normal reply, and a log entry."""
        user_id = message.from_user.id if message.from_user else 0
        log.warning("User %s tried admin command %r", user_id, (message.text or "")[:50])
        audit.record_denied(assistant.db, user_id, (message.text or "")[:50])
        await unknown_command_reply(message, assistant, lang)

    @others.callback_query(data_prefix("adm"))
    async def denied_button(query: CallbackQuery, assistant: Assistant) -> None:
        """A non-admin pressed (or forged) an admin button."""
        log.warning("User %s pressed admin button %r", query.from_user.id, (query.data or "")[:64])
        audit.record_denied(assistant.db, query.from_user.id, query.data or "")
        await query.answer(
            _("This button is out of date. Please open the menu again: /menu"), show_alert=True
        )

    return r


def denied_text(assistant: Assistant) -> str:
    """/audit denied: who tried admin commands and how often, and the latest attempts logged."""
    lines = ["🚫 <b>" + escape(_("Denied attempts by non-admins")) + "</b>"]
    counts = audit.denied_counts(assistant.db)
    if not counts:
        return lines[0] + "\n" + escape(_("None."))
    lines += [escape(f"{user_id} · {count} · {last_at}") for user_id, count, last_at in counts]
    lines += ["", "<b>" + escape(_("Latest logged")) + "</b>"]
    for e in audit.recent(assistant.db, AUDIT_SHOWN, action=audit.DENIED):
        lines.append(escape(f"#{e.id} {e.at} · {e.user_id} · {e.target or ''}"[:300]))
    return "\n".join(lines)


def database_copy(conn: sqlite3.Connection) -> bytes:
    """The bytes of a consistent copy of the database (SQLite backup API)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.db"
        target = sqlite3.connect(path)
        try:
            conn.backup(target)
        finally:
            target.close()
        return path.read_bytes()
