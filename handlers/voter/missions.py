"""Voting abroad: /abroad, missions by country, and the nearest mission to a shared location."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from weakref import WeakKeyDictionary

import sqlite_utils
from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import Mission, MissionDirectory, alphabetical_missions, mission_card, not_found_text
from bot.calendar.votes import kazakhstan_today, votes
from bot.conversation.assistant import Assistant
from bot.conversation.deep_links import mission_link
from bot.conversation.render import abroad_text
from bot.i18n import gettext
from bot.languages import Lang
from bot.text.collation import collated
from handlers.buttons import Keyboard
from handlers.callbacks import MenuCB, MissionCountryCB, RemindHereCB
from handlers.filters import on_loop
from handlers.keyboards import add_menu_button
from handlers.routing import LeanRouter
from handlers.sharing import add_share, share_of


def flag(code: str) -> str:
    """A country's flag emoji from its two-letter code."""
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code) if code.isalpha() else ""


_COUNTRY_KEYBOARDS: WeakKeyDictionary[MissionDirectory, dict[Lang, InlineKeyboardMarkup]] = (
    WeakKeyDictionary()
)


def countries_keyboard(missions: MissionDirectory, lang: Lang) -> InlineKeyboardMarkup:
    """One button per country with a mission, named in ``lang``, alphabetical; built once per
    language for each directory (every change of the missions makes a new directory)."""
    built = _COUNTRY_KEYBOARDS.setdefault(missions, {})
    if lang not in built:
        built[lang] = _countries_keyboard(missions, lang)
    return built[lang]


def _countries_keyboard(missions: MissionDirectory, lang: Lang) -> InlineKeyboardMarkup:
    names = {code: missions.in_country(code)[0].country_names[lang] for code in missions.countries()}
    kb = Keyboard()
    for code in collated(names, lang, names.__getitem__):
        kb.button(text=f"{flag(code)} {names[code]}", callback_data=MissionCountryCB(country=code))
    kb.adjust(2)
    return kb.as_markup()


def location_keyboard() -> ReplyKeyboardMarkup:
    """A reply-keyboard button that shares the user's location."""
    label = "📍 " + _("Share location to find the nearest mission")
    button = KeyboardButton(text=label, request_location=True)
    return ReplyKeyboardMarkup(keyboard=[[button]], resize_keyboard=True, one_time_keyboard=True)


async def send_mission_cards(
    message: Message, found: Sequence[Mission], lang: Lang, db: sqlite_utils.Database
) -> None:
    """One card per mission, each saying whether and when a polling station opens there."""
    calendar, today = votes(db), kazakhstan_today()
    for mission in found:
        share = await share_of(message.bot, mission_link(mission.id), mission.names[lang])
        await message.answer(
            mission_card(mission, lang, calendar=calendar, today=today),
            reply_markup=mission_keyboard(mission.id, lang, share),
        )


@lru_cache(maxsize=1024)
def mission_keyboard(mission_id: str, lang: Lang, share: str | None) -> InlineKeyboardMarkup:
    """Under a mission's card: "Remind me to vote here", Share (its deep link) and the menu."""
    kb = Keyboard()
    kb.button(
        text="🔔 " + gettext("Remind me to vote here", lang), callback_data=RemindHereCB(mission=mission_id)
    )
    add_share(kb, share, lang)
    add_menu_button(kb, lang)
    kb.adjust(1, 2)
    return kb.as_markup()


async def send_abroad(message: Message, assistant: Assistant, missions: MissionDirectory, lang: Lang) -> None:
    """How to vote abroad, the next vote, country buttons and the location button."""
    await message.answer(abroad_text(assistant, lang), reply_markup=countries_keyboard(missions, lang))
    await message.answer(
        _("Or share your location, and I will find the nearest mission."), reply_markup=location_keyboard()
    )


def router() -> Router:
    """Build the router for voting abroad and locations."""
    r = LeanRouter(name="missions")

    @r.message(Command("abroad"))
    async def abroad(message: Message, assistant: Assistant, missions: MissionDirectory, lang: Lang) -> None:
        """/abroad: the voting-abroad path."""
        await send_abroad(message, assistant, missions, lang)

    @r.callback_query(MenuCB.filter(F.section == "missions"))
    async def abroad_button(
        query: CallbackQuery, assistant: Assistant, missions: MissionDirectory, lang: Lang
    ) -> None:
        """The "countries and missions" button of the abroad section."""
        await query.answer()
        if isinstance(query.message, Message):
            await send_abroad(query.message, assistant, missions, lang)

    @r.callback_query(MissionCountryCB.filter())
    async def country(
        query: CallbackQuery,
        callback_data: MissionCountryCB,
        assistant: Assistant,
        missions: MissionDirectory,
        lang: Lang,
    ) -> None:
        """The missions of the chosen country."""
        found = alphabetical_missions(missions.in_country(callback_data.country), lang)
        if not found or not isinstance(query.message, Message):
            await query.answer(
                _("This country is not in my list of missions. Open the list again: /abroad"), show_alert=True
            )
            return
        await query.answer()
        await send_mission_cards(query.message, found, lang, assistant.db)

    @r.message(on_loop(F.location))
    async def location(
        message: Message, assistant: Assistant, missions: MissionDirectory, lang: Lang
    ) -> None:
        """The nearest mission to the shared location, with the distance; removes the location button."""
        assert message.location is not None
        found = missions.nearest(message.location.latitude, message.location.longitude)
        if found is None:
            await message.answer(not_found_text(lang), reply_markup=ReplyKeyboardRemove())
            return
        mission, km = found
        card = mission_card(mission, lang, km, calendar=votes(assistant.db), today=kazakhstan_today())
        await message.answer(
            _("The nearest mission of Kazakhstan to you:") + "\n\n" + card, reply_markup=ReplyKeyboardRemove()
        )

    return r
