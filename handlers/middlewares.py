"""Middlewares: the user's interface language, per-user flood protection, and group manners
(in a group the bot speaks only when spoken to)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.conversation.assistant import Assistant
from bot.delivery import users
from bot.i18n import gettext
from bot.languages import DEFAULT_LANG, as_lang
from bot.telegram.cluster import Hit, LocalWindow, SeenUpdates, Window


class UserLocaleMiddleware(I18nMiddleware):
    """Interface language: the user's stored choice, else Telegram's language_code."""

    def __init__(self, i18n: I18n, assistant: Assistant) -> None:
        super().__init__(i18n)
        self.assistant = assistant

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        """Pick the locale; expose it as ``data['lang']`` and where it came from as
        ``data['lang_source']``: ``chosen``, ``telegram`` or ``default``."""
        user: User | None = data.get("event_from_user")
        chosen = users.get_lang(self.assistant.db, user.id) if user else None
        from_telegram = as_lang(user.language_code) if user else None
        if chosen:
            data["lang"], data["lang_source"] = chosen, "chosen"
        elif from_telegram:
            data["lang"], data["lang_source"] = from_telegram, "telegram"
        else:
            data["lang"], data["lang_source"] = DEFAULT_LANG, "default"
        return data["lang"]


class ThrottlingMiddleware(BaseMiddleware):
    """Drop a user's updates beyond the window's limit (10 in 10 seconds), warning once.

    The count is kept in this process, or shared by all processes (Redis); see
    :mod:`bot.telegram.cluster`. Register it after :class:`UserLocaleMiddleware` so the warning
    is in the user's language.
    """

    def __init__(self, window: Window | None = None) -> None:
        self.window = window or LocalWindow()

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user: User | None = data.get("event_from_user")
        if user is None:
            return await handler(event, data)
        hit = await self.window.hit(user.id)
        if hit is Hit.PASS:
            return await handler(event, data)
        if hit is Hit.WARN:
            await self._warn(event, data.get("lang") or DEFAULT_LANG)
        return None

    async def _warn(self, event: TelegramObject, lang: str) -> None:
        text = gettext("Too many messages at once. Please wait a few seconds.", lang)  # type: ignore[arg-type]
        if isinstance(event, Message):
            await event.answer(text)
        elif isinstance(event, CallbackQuery):
            await event.answer(text, show_alert=True)


GROUPS = ("group", "supergroup")


async def addressed_to_bot(message: Message, bot: Bot) -> bool:
    """In a private chat always; in a group only a command (for this bot), a message that
    mentions the bot, or a reply to one of the bot's messages."""
    if message.chat.type not in GROUPS:
        return True
    me = await bot.me()  # aiogram keeps it after the first call
    text = message.text or message.caption or ""
    mention = f"@{me.username}".lower() if me.username else None
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        return "@" not in command or (mention is not None and command.lower().endswith(mention))
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == me.id:
        return True
    return mention is not None and mention in text.lower()


class GroupMannersMiddleware(BaseMiddleware):
    """Let through only the group messages addressed to the bot (see :func:`addressed_to_bot`);
    everything said among the members of a group gets a deliberate silence."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Message) and not await addressed_to_bot(event, data["bot"]):
            return None
        return await handler(event, data)


class RepeatedUpdateMiddleware(BaseMiddleware):
    """Handle each update once: Telegram sends a webhook update again when it thinks the first
    delivery failed, and behind a load balancer the repeat may reach another worker."""

    def __init__(self, seen: SeenUpdates) -> None:
        self.seen = seen

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update) and not await self.seen.first(event.update_id):
            return None
        return await handler(event, data)
