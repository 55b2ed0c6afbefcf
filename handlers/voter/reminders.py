"""/subscribe and /unsubscribe: reminders before and on the day of a vote."""

from __future__ import annotations

from html import escape

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory
from bot.calendar.votes import kazakhstan_today, upcoming, votes
from bot.conversation.assistant import Assistant
from bot.delivery import reminders
from bot.languages import Lang
from bot.text.formatting import format_day
from handlers.buttons import Keyboard
from handlers.callbacks import RemindHereCB, SubscribeCB
from handlers.routing import LeanRouter


def router() -> Router:
    """Build the router for reminder subscriptions."""
    r = LeanRouter(name="reminders")

    @r.message(Command("subscribe"))
    async def subscribe(message: Message, assistant: Assistant, lang: Lang) -> None:
        """Offer every vote, or one of the scheduled ones."""
        ahead = upcoming(votes(assistant.db), kazakhstan_today())
        kb = Keyboard()
        kb.button(text="🔔 " + _("Every vote"), callback_data=SubscribeCB(election=reminders.ALL_VOTES))
        for vote in ahead:
            text = f"🗓 {vote.name(lang)}, {format_day(vote.day, lang)}"
            kb.button(text=text, callback_data=SubscribeCB(election=vote.id))
        kb.adjust(1)
        lines = [_("I can remind you three days before a vote and on the morning of the day.")]
        assert message.from_user is not None
        names = {v.id: v.name(lang) for v in votes(assistant.db)} | {reminders.ALL_VOTES: _("every vote")}
        kept = [
            names.get(s["election_id"], s["election_id"])
            for s in reminders.subscriptions_of(assistant.db, message.from_user.id)
        ]
        if kept:
            lines.insert(
                0,
                _("You already get reminders about {what}. /unsubscribe stops them.").format(
                    what=", ".join(kept)
                ),
            )
        if not ahead:
            lines.append(_("No vote is scheduled at the moment; I will remind you when one is."))
        await message.answer(escape("\n".join(lines)), reply_markup=kb.as_markup())

    @r.callback_query(SubscribeCB.filter())
    async def chosen(
        query: CallbackQuery, callback_data: SubscribeCB, assistant: Assistant, lang: Lang
    ) -> None:
        """Subscribe to what the user chose (only every vote or a scheduled one)."""
        ahead = {v.id: v for v in upcoming(votes(assistant.db), kazakhstan_today())}
        choice = callback_data.election
        if choice != reminders.ALL_VOTES and choice not in ahead:
            await query.answer(
                _("This vote is not scheduled any more. Try /subscribe again."), show_alert=True
            )
            return
        already = any(
            s["election_id"] == choice for s in reminders.subscriptions_of(assistant.db, query.from_user.id)
        )
        reminders.subscribe(assistant.db, query.from_user.id, lang, choice)  # in today's language
        what = _("every vote") if choice == reminders.ALL_VOTES else ahead[choice].name(lang)
        text = (
            _("You already get reminders about {what}. /unsubscribe stops them.")
            if already
            else _("Done: I will remind you about {what}. /unsubscribe stops the reminders.")
        ).format(what=what)
        await query.answer()
        if query.message is not None:
            await query.message.answer(escape(text))

    @r.callback_query(RemindHereCB.filter())
    async def here(
        query: CallbackQuery,
        callback_data: RemindHereCB,
        assistant: Assistant,
        missions: MissionDirectory,
        lang: Lang,
    ) -> None:
        """Subscribe to every vote with the mission the user votes at."""
        mission = next((m for m in missions.missions if m.id == callback_data.mission), None)
        if mission is None:
            await query.answer(_("This mission is not in my list any more."), show_alert=True)
            return
        reminders.subscribe(assistant.db, query.from_user.id, lang, reminders.ALL_VOTES, mission.id)
        text = _(
            "Done: I will remind you about every vote, with {mission}. /unsubscribe stops the reminders."
        )
        await query.answer()
        if query.message is not None:
            await query.message.answer(escape(text.format(mission=mission.names[lang])))

    @r.message(Command("unsubscribe"))
    async def unsubscribe(message: Message, assistant: Assistant) -> None:
        """Remove every subscription and the reminders still queued."""
        assert message.from_user is not None
        removed = reminders.unsubscribe(assistant.db, message.from_user.id)
        await message.answer(
            _("Reminders are off. /subscribe turns them on again.")
            if removed
            else _("You have no reminders.")
        )

    return r
