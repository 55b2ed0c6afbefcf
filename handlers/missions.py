"""A shared location finds the nearest embassy or consulate."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.languages import Lang
from bot.missions import MissionDirectory, mission_card, not_found_text


def router() -> Router:
    """Build the router for location messages."""
    r = Router(name="missions")

    @r.message(F.location)
    async def location(message: Message, missions: MissionDirectory, lang: Lang) -> None:
        """The nearest mission to the shared location, with the distance."""
        assert message.location is not None
        found = missions.nearest(message.location.latitude, message.location.longitude)
        if found is None:
            await message.answer(not_found_text(lang))
            return
        mission, km = found
        await message.answer(
            _("The nearest mission of Kazakhstan to you:") + "\n\n" + mission_card(mission, lang, km)
        )

    return r
