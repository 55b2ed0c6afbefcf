"""End to end: ``python -m bot`` itself, long polling a fake Bot API server on loopback."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta
from pathlib import Path

import aiohttp

from bot.calendar.votes import kazakhstan_today
from bot.db import open_database
from bot.delivery import reminders
from tests.e2e_process import free_port, polling_env, start_bot, stop_bot, webhook_env
from tests.fake_bot_api import FakeBotAPI

TOKEN = "123456:" + "E" * 35


async def test_polling_loop_answers_over_loopback(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    proc = await start_bot(tmp_path, polling_env(api.base_url, TOKEN, tmp_path / "e2e.db", LOG_LEVEL="INFO"))
    try:
        # Start-up: profile per language, then polling.
        commands = await api.wait_for("setMyCommands", 4)
        assert {c.get("language_code") for c in commands} == {None, "kk", "ru", "id"}
        await api.push_message("/start", language_code="ru")
        (greeting,) = await api.wait_for("sendMessage", 1)
        assert greeting["chat_id"] == "777"
        assert "Saylau" in greeting["text"] and "выборах" in greeting["text"]
        assert "inline_keyboard" in greeting["reply_markup"]

        await api.push_message("Во сколько открываются избирательные участки?", language_code="ru")
        answer = (await api.wait_for("sendMessage", 2))[1]
        assert "07:00" in answer["text"]
        assert "Источник" in answer["text"]

        await api.push_message("Сайлау учаскелері қашан жабылады?", language_code="ru")
        answer_kk = (await api.wait_for("sendMessage", 3))[2]
        assert "20:00" in answer_kk["text"] and "Дереккөз" in answer_kk["text"]
        assert api.tokens == {TOKEN}  # the bot used the configured server, nothing else
    finally:
        output = await stop_bot(proc, signal.SIGINT)
        await api.stop()
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output


async def test_webhook_mode_checks_the_secret_and_answers(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    port = free_port()
    env = webhook_env(api.base_url, TOKEN, tmp_path / "hook.db", "s3cret-token", port)
    proc = await start_bot(tmp_path, env)
    update = {
        "update_id": 1,
        "message": {
            "message_id": 10,
            "date": 1,
            "chat": {"id": 778, "type": "private"},
            "from": {"id": 778, "is_bot": False, "first_name": "T", "language_code": "id"},
            "text": "Jam berapa TPS dibuka?",
        },
    }
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    try:
        (hook,) = await api.wait_for("setWebhook", 1)
        assert hook["url"] == "https://bot.example.test/telegram/webhook"
        assert hook["secret_token"] == "s3cret-token"
        async with aiohttp.ClientSession() as http:
            for _ in range(100):  # the server starts listening right after setWebhook
                try:
                    async with http.post(url, json=update) as forged:
                        assert forged.status == 401  # no secret: rejected
                    break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.1)
            assert not [c for c in api.calls if c[0] == "sendmessage"]
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}
            async with http.post(url, json=update, headers=headers) as accepted:
                assert accepted.status == 200
        (answer,) = await api.wait_for("sendMessage", 1)
        assert answer["chat_id"] == "778" and "Sumber" in answer["text"]
    finally:
        output = await stop_bot(proc, signal.SIGTERM)
        await api.stop()
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output


async def test_reminders_are_sent_once_across_a_restart(tmp_path: Path) -> None:
    db_path = tmp_path / "remind.db"
    db = open_database(db_path)
    vote_day = kazakhstan_today() + timedelta(days=1)  # whatever the hour, a reminder is due
    db["elections"].insert(
        {
            "id": "e2e-vote",
            "type": "akim",
            "level": "rural",
            "date": vote_day.isoformat(),
            "status": "scheduled",
            "name_kk": "Ауыл әкімін сайлау",
            "name_ru": "Выборы акима села",
            "name_id": "Pemilihan akim desa",
            "sources": '["https://www.election.gov.kz"]',
            "is_sample": 0,
        }
    )
    reminders.subscribe(db, 888, "kk")
    reminders.subscribe(db, 999, "ru")  # has blocked the bot
    db.close()
    api = FakeBotAPI()
    api.blocked = {999}
    await api.start()
    env = polling_env(api.base_url, TOKEN, db_path, REMINDER_INTERVAL_SECONDS="0.3")
    outputs = []
    try:
        proc = await start_bot(tmp_path, env)
        try:
            sends = await api.wait_for("sendMessage", 2)
        finally:
            outputs.append(await stop_bot(proc, signal.SIGINT))
        reminder = next(s for s in sends if s["chat_id"] == "888")  # 999 got a 403
        assert "Еске салу" in reminder["text"] and "ертең" in reminder["text"]
        proc = await start_bot(tmp_path, env)  # restarted: several scheduler rounds run
        try:
            await api.wait_for("setMyCommands", 8)
            await asyncio.sleep(2)
        finally:
            outputs.append(await stop_bot(proc, signal.SIGINT))
    finally:
        await api.stop()
    every_send = await api.wait_for("sendMessage", 0)
    assert sorted(s["chat_id"] for s in every_send) == ["888", "999"], "one attempt each, ever"
    db = open_database(db_path)
    assert reminders.subscriptions_of(db, 999) == []  # 403: the user is forgotten
    assert [r[0] for r in db.execute("SELECT status FROM outbox")] == ["sent"]
    db.close()
    assert all("Traceback" not in out for out in outputs), outputs
