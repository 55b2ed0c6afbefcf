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
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import Message

from bot.config import Settings
from bot.conversation.assistant import Assistant
from bot.conversation.render import plain
from bot.i18n import gettext
from bot.languages import DEFAULT_LANG, as_lang
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat, LocalSession, buttons

LOCAL_TOKEN = "1000:local-console"  # noqa: S105 - never sent anywhere: the session is local


class ConsolePrinter:
    """Prints what the bot sends and numbers the buttons of the latest turn."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.pressable: dict[int, tuple[str, Message]] = {}
        self._turn: dict[int, tuple[str, Message]] = {}

    def __call__(self, method: TelegramMethod[Any], result: Any) -> None:
        if isinstance(method, SendMessage | EditMessageText):
            print("\n" + plain(method.text), file=self.out)
            for label, data in buttons(method.reply_markup):
                number = len(self._turn) + 1
                self._turn[number] = (data, result)
                print(f"  [{number}] {label}", file=self.out)
        elif isinstance(method, AnswerCallbackQuery) and method.text:
            print(f"  ⓘ {method.text}", file=self.out)

    def end_turn(self) -> None:
        """Buttons printed during this turn become the pressable ones."""
        if self._turn:
            self.pressable, self._turn = self._turn, {}


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
    lang = as_lang(language_code) or DEFAULT_LANG
    print(
        gettext(
            "Saylau local console: no BOT_TOKEN is set, so you are chatting with the bot here. "
            "Type a question, or a button's number to press it; /language switches the "
            "language, /quit leaves. To go live on Telegram, get a token from @BotFather, "
            "put BOT_TOKEN=... in .env and run the same command again.",
            lang,
        ),
        file=out,
    )
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
