"""Admin commands through the real Dispatcher: authorisation (owner, admin, stranger, forged
buttons), audit entries, backups, candidate CSV uploads applied only after confirmation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, DeleteMyCommands, SendDocument, SendMessage, SetMyCommands

from bot import audit
from bot.admin.admins import Admins
from bot.conversation.assistant import Assistant
from bot.telegram.app import set_profile
from bot.telegram.local_chat import LocalSession, buttons
from handlers.callbacks import UploadCB
from tests.conftest import OWNER
from tests.test_handlers import assert_valid_html, result_of

STRANGER, HELPER = 2002, 3003
ELECTION = "2023-03-19-maslikhats"
GOOD_CSV = (
    "election_id,area,constituency,full_name,birth_year,party,status,source\n"
    f"{ELECTION},Жетісу облысы,№1 округ,Сейітова Айгүл,1980,Аманат,registered,https://example.test/a\n"
    f"{ELECTION},Алматы,№3 округ,Иванов Пётр,1975,self,registered,https://example.test/a\n"
).encode()
BAD_CSV = (
    "election_id,area,constituency,full_name,birth_year,party,status,source\n"
    f"{ELECTION},Атлантида,№1 округ,Сейітова Айгүл,1780,Аманат,registered,https://example.test/a\n"
).encode()


def texts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, SendMessage)]


def alerts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, AnswerCallbackQuery) and r.show_alert]


def candidates(assistant: Assistant) -> int:
    return assistant.db.execute("SELECT count(*) FROM candidates").fetchone()[0]


@pytest.mark.parametrize("command", ["/admin", "/audit", "/backup", "/export_candidates", "/addadmin 2002"])
async def test_strangers_get_the_normal_reply_and_are_logged(people, assistant, session, command) -> None:
    requests = await people(STRANGER).send(command)
    assert texts(requests) == [texts(await people(STRANGER).send("/nosuchcommand"))[0]]
    assert not [r for r in requests if isinstance(r, SendDocument)]
    denied = audit.recent(assistant.db, action="denied")
    assert denied[-1].user_id == STRANGER and denied[-1].target == command
    assert not Admins(assistant.db, (OWNER,)).is_admin(STRANGER)


async def test_owner_adds_and_removes_an_admin(people, assistant, session) -> None:
    owner, helper = people(OWNER), people(HELPER)
    assert "Аудит" not in " ".join(texts(await helper.send("/audit")))  # not yet an admin
    assert str(HELPER) in texts(await owner.send(f"/addadmin {HELPER}"))[0]
    assert texts(await helper.send("/audit"))[0].startswith("📜")
    assert "владельц" in texts(await helper.send(f"/addadmin {STRANGER}"))[0]  # admins can't add admins
    assert "владельц" in texts(await owner.send(f"/removeadmin {OWNER}"))[0]  # owners stay
    await owner.send(f"/removeadmin {HELPER}")
    assert not Admins(assistant.db, (OWNER,)).is_admin(HELPER)
    menus = [r for r in session.requests if isinstance(r, SetMyCommands) and r.scope is not None]
    assert {r.scope.chat_id for r in menus} == {HELPER}  # the new admin's own menu, in each language
    assert any(isinstance(r, DeleteMyCommands) and r.scope.chat_id == HELPER for r in session.requests)
    actions = [e.action for e in audit.recent(assistant.db)]
    assert "admin.add" in actions and "admin.remove" in actions
    assert "/addadmin" in texts(await owner.send("/addadmin abc"))[0]  # bad argument: usage


async def test_backup_is_a_consistent_sqlite_copy(people, assistant, session, tmp_path: Path) -> None:
    requests = await people(OWNER).send("/backup")
    (_document,) = [r for r in requests if isinstance(r, SendDocument)]
    chat_id, name, data = session.documents[-1]
    assert chat_id == OWNER and name.startswith("saylau-") and name.endswith(".db")
    copy = tmp_path / "copy.db"
    copy.write_bytes(data)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        faq = conn.execute("SELECT count(*) FROM faq_entries").fetchone()[0]
    assert faq == assistant.db.execute("SELECT count(*) FROM faq_entries").fetchone()[0] > 0
    assert audit.recent(assistant.db, action="backup")[0].user_id == OWNER


async def test_csv_upload_applies_only_after_confirmation(people, assistant, session) -> None:
    owner = people(OWNER)
    before = candidates(assistant)
    (report,) = [r for r in await owner.send_document(GOOD_CSV, "list.csv") if isinstance(r, SendMessage)]
    assert "Добавлено 2" in report.text
    assert_valid_html(report.text)
    assert candidates(assistant) == before  # a dry run only
    apply_data = next(data for _, data in buttons(report.reply_markup) if UploadCB.unpack(data).apply)
    message = result_of(session, report)
    assert alerts(await people(STRANGER).press(apply_data, message))  # a stranger cannot apply it
    assert candidates(assistant) == before
    done = texts(await owner.press(apply_data, message))
    assert candidates(assistant) == before + 2 and "Применено" in done[0]
    entry = audit.recent(assistant.db, action="candidates.import")[0]
    assert entry.user_id == OWNER and entry.target == "list.csv" and entry.after["candidates"] == before + 2
    assert alerts(await owner.press(apply_data, message))  # pressing twice applies nothing more
    assert candidates(assistant) == before + 2


async def test_bad_csv_is_reported_and_nothing_is_kept(people, assistant) -> None:
    requests = await people(OWNER).send_document(BAD_CSV, "bad.csv")
    (report,) = [r for r in requests if isinstance(r, SendMessage)]
    assert "Строка 2, столбец area: неизвестная территория «Атлантида»" in report.text
    assert "Ничего не изменено" in report.text
    assert report.reply_markup is None
    assert assistant.db.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0


async def test_cancel_forged_and_odd_files(people, assistant) -> None:
    owner = people(OWNER)
    report = next(r for r in await owner.send_document(GOOD_CSV, "list.csv") if isinstance(r, SendMessage))
    cancel = next(data for _, data in buttons(report.reply_markup) if not UploadCB.unpack(data).apply)
    assert alerts(await owner.press(cancel))
    assert candidates(assistant) == 0
    assert alerts(await owner.press(UploadCB(upload=999, apply=True).pack()))  # no such upload
    assert alerts(await owner.press("admup:1:garbage"))  # forged data
    assert "CSV" in texts(await owner.send_document(b"\x00\x01binary", "x.csv"))[0]
    assert ".csv" in texts(await owner.send_document(b"hello", "notes.txt"))[0]
    assert candidates(assistant) == 0


async def test_export_sends_the_import_format(people, assistant, session) -> None:
    owner = people(OWNER)
    report = next(r for r in await owner.send_document(GOOD_CSV, "list.csv") if isinstance(r, SendMessage))
    apply_data = next(data for _, data in buttons(report.reply_markup) if UploadCB.unpack(data).apply)
    await owner.press(apply_data)
    await owner.send("/export_candidates")
    _chat, name, data = session.documents[-1]
    text = data.decode("utf-8-sig")
    assert name == "candidates.csv" and text.startswith("election_id,") and "Иванов Пётр" in text


async def test_admin_commands_only_in_admins_chats(
    assistant: Assistant, session: LocalSession, bot: Bot
) -> None:
    await set_profile(bot, Admins(assistant.db, (OWNER,)))
    scoped = [r for r in session.requests if isinstance(r, SetMyCommands) and r.scope is not None]
    assert scoped and {r.scope.chat_id for r in scoped} == {OWNER}
    assert all("backup" in {c.command for c in r.commands} for r in scoped)
    public = [r for r in session.requests if isinstance(r, SetMyCommands) and r.scope is None]
    assert public and all("backup" not in {c.command for c in r.commands} for r in public)
