"""Shared fixtures: a real SQLite file per test, the real content, the real Dispatcher."""

from __future__ import annotations

import os
import tempfile

# One topic-model cache for the whole run, away from the user's ~/.cache: trained once, loaded after.
os.environ.setdefault("SAYLAU_MODEL_CACHE", tempfile.mkdtemp(prefix="saylau-model-"))

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.i18n import compile_catalogs
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat, LocalSession

compile_catalogs()

OWNER = 1001  # the only owner (ADMIN_IDS) of the bot the `people` fixture talks to


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "saylau.db"


@pytest.fixture
def assistant(db_path: Path) -> Iterator[Assistant]:
    db = open_database(db_path)
    yield Assistant(db)
    db.close()


@pytest.fixture
def session() -> LocalSession:
    return LocalSession()


@pytest.fixture
async def bot(session: LocalSession) -> AsyncIterator[Bot]:
    bot = Bot("42:TEST-TOKEN", session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot


def make_chat(assistant: Assistant, bot: Bot, session: LocalSession, **kwargs: object) -> LocalChat:
    """A user chatting through a fresh Dispatcher (fresh routers) over ``assistant``."""
    throttle = bool(kwargs.pop("throttle", False))
    dp = create_dispatcher(assistant, load_settings(bot_token=None), throttle=throttle)
    return LocalChat(dp, bot, session, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def chat_factory(assistant: Assistant, bot: Bot, session: LocalSession):
    def factory(**kwargs: object) -> LocalChat:
        return make_chat(assistant, bot, session, **kwargs)

    return factory


@pytest.fixture
def people(assistant: Assistant, bot: Bot, session: LocalSession):
    """chat(user_id) -> a Russian-speaking user of a bot whose only owner is OWNER."""
    dp = create_dispatcher(assistant, load_settings(bot_token=None, admin_ids=str(OWNER)), throttle=False)

    def chat(user_id: int) -> LocalChat:
        return LocalChat(dp, bot, session, user_id=user_id, language_code="ru")

    return chat


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A real, empty redis-server of this test's own (see tests/redis_server.py)."""
    from tests.redis_server import running_redis

    with running_redis(tmp_path) as url:
        yield url
