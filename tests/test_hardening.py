"""Regression tests for the faults a fuzzing run found (issue 12): each bad input gets a clear
reply naming the problem, nothing changes, and no voter is blocked. Through the real
Dispatcher where an admin or voter would meet it."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import UTC, datetime
from unittest.mock import ANY

import pytest
import yaml
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, Message, PhotoSize, Sticker, Update

from bot import audit
from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import CandidateDirectory
from bot.config import load_settings
from bot.content.export import content_archive
from bot.faq.yaml_file import parse_upload
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat
from bot.yaml_content import YamlRefused, load_yaml
from tests.test_admin import OWNER
from tests.test_content_import import edited_archive

# Nine levels of nine aliases: under 1 KB, about 400 million strings once expanded.
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def contents(db) -> dict[str, bytes]:
    """The content files as exported (the zip itself carries the time it was made)."""
    archive = zipfile.ZipFile(io.BytesIO(content_archive(db)))
    return {name: archive.read(name) for name in archive.namelist()}


def texts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, SendMessage)]


def test_alias_bomb_is_refused_at_once() -> None:
    assert len(BOMB) < 1024
    started = time.perf_counter()
    with pytest.raises(YamlRefused, match="aliases"):
        load_yaml(BOMB)
    entries, errors = parse_upload(BOMB.encode(), "faq.yaml")
    assert entries == [] and "aliases" in errors[0].problem_text
    assert time.perf_counter() - started < 1.0  # not expanded


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    for depth in (40, 10_000):
        entries, errors = parse_upload(("a: " + "[" * depth + "]" * depth).encode(), "deep.yaml")
        assert entries == [] and errors and errors[0].problem_text


async def test_alias_bomb_in_a_faq_upload_gets_a_reply(people, assistant) -> None:
    (reply,) = texts(await people(OWNER).send_document(BOMB.encode(), "faq.yaml"))
    assert "*name" in reply  # names the problem, in the admin's language (ru)
    assert assistant.db.execute("SELECT count(*) FROM faq_versions WHERE status = 'draft'").fetchone()[0] == 0


@pytest.mark.parametrize("target", ["elections.yaml", "missions.yaml", "faq/voting-hours.yaml"])
async def test_alias_bomb_in_a_content_zip_changes_nothing(people, assistant, target: str) -> None:
    db = assistant.db
    before = contents(db)

    def plant(files: dict[str, bytes]) -> None:
        files[target] = BOMB.encode()

    (reply,) = texts(await people(OWNER).send_document(edited_archive(db, plant), "content.zip"))
    assert target.split("/")[-1] in reply and "*name" in reply
    assert contents(db) == before


def _with_areas(csv_text: str):
    def change(files: dict[str, bytes]) -> None:
        files["areas.csv"] = files["areas.csv"] + csv_text.encode()

    return change


@pytest.mark.parametrize(
    "rows",
    [
        "loop-a,loop-a,district,Цикл,Цикл,Loop\n",  # its own parent
        "loop-a,loop-b,district,А,А,A\nloop-b,loop-a,district,Б,Б,B\n",  # two areas
    ],
)
async def test_area_loops_are_refused_and_the_walk_cannot_hang(people, assistant, rows: str) -> None:
    db = assistant.db
    (reply,) = texts(await people(OWNER).send_document(edited_archive(db, _with_areas(rows)), "content.zip"))
    assert "areas.csv" in reply and "loop-a" in reply
    assert db.execute("SELECT count(*) FROM areas WHERE id LIKE 'loop-%'").fetchone()[0] == 0
    # even a loop already in the database ends the walk
    db["areas"].insert({"id": "self", "parent_id": "self", "type": "district", "name_kk": "x",
                        "name_ru": "x", "name_en": "x", "is_sample": 0})  # fmt: skip
    assert CandidateDirectory(db).top_area("self") == "self"


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("latitude", "north", "-90"),
        ("latitude", 123.0, "-90"),
        ("timezone", "Asia/" + "X" * 5000, "300"),
        ("sources", ["https://example.org/" + "a" * 5000], "300"),
        ("website", ["not", "text"], "300"),
    ],
)
async def test_mission_fields_are_checked_on_import(people, assistant, field, value, problem) -> None:
    db = assistant.db

    def change(files: dict[str, bytes]) -> None:
        missions = yaml.safe_load(files["missions.yaml"])
        missions[0][field] = value
        files["missions.yaml"] = yaml.safe_dump(missions, allow_unicode=True).encode()

    (reply,) = texts(await people(OWNER).send_document(edited_archive(db, change), "content.zip"))
    assert "missions.yaml" in reply and field in reply and problem in reply
    assert all(isinstance(m.latitude, float | None) for m in MissionDirectory(db).missions)


def _zip(build) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        build(archive)
    return out.getvalue()


def _bad_crc() -> bytes:
    data = bytearray(_zip(lambda z: z.writestr("elections.yaml", "- id: x\n" * 50)))
    at = data.index(b"elections.yaml") + len("elections.yaml") + 5  # inside the compressed data
    data[at] ^= 0xFF
    return bytes(data)


def _method(method: int) -> bytes:
    data = bytearray(_zip(lambda z: z.writestr("elections.yaml", "[]")))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.index(header) + (8 if header == b"PK\x03\x04" else 10)
        data[at : at + 2] = method.to_bytes(2, "little")
    return bytes(data)


def _encrypted() -> bytes:
    data = bytearray(_zip(lambda z: z.writestr("elections.yaml", "[]")))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    return bytes(data)


@pytest.mark.parametrize(
    "data",
    [_bad_crc(), _method(99), _encrypted(), b"PK\x03\x04" + b"\x00" * 40, b"not a zip at all"],
    ids=["bad-crc", "unknown-method", "encrypted", "truncated", "not-zip"],
)
async def test_damaged_zips_get_a_clear_reply(people, assistant, data: bytes) -> None:
    before = contents(assistant.db)
    replies = texts(await people(OWNER).send_document(data, "content.zip"))
    assert len(replies) == 1 and "Ничего не изменено" in replies[0]
    assert contents(assistant.db) == before


@pytest.mark.parametrize(
    "data",
    [
        "cb:9223372036854775808:0",
        "cb:1:9223372036854775808",
        "cc:99999999999999999999999",
        "cb:1:-1",
        "fb:voting-hours:ru:7",
        "admup:9223372036854775808:1",
        "admfd:9223372036854775808:publish",
        "admbc:99999999999999999999:1",
    ],
)
async def test_forged_huge_numbers_get_the_stale_button_alert(people, data: str, caplog) -> None:
    for user in (OWNER, 4242):
        requests = await people(user).press(data)
        answers = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
        assert len(answers) == 1 and answers[0].show_alert
    assert "Traceback" not in caplog.text and "OverflowError" not in caplog.text


async def test_strangers_cannot_flush_real_changes_out_of_audit(people, assistant) -> None:
    owner, stranger = people(OWNER), people(4242)
    await owner.send("/addadmin 5555")  # a real change
    for _ in range(40):
        await stranger.send("/backup")
        await stranger.press("admup:1:1")
    logged = assistant.db.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'denied' AND user_id = 4242"
    ).fetchone()[0]
    assert logged == audit.DENIED_LOGGED_PER_DAY  # rate-limited per user...
    assert audit.denied_counts(assistant.db) == [(4242, 80, ANY)]  # ...and every attempt counted
    (shown,) = texts(await owner.send("/audit"))
    assert "admin.add" in shown and "denied" not in shown  # real changes by default
    (denied,) = texts(await owner.send("/audit denied"))
    assert "4242 · 80" in denied


STICKER = Sticker(file_id="s", file_unique_id="s", type="regular", width=1, height=1, is_animated=False,
                  is_video=False)  # fmt: skip


def group_chat(chat_factory, lang: str = "ru") -> LocalChat:
    chat = chat_factory(language_code=lang)
    chat.chat = Chat(id=-100500, type="supergroup", title="Ауыл чаты")
    return chat


async def test_in_a_group_only_what_is_addressed_to_the_bot_gets_a_reply(chat_factory, session) -> None:
    chat = group_chat(chat_factory)
    assert texts(await chat.send("Во сколько открываются участки?")) == []  # members talking
    assert texts(await chat.send("/start@other_bot")) == []  # another bot's command
    assert texts(await chat.send_message(sticker=STICKER)) == []
    (answer,) = texts(await chat.send("@saylau_bot во сколько открываются участки?"))
    assert "07:00" in answer
    assert texts(await chat.send("/dates@saylau_bot"))  # its own commands
    assert texts(await chat.send("/dates"))
    bot_message = next(r for r in reversed(session.requests) if isinstance(r, SendMessage))
    sent_back = Message.model_validate(
        {"message_id": 1, "date": 0, "chat": chat.chat.model_dump(), "text": bot_message.text,
         "from": {"id": chat.bot.id, "is_bot": True, "first_name": "Saylau", "username": "saylau_bot"}}
    )  # fmt: skip
    (reply,) = texts(await chat.send_message(text="а до скольки?", reply_to_message=sent_back))
    assert reply


async def test_a_photo_caption_is_read_as_the_question(chat_factory) -> None:
    chat = chat_factory(language_code="ru")
    photo = [PhotoSize(file_id="p", file_unique_id="p", width=10, height=10)]
    (answer,) = texts(await chat.send_message(photo=photo, caption="Во сколько открываются участки?"))
    assert "07:00" in answer


async def test_an_edited_question_is_answered_anew(chat_factory) -> None:
    chat = chat_factory(language_code="ru")
    await chat.send("Во скол")
    now = datetime.now(UTC)
    edited = Message(
        message_id=chat.session.next_message_id(), date=now, chat=chat.chat, from_user=chat.user,
        text="Во сколько открываются участки?", edit_date=int(now.timestamp()),
    )  # fmt: skip
    (answer,) = texts(await chat.feed(Update(update_id=999, edited_message=edited)))
    assert "07:00" in answer


async def test_a_broadcast_being_written_survives_a_restart(assistant, bot, session) -> None:
    settings = load_settings(bot_token=None, admin_ids=str(OWNER))
    before = LocalChat(create_dispatcher(assistant, settings, throttle=False), bot, session, user_id=OWNER,
                       language_code="ru")  # fmt: skip
    await before.send("/broadcast")
    await before.send("Сайлау учаскелері ертең ашық")  # kk text, then the bot restarts
    after = LocalChat(create_dispatcher(assistant, settings, throttle=False), bot, session, user_id=OWNER,
                      language_code="ru")  # fmt: skip
    await after.send("Участки открыты завтра")
    (preview,) = texts(await after.send("TPS buka besok"))
    assert "Сайлау учаскелері ертең ашық" in preview and "TPS buka besok" in preview
    await after.send("/broadcast")
    await after.send("Жаңа мәтін")  # a new conversation in progress...
    await after.send("/forget")  # ...ends with /forget, in the database and in memory
    assert assistant.db.execute("SELECT count(*) FROM fsm_state").fetchone()[0] == 0
    assert "Жаңа мәтін" not in " ".join(texts(await after.send("Ещё текст")))
