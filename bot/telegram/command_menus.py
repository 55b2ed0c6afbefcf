"""Command menus: everyone's, per language, and admins' own (chat-scoped, so only admins
see admin commands)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BotCommand, BotCommandScopeChat

from bot.admin.admins import ADMIN_COMMANDS
from bot.i18n import gettext
from bot.languages import DEFAULT_LANG, LANGS, Lang

log = logging.getLogger(__name__)


def commands(lang: Lang) -> list[BotCommand]:
    """The command menu in ``lang``."""
    return [
        BotCommand(command="start", description=gettext("start and main menu", lang)),
        BotCommand(command="menu", description=gettext("topics", lang)),
        BotCommand(command="dates", description=gettext("election calendar", lang)),
        BotCommand(command="abroad", description=gettext("voting abroad and embassies", lang)),
        BotCommand(command="subscribe", description=gettext("remind me about votes", lang)),
        BotCommand(command="unsubscribe", description=gettext("stop reminders", lang)),
        BotCommand(command="language", description=gettext("change language", lang)),
        BotCommand(command="help", description=gettext("what the bot can do", lang)),
        BotCommand(command="privacy", description=gettext("what I keep about you", lang)),
        BotCommand(command="forget", description=gettext("delete what I keep about you", lang)),
    ]


def admin_commands(lang: Lang) -> list[BotCommand]:
    """The command menu admins see in their own chat: everyone's commands, then admin ones."""
    extra = [BotCommand(command=name, description=gettext(text, lang)) for name, text in ADMIN_COMMANDS]
    return commands(lang) + extra


async def set_admin_menu(bot: Bot, user_id: int) -> None:
    """Show the admin commands in this admin's private chat, in every language."""
    scope = BotCommandScopeChat(chat_id=user_id)
    try:
        for lang in (None, *LANGS):
            await bot.set_my_commands(admin_commands(lang or DEFAULT_LANG), scope=scope, language_code=lang)
    except TelegramBadRequest as exc:  # the admin has not started the bot yet
        log.warning("No admin command menu for %s: %s", user_id, exc.message)


async def clear_admin_menu(bot: Bot, user_id: int) -> None:
    """Back to everyone's command menu in this chat (after an admin is removed)."""
    scope = BotCommandScopeChat(chat_id=user_id)
    try:
        for lang in (None, *LANGS):
            await bot.delete_my_commands(scope=scope, language_code=lang)
    except TelegramBadRequest as exc:
        log.warning("Cannot reset the command menu of %s: %s", user_id, exc.message)
