"""Share buttons: a t.me link that opens the same answer or card in whoever taps it."""

from __future__ import annotations

from aiogram import Bot

from bot.conversation.deep_links import DeepLink, share_url, start_url
from bot.i18n import gettext
from bot.languages import Lang
from handlers.buttons import Keyboard


async def bot_username(bot: Bot | None) -> str:
    """The bot's @username (asked once: aiogram keeps getMe's answer), or "" when unknown."""
    if bot is None:
        return ""
    return (await bot.me()).username or ""


async def link_of(bot: Bot | None, link: DeepLink) -> str | None:
    """``https://t.me/<bot>?start=<payload>``, or None."""
    return start_url(await bot_username(bot), link)


async def share_of(bot: Bot | None, link: DeepLink, text: str) -> str | None:
    """The "share" page of the link with ``text`` as the message, or None."""
    return share_url(await bot_username(bot), link, text)


def add_share(kb: Keyboard, share: str | None, lang: Lang) -> None:
    """Add the "Share" button when there is a link to share."""
    if share is not None:
        kb.url_button("↗️ " + gettext("Share", lang), share)
