"""/elections and /election_set: admins list, add and edit votes (each change with a source)."""

from __future__ import annotations

from html import escape

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.admin.elections import EDITABLE, set_election
from bot.candidates.directory import CandidateDirectory
from bot.conversation.assistant import Assistant
from bot.faq.entries import ContentError
from handlers.admin.args import key_values, not_saved
from handlers.routing import LeanRouter

LISTED = 30


def router() -> Router:
    """Build the router for editing elections (include it inside the admin-only router)."""
    r = LeanRouter(name="admin-elections")

    @r.message(Command("elections"))
    async def list_(message: Message, assistant: Assistant) -> None:
        """Every vote, newest first, with its ID and status."""
        rows = assistant.db.execute(
            "SELECT id, date, status FROM elections ORDER BY date DESC, id LIMIT ?", [LISTED]
        ).fetchall()
        lines = ["🗳 <b>" + escape(_("Elections")) + "</b>"]
        lines += [f"<code>{escape(i)}</code> · {escape(d)} · {escape(s)}" for i, d, s in rows]
        lines += ["", escape(usage())]
        await message.answer("\n".join(lines))

    @r.message(Command("election_set"))
    async def set_(
        message: Message, command: CommandObject, assistant: Assistant, directory: CandidateDirectory
    ) -> None:
        """Add or change one vote."""
        assert message.from_user is not None
        try:
            words, pairs = key_values(command.args)
        except ValueError:
            await message.answer(escape(usage()))
            return
        source = pairs.pop("source", "")
        if len(words) != 1 or not pairs or not source:
            await message.answer(escape(usage()))
            return
        try:
            before, after = set_election(assistant.db, message.from_user.id, words[0], pairs, source)
        except ContentError as exc:
            await message.answer(not_saved(exc))
            return
        directory.refresh()
        done = _("Saved {id}: {date}, {status}.") if before else _("Added {id}: {date}, {status}.")
        await message.answer(escape(done.format(id=after["id"], date=after["date"], status=after["status"])))

    return r


def usage() -> str:
    """How to call /election_set."""
    return _(
        "Change or add a vote: /election_set ID field=value … source=URL. Fields: {fields}. "
        'Put values with spaces in quotes: name_ru="Выборы акима".'
    ).format(fields=", ".join(EDITABLE))
