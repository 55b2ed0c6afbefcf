"""A Telegram chat emulated in-process: the real Dispatcher, no network.

:class:`LocalSession` stands in for the Bot API: it records every request (first in,
first out) and answers with plausible results. :class:`LocalChat` plays the user: it
feeds message and button-press updates through ``Dispatcher.feed_update``. The local
console and the tests both drive the bot this way.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import AsyncGenerator, Callable
from datetime import UTC, datetime
from typing import Any, get_args

from aiogram import Bot, Dispatcher
from aiogram.client.session.base import BaseSession
from aiogram.methods import (
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Chat,
    Document,
    File,
    InlineKeyboardMarkup,
    Message,
    PhotoSize,
    Update,
    User,
)

Listener = Callable[[TelegramMethod[Any], Any], None]


class LocalSession(BaseSession):
    """A Bot API stand-in that records requests and fabricates their results."""

    def __init__(self, listener: Listener | None = None) -> None:
        super().__init__()
        self.requests: deque[TelegramMethod[Any]] = deque()
        self.messages: dict[tuple[int, int], Message] = {}
        self.listener = listener
        self._ids = itertools.count(1_000_000)
        self.files: dict[str, bytes] = {}  # file_id -> content of files users "uploaded"
        self.documents: list[tuple[int, str, bytes]] = []  # (chat, file name, content) sent by the bot
        self.photos: list[tuple[int, bytes, str]] = []  # (chat, image, caption) sent by the bot

    def next_message_id(self) -> int:
        """A message ID unique within this session (for bot and user messages alike)."""
        return next(self._ids)

    def remember(self, message: Message) -> None:
        """Keep a message so replies to it and edits of it can be resolved."""
        self.messages[(message.chat.id, message.message_id)] = message

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        """Record ``method`` and return what the Bot API would."""
        self.requests.append(method)
        result = self._result(bot, method)
        if self.listener is not None:
            self.listener(method, result)
        return result

    def _result(self, bot: Bot, method: TelegramMethod[Any]) -> Any:
        me = User(id=bot.id, is_bot=True, first_name="Saylau", username="saylau_bot")
        if isinstance(method, GetMe):
            return me
        if isinstance(method, SendMessage):
            chat_id = int(method.chat_id)
            reply_id = method.reply_parameters.message_id if method.reply_parameters else None
            message = Message(
                message_id=self.next_message_id(),
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private"),
                from_user=me,
                text=method.text,
                # a sent message carries inline buttons only; reply keyboards stay with the chat
                reply_markup=method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None,
                reply_to_message=self.messages.get((chat_id, reply_id)) if reply_id else None,
            ).as_(bot)
            self.remember(message)
            return message
        if isinstance(method, SendDocument):
            document = method.document
            data = document.data if isinstance(document, BufferedInputFile) else b""
            name = document.filename if isinstance(document, BufferedInputFile) else str(document)
            self.documents.append((int(method.chat_id), name or "", data))
            file_id = f"sent-{self.next_message_id()}"
            document = Document(file_id=file_id, file_unique_id=file_id, file_name=name, file_size=len(data))
            return self._sent_file(bot, me, method.chat_id, method.caption, document=document)
        if isinstance(method, SendPhoto):
            photo = method.photo
            data = photo.data if isinstance(photo, BufferedInputFile) else b""
            self.photos.append((int(method.chat_id), data, method.caption or ""))
            file_id = f"photo-{self.next_message_id()}"
            return self._sent_file(
                bot,
                me,
                method.chat_id,
                method.caption,
                photo=[PhotoSize(file_id=file_id, file_unique_id=file_id, width=800, height=900)],
                reply_markup=method.reply_markup
                if isinstance(method.reply_markup, InlineKeyboardMarkup)
                else None,
            )
        if isinstance(method, GetFile):
            if method.file_id not in self.files:
                raise NotImplementedError(f"no uploaded file {method.file_id}")
            size = len(self.files[method.file_id])
            return File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=size,
                file_path=method.file_id,
            )
        if isinstance(method, EditMessageText | EditMessageReplyMarkup):
            old = self.messages.get((int(method.chat_id or 0), method.message_id or 0))
            if old is None:
                return True
            changes: dict[str, Any] = {"reply_markup": method.reply_markup}
            if isinstance(method, EditMessageText):
                changes["text"] = method.text
            new = old.model_copy(update=changes).as_(bot)
            self.remember(new)
            return new
        if bool in get_args(method.__returning__) or method.__returning__ is bool:
            return True
        raise NotImplementedError(f"LocalSession does not emulate {type(method).__name__}")

    def _sent_file(
        self, bot: Bot, me: User, chat_id: int | str, caption: str | None, **content: Any
    ) -> Message:
        """The Message a sent document or photo becomes (``content``: the file and markup)."""
        return Message(
            message_id=self.next_message_id(),
            date=datetime.now(UTC),
            chat=Chat(id=int(chat_id), type="private"),
            from_user=me,
            caption=caption,
            **content,
        ).as_(bot)

    async def close(self) -> None:
        """Nothing to close."""

    def upload(self, content: bytes) -> str:
        """Store a file as if a user had sent it; return its file_id."""
        file_id = f"upload-{self.next_message_id()}"
        self.files[file_id] = content
        return file_id

    async def stream_content(self, url: str, *args: Any, **kwargs: Any) -> AsyncGenerator[bytes, None]:
        """The content of an uploaded file (its file_path is its file_id, the end of ``url``)."""
        yield self.files[url.rsplit("/", 1)[-1]]


class LocalChat:
    """One user talking to the bot in a private chat through the real Dispatcher."""

    def __init__(
        self,
        dp: Dispatcher,
        bot: Bot,
        session: LocalSession,
        user_id: int = 100_000_001,
        language_code: str | None = None,
        first_name: str = "Voter",
    ) -> None:
        self.dp, self.bot, self.session = dp, bot, session
        self.user = User(id=user_id, is_bot=False, first_name=first_name, language_code=language_code)
        self.chat = Chat(id=user_id, type="private")
        self._ids = itertools.count(1)

    def _update_id(self) -> int:
        return next(self._ids)

    async def feed(self, update: Update) -> list[TelegramMethod[Any]]:
        """Feed one update; return the requests the bot made while handling it (getMe, asked
        once for the bot's @name, is not one the user would see)."""
        before = len(self.session.requests)
        await self.dp.feed_update(self.bot, update)
        return [m for m in list(self.session.requests)[before:] if not isinstance(m, GetMe)]

    async def send(self, text: str) -> list[TelegramMethod[Any]]:
        """The user sends a text message."""
        message = Message(
            message_id=self.session.next_message_id(),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            text=text,
        )
        self.session.remember(message)
        return await self.feed(Update(update_id=self._update_id(), message=message))

    async def send_message(self, **fields: Any) -> list[TelegramMethod[Any]]:
        """The user sends a message of any kind (sticker, photo...): ``fields`` of Message."""
        message = Message(
            message_id=self.session.next_message_id(),
            date=datetime.now(UTC),
            chat=self.chat,
            from_user=self.user,
            **fields,
        )
        return await self.feed(Update(update_id=self._update_id(), message=message))

    async def send_document(
        self, content: bytes, file_name: str, mime_type: str | None = None, caption: str | None = None
    ) -> list[TelegramMethod[Any]]:
        """The user sends a file (its content is served to the bot's download)."""
        file_id = self.session.upload(content)
        document = Document(
            file_id=file_id,
            file_unique_id=file_id,
            file_name=file_name,
            mime_type=mime_type,
            file_size=len(content),
        )
        return await self.send_message(document=document, caption=caption)

    async def press(self, data: str, message: Message | None = None) -> list[TelegramMethod[Any]]:
        """The user presses an inline button carrying ``data`` (on ``message``)."""
        query = CallbackQuery(
            id=str(self._update_id()),
            from_user=self.user,
            chat_instance="local",
            message=message,
            data=data,
        )
        return await self.feed(Update(update_id=self._update_id(), callback_query=query))


def buttons(markup: object) -> list[tuple[str, str]]:
    """(label, callback data) of every inline button with callback data, in order."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row if b.callback_data]


def links(markup: object) -> list[tuple[str, str]]:
    """(label, URL) of every inline button that opens a link ("Share"), in order."""
    if not isinstance(markup, InlineKeyboardMarkup):
        return []
    return [(b.text, b.url) for row in markup.inline_keyboard for b in row if b.url]
