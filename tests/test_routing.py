"""Routers turn away at once the updates none of their handlers can take (handlers/routing.py),
and the bot answers exactly as it would if every router were walked."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiogram import BaseMiddleware, Bot, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.filters import Command
from aiogram.types import Message, PhotoSize, Update

from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat, LocalSession
from handlers import setup_routers
from handlers.callbacks import MenuCB, TopicCB
from handlers.filters import data_prefix, on_loop
from handlers.routing import LeanRouter, gate_for

OWNER = 1001
STRANGER = 2002
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")  # the audit log's times


def by_name(root: Router) -> dict[str, Router]:
    return {r.name: r for r in root.chain_tail}


def text(body: str) -> Message:
    return Message.model_validate(
        {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}, "text": body}
    )


def test_every_router_of_the_bot_is_lean(assistant: Assistant) -> None:
    dp = create_dispatcher(assistant, load_settings(bot_token=None))
    below = [r for sub in dp.sub_routers for r in sub.chain_tail]
    assert len(below) >= 20
    assert [r.name for r in below if not isinstance(r, LeanRouter)] == []


def test_a_question_is_turned_away_by_routers_of_commands_and_buttons() -> None:
    tree = by_name(setup_routers())
    question = text("Когда выборы в маслихат?")
    for name in ("start", "elections", "reminders", "admin-denied", "candidates", "menu", "inline"):
        assert gate_for(tree[name], "message")(question) is False, name
    for name in ("root", "admin", "questions", "fallback"):
        assert gate_for(tree[name], "message")(question) is True, name
    assert gate_for(tree["start"], "message")(text("/start")) is True
    assert gate_for(tree["elections"], "edited_message")(text("/dates")) is False  # no handler


def test_a_button_is_let_in_only_where_its_prefix_is_handled() -> None:
    tree = by_name(setup_routers())
    topic = TopicCB(topic="home-voting", lang="ru")
    press = type("Press", (), {"data": topic.pack()})()
    admitting = [name for name, r in tree.items() if gate_for(r, "callback_query")(press)]
    assert admitting == ["root", "menu", "fallback"]
    section = type("Press", (), {"data": MenuCB(section="dates").pack()})()
    assert gate_for(tree["admin"], "callback_query")(section) is False
    assert gate_for(tree["candidates"], "callback_query")(section) is True  # its own "candidates" section


def test_what_cannot_be_told_from_the_first_filter_is_let_in() -> None:
    r = LeanRouter(name="probe")

    @r.message(Command("x"))
    async def command(message: Message) -> None: ...

    assert gate_for(r, "message")(text("hello")) is False
    sub = LeanRouter(name="sub")
    r.include_router(sub)

    @sub.message(on_loop(F.photo))
    async def photo(message: Message) -> None: ...

    assert gate_for(r, "message")(text("hello")) is True


def test_a_router_with_outer_middleware_is_always_let_in() -> None:
    r = LeanRouter(name="probe")
    sub = LeanRouter(name="sub")
    r.include_router(sub)

    @sub.callback_query(data_prefix("x:"))
    async def press(query: object) -> None: ...

    other = type("Press", (), {"data": "y:1"})()
    assert gate_for(r, "callback_query")(other) is False

    class Noting(BaseMiddleware):
        async def __call__(self, handler: Any, event: Any, data: dict[str, Any]) -> Any:
            return await handler(event, data)

    sub.callback_query.outer_middleware(Noting())
    assert gate_for(r, "callback_query")(other) is True


def test_command_prefixes_are_read_from_the_filters() -> None:
    r = LeanRouter(name="probe")

    @r.message(Command("x", prefix="!/"))
    async def command(message: Message) -> None: ...

    gate = gate_for(r, "message")
    assert (gate(text("!x")), gate(text("/x")), gate(text("x"))) == (True, True, False)


async def test_a_question_walks_few_routers(
    assistant: Assistant, bot: Bot, session: LocalSession, monkeypatch
) -> None:
    """Only the routers that might take a text message run aiogram's machinery for it (its
    filters and sub-routers: ``Router._propagate_event``, which every router let in runs)."""
    walked: list[str] = []
    original = Router._propagate_event

    async def counting(self: Router, observer: Any, update_type: str, event: Any, **kwargs: Any) -> Any:
        walked.append(self.name)
        return await original(self, observer, update_type, event, **kwargs)

    dp = create_dispatcher(assistant, load_settings(bot_token=None), throttle=False)
    chat = LocalChat(dp, bot, session, language_code="ru")
    await chat.send("/start")
    monkeypatch.setattr(Router, "_propagate_event", counting)
    replies = await chat.send("Как проголосовать за границей?")
    assert replies
    assert "questions" in walked
    assert not {"start", "elections", "reminders", "admin-denied"} & set(walked), walked
    assert len(walked) <= 5, walked


# --- the same answers as with every router walked ---------------------------------------------

STRANGER_TEXTS = [
    "/start",
    "Когда выборы в маслихат?",
    "/menu",
    "/dates",
    "/subscribe",
    "/subscribe",
    "/unsubscribe",
    "/help",
    "/privacy",
    "/abroad",
    "/language",
    "/audit",  # an admin command from a stranger: the unknown-command reply
    "/stats",
    "/no_such_command",
    "🗳🗳",
    "посольство в Анкаре",
    "Ахметов",
    "/start@saylau_bot",
    "!start",
]
PRESSES = [
    "menu:home",
    "menu:dates",
    "menu:candidates",
    "menu:missions",
    "menu:abroad",
    "menu:no-such-section",
    "t:home-voting:ru",
    "t:home-voting:xx",
    "fb:home-voting:ru:1",
    "none:ru",
    "sub:*",
    "lang:kk",
    "lang:ru",
    "mc:TR",
    "ce:no-such-election",
    "cc:1",
    "cc:99999999999999999999",
    "admup:1:1",
    "adm",
    "junk",
]
OWNER_TEXTS = [
    "/admin",
    "/audit",
    "/audit denied",
    "/stats",
    "/faq_edit",
    "/cancel",
    "/stale",
    "Где голосовать?",
]


def seen(methods: list[Any]) -> list[tuple[str, ...]]:
    """What a user would see of the bot's requests: their kind, text and buttons."""
    return [
        (
            type(m).__name__,
            STAMP.sub("<time>", str(getattr(m, "text", None) or getattr(m, "caption", None))),
            str(getattr(m, "show_alert", None)),
            str(getattr(m, "reply_markup", None)),
        )
        for m in methods
    ]


async def conversation(db_file: Path) -> list[tuple[str, ...]]:
    db = open_database(db_file)
    try:
        assistant = Assistant(db)
        dp = create_dispatcher(assistant, load_settings(bot_token=None, admin_ids=str(OWNER)), throttle=False)
        session = LocalSession()
        bot = Bot("42:TEST-TOKEN", session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        stranger = LocalChat(dp, bot, session, user_id=STRANGER, language_code="ru")
        owner = LocalChat(dp, bot, session, user_id=OWNER, language_code="kk")
        out: list[tuple[str, ...]] = []
        for body in STRANGER_TEXTS:
            out += [("text", body), *seen(await stranger.send(body))]
        photo = [PhotoSize(file_id="p", file_unique_id="p", width=10, height=10)]
        out += seen(await stranger.send_message(photo=photo, caption="Кто может голосовать?"))
        out += seen(await stranger.send_message(photo=photo, caption="/help"))
        edited = Message(
            message_id=1,
            date=datetime.now(UTC),
            edit_date=int(datetime.now(UTC).timestamp()),
            chat=stranger.chat,
            from_user=stranger.user,
            text="Как голосовать дома?",
        )
        out += seen(await stranger.feed(Update(update_id=9_000, edited_message=edited)))
        for data in PRESSES:
            out += [("press", data), *seen(await stranger.press(data))]
        for body in OWNER_TEXTS:
            out += [("owner", body), *seen(await owner.send(body))]
        await bot.session.close()
        return out
    finally:
        db.close()


async def test_answers_are_those_of_a_full_walk(tmp_path: Path, monkeypatch) -> None:
    lean = await conversation(tmp_path / "lean.db")
    monkeypatch.setattr(LeanRouter, "propagate_event", Router.propagate_event)
    full = await conversation(tmp_path / "full.db")
    assert len(lean) > len(STRANGER_TEXTS) + len(PRESSES) + len(OWNER_TEXTS) + 30
    assert lean == full
