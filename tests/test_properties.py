"""Property-based tests (hypothesis): random and adversarial voter text, callback data and
upload files go through the real Dispatcher. Whatever comes in, the bot replies or keeps a
deliberate silence, logs no exception, sends only messages Telegram accepts (length, HTML,
callback data of at most 64 bytes), and a non-admin changes no content. Bounded for CI."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import Chat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat, LocalSession
from tests.test_admin import OWNER
from tests.test_handlers import assert_valid_html

CONTENT_TABLES = ("faq_entries", "faq_questions", "faq_versions", "elections", "areas", "parties",
                  "ballots", "candidates", "missions", "mission_polling", "admins")  # fmt: skip
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text voters might send: every script the bot reads, emoji, control and invisible characters.
VOTER_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.sampled_from("аәбғқңөұүһіАӘҒҚҢӨҰҮҺІ ёЁ?!.,<>&\"'/@#\n\t\u200b\u202e\ufeff🗳🇰🇿👍🏽"),
    ),
    max_size=300,
) | st.sampled_from(["", " ", "\n" * 50, "<b>", "</i>", "&amp;", "@saylau_bot", "/" + "x" * 300, "а" * 5000])
NUMBERS = st.one_of(st.integers(-(2**70), 2**70), st.sampled_from([0, 1, -1, 2**63, 2**63 - 1, 2**64]))
PREFIXES = ("lang", "menu", "t", "fb", "none", "ce", "ca", "cb", "cc", "cs", "sub", "rh", "mc",
            "admup", "admbc", "admfd", "admfr", "admfe", "admun", "admcu")  # fmt: skip
CALLBACK_DATA = st.one_of(
    st.text(max_size=64),
    st.builds(
        lambda p, parts: ":".join([p, *map(str, parts)])[:64],
        st.sampled_from(PREFIXES),
        st.lists(st.one_of(NUMBERS, st.text(max_size=12)), max_size=4),
    ),
)


def _fingerprint(db, tables: tuple[str, ...] = CONTENT_TABLES) -> str:
    digest = hashlib.sha256()
    for table in tables:
        if db[table].exists():
            for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _no_errors_logged() -> Iterator[None]:
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
    assert not handler.records, [r.getMessage() for r in handler.records]


def _check_outgoing(requests: list[Any]) -> None:
    """Every message the bot sent is one Telegram accepts."""
    for request in requests:
        if isinstance(request, SendMessage | EditMessageText):
            assert request.text and len(request.text) <= 4096
            assert_valid_html(request.text)
            markup = request.reply_markup
            for row in getattr(markup, "inline_keyboard", None) or []:
                for button in row:
                    assert button.callback_data is None or len(button.callback_data.encode()) <= 64
                    assert button.text
        if isinstance(request, AnswerCallbackQuery) and request.text:
            assert len(request.text) <= 200


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[tuple[asyncio.AbstractEventLoop, Any, Bot, LocalSession, Assistant]]:
    """One bot for the whole module (hypothesis runs many examples against it)."""
    db = open_database(tmp_path_factory.mktemp("props") / "saylau.db")
    assistant = Assistant(db)
    session = LocalSession()
    bot = Bot("42:TEST-TOKEN", session=session)
    dp = create_dispatcher(assistant, load_settings(bot_token=None, admin_ids=str(OWNER)), throttle=False)
    loop = asyncio.new_event_loop()
    yield loop, dp, bot, session, assistant
    loop.close()
    db.close()


def _chat(world, user_id: int, lang: str = "ru", group: bool = False) -> LocalChat:
    _loop, dp, bot, session, _assistant = world
    chat = LocalChat(dp, bot, session, user_id=user_id, language_code=lang)
    if group:
        chat.chat = Chat(id=-1000 - user_id, type="supergroup", title="group")
    return chat


@SETTINGS
@given(text=VOTER_TEXT, lang=st.sampled_from(["kk", "ru", "id", "en", None]), group=st.booleans())
def test_any_voter_text(world, text: str, lang: str | None, group: bool) -> None:
    loop, *_rest, assistant = world
    before = _fingerprint(assistant.db)
    with _no_errors_logged():
        requests = loop.run_until_complete(_chat(world, 777, lang or "ru", group).send(text))
    _check_outgoing(requests)
    if not group:  # a private message always gets a reply (or, for empty text, nothing to read)
        assert any(isinstance(r, SendMessage) for r in requests) or not text.strip()
    assert _fingerprint(assistant.db) == before


@SETTINGS
@given(data=CALLBACK_DATA)
def test_any_callback_data(world, data: str) -> None:
    loop, *_rest, assistant = world
    before = _fingerprint(assistant.db)
    with _no_errors_logged():
        requests = loop.run_until_complete(_chat(world, 778).press(data))
    _check_outgoing(requests)
    assert len([r for r in requests if isinstance(r, AnswerCallbackQuery)]) == 1  # never left spinning
    assert _fingerprint(assistant.db) == before


def _zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


UPLOAD_BODY = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(str.encode),
    st.sampled_from([
        b"- id: x\n  kind: embassy\n", b"a: &a [1]\nb: *a\n", b"[" * 100, b"topic: 5\n", b"{1: 2}",
        b"\xef\xbb\xbfid,parent_id,type,name_kk,name_ru,name_en\nx,x,region,a,b,c\n",
        b"election_id,full_name\n=cmd|' /C calc'!A0,1\n", b"\x98\x98\x98,\n",
    ]),
)  # fmt: skip
ZIP_NAMES = ["elections.yaml", "missions.yaml", "parties.yaml", "areas.csv", "faq/voting-hours.yaml",
             "../evil.yaml", "faq/x.yaml"]  # fmt: skip
UPLOAD = st.one_of(
    st.tuples(st.sampled_from(["faq.yaml", "list.csv", "content.zip", "x.yml"]), UPLOAD_BODY),
    st.tuples(
        st.just("content.zip"),
        st.dictionaries(
            st.sampled_from(
                [
                    "elections.yaml",
                    "missions.yaml",
                    "parties.yaml",
                    "areas.csv",
                    "faq/voting-hours.yaml",
                    "../evil.yaml",
                    "faq/x.yaml",
                ]
            ),
            UPLOAD_BODY,
            max_size=3,
        ).map(_zip_of),
    ),
)


@SETTINGS
@given(upload=UPLOAD)
def test_any_upload_file(world, upload: tuple[str, bytes]) -> None:
    """An admin's upload is answered, never applied without Apply, and never crashes; the same
    file from a stranger changes nothing either."""
    loop, *_rest, assistant = world
    name, content = upload
    visible = tuple(t for t in CONTENT_TABLES if t != "faq_versions")  # drafts may be added
    before = _fingerprint(assistant.db, visible)
    with _no_errors_logged():
        for user in (OWNER, 779):
            requests = loop.run_until_complete(_chat(world, user).send_document(content, name))
            _check_outgoing(requests)
            if user == OWNER:
                assert any(isinstance(r, SendMessage) for r in requests)
    assert _fingerprint(assistant.db, visible) == before  # nothing voters see, until Apply
