"""/start, /language, /menu, /help, /privacy and /forget."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.abroad.missions import MissionDirectory
from bot.calendar.votes import votes
from bot.candidates.directory import Candidate, CandidateDirectory
from bot.conversation import deep_links
from bot.conversation.assistant import Assistant
from bot.conversation.core import Knowledge
from bot.delivery import reminders, users
from bot.i18n import gettext, ngettext
from bot.languages import LANGS, NATIVE_NAMES, Lang
from bot.telegram.command_menus import commands
from bot.text.formatting import format_stamp
from handlers.callbacks import LangCB, MenuCB
from handlers.keyboards import language_keyboard, main_menu
from handlers.routing import LeanRouter
from handlers.sharing import bot_username
from handlers.voter.candidates import send_candidate_card
from handlers.voter.questions import send_reply

CHOOSE_LANGUAGE = "🌐 Тілді таңдаңыз · Выберите язык · Pilih bahasa"


def welcome_text(lang: Lang) -> str:
    """The greeting shown after /start and after choosing a language."""
    return gettext(
        "Hello! I am Saylau, a neutral bot about elections in Kazakhstan. I answer questions "
        "about election dates, maslikhats and akims, how and where to vote, voting abroad and "
        "candidates. Choose a topic or just type your question.",
        lang,
    )


def router() -> Router:
    """Build the router for greeting, language and privacy commands."""
    r = LeanRouter(name="start")

    @r.message(CommandStart())
    async def start(
        message: Message,
        command: CommandObject,
        assistant: Assistant,
        directory: CandidateDirectory,
        missions: MissionDirectory,
        lang: Lang,
        lang_source: str,
    ) -> None:
        """Open a deep link (``/start home-voting``, ``m-…``, ``c-…``) in the user's language;
        otherwise greet, or ask for the language when Telegram's is not kk/ru/id."""
        link = deep_links.parse(command.args)
        knowledge = Knowledge(assistant, directory, missions)
        opened = deep_links.open_link(link, knowledge, lang) if link is not None else None
        if opened is not None:
            if isinstance(opened, Candidate):
                await send_candidate_card(message, directory, opened, lang)
            else:
                await send_reply(message, knowledge, opened, quote=False)
            if lang_source == "default":  # shown in the default language: offer the others
                await message.answer(CHOOSE_LANGUAGE, reply_markup=language_keyboard())
            return
        if lang_source == "default":
            await message.answer(CHOOSE_LANGUAGE, reply_markup=language_keyboard())
            return
        await message.answer(welcome_text(lang), reply_markup=main_menu(assistant, lang))

    @r.message(Command("language"))
    async def language(message: Message) -> None:
        """Offer the three languages."""
        await message.answer(CHOOSE_LANGUAGE, reply_markup=language_keyboard())

    @r.callback_query(MenuCB.filter(F.section == "language"))
    async def language_button(query: CallbackQuery) -> None:
        """The language button of the main menu."""
        await query.answer()
        if isinstance(query.message, Message):
            await query.message.answer(CHOOSE_LANGUAGE, reply_markup=language_keyboard())

    @r.callback_query(LangCB.filter(F.code.in_(LANGS)))
    async def choose_language(query: CallbackQuery, callback_data: LangCB, assistant: Assistant) -> None:
        """Store the chosen language and greet in it."""
        lang: Lang = callback_data.code  # type: ignore[assignment]
        users.set_lang(assistant.db, query.from_user.id, lang)
        await query.answer(gettext("Language: {name}", lang).format(name=NATIVE_NAMES[lang]))
        if isinstance(query.message, Message):
            with I18n.get_current().use_locale(lang):
                await query.message.answer(welcome_text(lang), reply_markup=main_menu(assistant, lang))

    @r.message(Command("menu"))
    async def menu(message: Message, assistant: Assistant, lang: Lang) -> None:
        """Show the main menu."""
        await message.answer(_("Choose a topic:"), reply_markup=main_menu(assistant, lang))

    @r.message(Command("help"))
    async def help_(message: Message, bot: Bot, assistant: Assistant, lang: Lang) -> None:
        """What the bot can do and its commands."""
        n = len(assistant.entries)
        topics = ngettext("I know answers on {n} topic.", "I know answers on {n} topics.", n, lang)
        lines = [
            escape(topics.format(n=n)),
            escape(_("Type a question in Kazakh, Russian or Indonesian, or use the buttons.")),
            "",
        ]
        # Every voter command, from the same list as Telegram's command menu.
        lines += [f"/{c.command} — {escape(c.description)}" for c in commands(lang)]
        username = await bot_username(bot)
        if username:
            inline = _(
                "In any chat, type @{bot} and a question or a name: the answer card can be sent there."
            )
            lines += ["", escape(inline.format(bot=username))]
        text = "\n".join(lines)
        await message.answer(text, reply_markup=main_menu(assistant, lang))

    @r.message(Command("privacy"))
    async def privacy(message: Message, assistant: Assistant, missions: MissionDirectory, lang: Lang) -> None:
        """Show exactly what is stored about this user."""
        user_id = message.from_user.id if message.from_user else 0
        kept = _kept_about(user_id, assistant, missions, lang)
        if kept:
            intro = _("I keep only this about you, with your Telegram user ID {user_id}:").format(
                user_id=user_id
            )
            text = "\n".join([intro, *kept])
        else:
            text = _("I keep nothing about you.")
        text += "\n\n" + _(
            "Questions I could not answer and “not helpful” marks are kept without your "
            "identity, to improve the answers. /forget deletes what I keep about you."
        )
        await message.answer(text)

    @r.message(Command("forget"))
    async def forget(message: Message, assistant: Assistant, state: FSMContext) -> None:
        """Delete everything stored about this user, a conversation in progress included."""
        await state.clear()
        deleted = message.from_user is not None and users.forget_user(assistant.db, message.from_user.id)
        await message.answer(
            _("Done: I deleted everything I kept about you.") if deleted else _("I keep nothing about you.")
        )

    return r


def _kept_about(user_id: int, assistant: Assistant, missions: MissionDirectory, lang: Lang) -> list[str]:
    """One escaped line per thing stored about the user: language, each subscription."""
    lines = []
    data = users.user_data(assistant.db, user_id)
    if data is not None:
        lines.append(
            _("• language: {lang}, chosen on {date}").format(
                lang=escape(NATIVE_NAMES[data["lang"]]),
                date=escape(format_stamp(str(data["updated_at"]), lang)),
            )
        )
    names = {v.id: v.name(lang) for v in votes(assistant.db)} | {reminders.ALL_VOTES: _("every vote")}
    for row in reminders.subscriptions_of(assistant.db, user_id):
        lines.append(
            _("• reminders of {what} in {lang}, since {date}").format(
                what=escape(names.get(row["election_id"], row["election_id"])),
                lang=escape(NATIVE_NAMES[row["lang"]]),
                date=escape(format_stamp(str(row["created_at"]), lang)),
            )
        )
        mission = next((m for m in missions.missions if m.id == row["mission_id"]), None)
        if mission is not None:
            text = _("with the mission you vote at: {mission}").format(mission=mission.names[lang])
            lines.append("  " + escape(text))
    return lines
