"""A local console chat: the same Dispatcher and handlers as on Telegram, in a terminal.

Messages are printed as plain text; inline buttons are numbered and pressed by typing
their number. Used when no ``BOT_TOKEN`` is set: by newcomers, admins previewing content,
and demos.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import Message

from bot.config import Settings
from bot.conversation.assistant import Assistant
from bot.conversation.render import plain
from bot.i18n import N_, gettext
from bot.languages import as_lang
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat, LocalSession, buttons, links

INTRO = N_(
    "Saylau local console: no BOT_TOKEN is set, so you are chatting with the bot here. "
    "Type a question, or a button's number to press it; /language switches the "
    "language, /quit leaves. To go live on Telegram, get a token from @BotFather, "
    "put BOT_TOKEN=... in .env and run the same command again."
)
LOCAL_TOKEN = "1000:local-console"  # noqa: S105 - never sent anywhere: the session is local


class ConsolePrinter:
    """Prints what the bot sends and numbers the buttons of the latest turn."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pressable: dict[int, tuple[str, Message]] = {}
        self._turn: dict[int, tuple[str, Message]] = {}
        self._printed = False  # this turn printed a message

    def __call__(self, method: TelegramMethod[Any], result: Any) -> None:
        if isinstance(method, SendMessage | EditMessageText):
            print("\n" + plain(method.text), file=self.out)
            self._print_buttons(method.reply_markup, result)
        elif isinstance(method, SendPhoto):  # a chart: the terminal shows its caption only
            print("\n🖼 " + plain(method.caption or ""), file=self.out)
            self._print_buttons(method.reply_markup, result)
        elif isinstance(method, EditMessageReplyMarkup):  # e.g. a rated answer keeps "Share" and the menu
            self._print_buttons(method.reply_markup, result)
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            print(f"  ⓘ {method.text}", file=self.out)

    def _print_buttons(self, markup: object, message: Any) -> None:
        """Number the buttons (pressable after this turn) and print the links."""
        self._printed = True
        for label, data in buttons(markup):
            number = len(self._turn) + 1
            self._turn[number] = (data, message)
            print(f"  [{number}] {label}", file=self.out)
        for label, url in links(markup):
            print(f"  {label}: {url}", file=self.out)

    def end_turn(self) -> None:
        """Buttons printed during this turn become the pressable ones.

        A turn that printed a message without buttons leaves none pressable: a number typed
        after it is a message, not a press of a menu further up. A turn that printed nothing
        (a button that only showed a notice) leaves the menu above pressable.
        """
        if self._printed:
            self.pressable, self._turn, self._printed = self._turn, {}, False


async def run_console(
    assistant: Assistant,
    settings: Settings,
    read: Callable[[str], str] = input,
    out: TextIO = sys.stdout,
    language_code: str | None = None,
) -> None:
    """Chat with the bot in the terminal until /quit or end of input."""
    printer = ConsolePrinter(out)
    session = LocalSession(listener=printer)
    bot = Bot(LOCAL_TOKEN, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    dp = create_dispatcher(assistant, settings, throttle=False)  # one local user, typing
    if language_code is None:
        language_code = os.environ.get("LANG", "")[:2] or None
    chat = LocalChat(dp, bot, session, language_code=language_code)
    lang = as_lang(language_code)
    # In English (the catalogues' source) when the terminal's language is none of the bot's.
    print(gettext(INTRO, lang) if lang is not None else INTRO, file=out)
    await chat.send("/start")
    printer.end_turn()
    while True:
        try:
            line = (await asyncio.to_thread(read, "\n> ")).strip()
        except (EOFError, KeyboardInterrupt):
            break
        if line in ("/quit", "/exit"):
            break
        if not line:
            continue
        if line.isdigit() and int(line) in printer.pressable:
            data, message = printer.pressable[int(line)]
            await chat.press(data, message)
        else:
            await chat.send(line)
        printer.end_turn()
    assistant.question_tally.flush()
    await bot.session.close()
