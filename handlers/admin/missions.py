"""/missions, /mission_set, /mission_verify, /mission_polling: admins keep embassy and
consulate data right (only verified fields are shown to voters)."""

from __future__ import annotations

import json
from html import escape

from aiogram import Dispatcher, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory
from bot.admin import missions as mission_admin
from bot.conversation.assistant import Assistant
from bot.faq.entries import ContentError
from handlers.admin.args import key_values, not_saved
from handlers.routing import LeanRouter


def router() -> Router:
    """Build the router for editing missions (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-missions")

    @r.message(Command("missions"))
    async def list_(message: Message, assistant: Assistant) -> None:
        """Every mission with its verified fields."""
        lines = ["🏛 <b>" + escape(_("Missions")) + "</b>"]
        for row in assistant.db["missions"].rows_where(order_by="id"):
            verified = ", ".join(json.loads(row["verified"] or "[]")) or "—"
            lines.append(f"<code>{escape(row['id'])}</code> · {escape(verified)}")
        lines += ["", escape(usage())]
        await message.answer("\n".join(lines))

    @r.message(Command("mission_set", "mission_verify", "mission_polling"))
    async def change(
        message: Message, command: CommandObject, assistant: Assistant, dispatcher: Dispatcher
    ) -> None:
        """Apply one change, then reload the directory voters search."""
        assert message.from_user is not None
        try:
            words, pairs = key_values(command.args)
        except ValueError:
            words, pairs = [], {}
        source = pairs.pop("source", "")
        if not words or not source:
            await message.answer(escape(usage()))
            return
        db, by = assistant.db, message.from_user.id
        try:
            if (
                command.command == "mission_set"
                and len(words) == 1
                and len(pairs) - ("verified" in pairs) == 1
            ):
                verified = pairs.pop("verified", "no").lower() in ("yes", "true", "1")
                ((field, value),) = pairs.items()
                mission_admin.set_field(db, by, words[0], field, value, source, verified)
            elif command.command == "mission_verify" and len(words) >= 2:
                mission_admin.verify(db, by, words[0], words[1:], source)
            elif command.command == "mission_polling" and len(words) == 3 and words[2] in ("open", "closed"):
                is_open = words[2] == "open"
                mission_admin.set_polling(db, by, words[0], words[1], is_open, pairs.get("hours"), source)
            else:
                await message.answer(escape(usage()))
                return
        except ContentError as exc:
            await message.answer(not_saved(exc))
            return
        dispatcher["missions"] = MissionDirectory(db)
        await message.answer(escape(_("Saved {id}.").format(id=words[0])))

    return r


def usage() -> str:
    """How to call the mission commands."""
    return _(
        "/mission_set ID field=value [verified=yes] source=URL · /mission_verify ID field … "
        "source=URL · /mission_polling ID ELECTION open|closed hours=07:00-20:00 source=URL. "
        "Fields: website, email, phone, address, hours. Only verified fields are shown to voters."
    )
