"""End to end with REDIS_URL: two ``python -m bot`` webhook workers of one bot, one SQLite file,
a real redis-server and one fake Bot API on loopback. Each update is answered once, whichever
worker gets it (Telegram's retries included), the flood limit counts a user's messages across
both, and each reminder goes out once though both run a scheduler loop."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import timedelta
from pathlib import Path

import aiohttp

from bot.calendar.votes import kazakhstan_today
from bot.db import open_database
from bot.delivery import reminders
from tests.e2e_process import free_port, post_webhook, start_bot, stop_bot, webhook_env
from tests.fake_bot_api import FakeBotAPI
from tests.test_e2e import TOKEN

SECRET = "cluster-secret"
FLOODER = 900


def _update(update_id: int, user_id: int, text: str, lang: str = "id") -> dict:
    user = {"id": user_id, "is_bot": False, "first_name": "T", "language_code": lang}
    message = {"message_id": update_id, "date": 1, "chat": {"id": user_id, "type": "private"}, "from": user}
    return {"update_id": update_id, "message": {**message, "text": text}}


def _seed(db_path: Path) -> None:
    """A vote tomorrow (a reminder is due at once) and two subscribers."""
    db = open_database(db_path)
    db["elections"].insert(
        {
            "id": "cluster-vote",
            "type": "akim",
            "level": "rural",
            "date": (kazakhstan_today() + timedelta(days=1)).isoformat(),
            "status": "scheduled",
            "name_kk": "Ауыл әкімін сайлау",
            "name_ru": "Выборы акима села",
            "name_id": "Pemilihan akim desa",
            "sources": '["https://www.election.gov.kz"]',
            "is_sample": 0,
        }
    )
    reminders.subscribe(db, 888, "kk")
    reminders.subscribe(db, 889, "ru")
    db.close()


async def test_two_webhook_workers_answer_each_update_once(tmp_path: Path, redis_url: str) -> None:
    db_path = tmp_path / "cluster.db"
    _seed(db_path)
    api = FakeBotAPI()
    await api.start()
    ports = [free_port(), free_port()]
    cluster = {"REDIS_URL": redis_url, "REMINDER_INTERVAL_SECONDS": "0.3"}
    workers = [
        await start_bot(tmp_path, webhook_env(api.base_url, TOKEN, db_path, SECRET, port, **cluster))
        for port in ports
    ]
    outputs: list[str] = []
    try:
        await api.wait_for("setWebhook", 2)
        async with aiohttp.ClientSession() as http:
            voters = range(501, 507)
            for n, user_id in enumerate(voters):  # six voters, alternately behind the balancer
                await post_webhook(
                    http, ports[n % 2], _update(n + 1, user_id, "Jam berapa TPS dibuka?"), SECRET
                )
            retried = _update(50, 600, "Di mana saya bisa memilih di luar negeri?")
            await post_webhook(http, ports[0], retried, SECRET)
            await post_webhook(http, ports[1], retried, SECRET)  # Telegram's retry reaches the other worker
            for n in range(12):  # one flooding user, spread over both
                await post_webhook(
                    http, ports[n % 2], _update(100 + n, FLOODER, "Jam berapa TPS dibuka?"), SECRET
                )
            expected = len(voters) + 1 + 10 + 1 + 2  # answers, the retried one, flood + warning, reminders
            await api.wait_for("sendMessage", expected, timeout=40)
            await asyncio.sleep(2)  # several more scheduler rounds in both workers, any late repeat
    finally:
        for worker in workers:
            outputs.append(await stop_bot(worker, signal.SIGTERM))
        await api.stop()
    sends = Counter(int(params["chat_id"]) for name, params in api.calls if name == "sendmessage")
    assert all(sends[user_id] == 1 for user_id in voters), sends
    assert sends[600] == 1, "a retried update is answered once"
    assert sends[FLOODER] == 11, "10 answers and one warning, counted across both workers"
    assert sends[888] == 1 and sends[889] == 1, "each reminder sent once"
    assert sum(sends.values()) == expected
    texts = [p["text"] for name, p in api.calls if name == "sendmessage"]
    assert any("Еске салу" in t for t in texts) and any("Напоминание" in t for t in texts)
    db = open_database(db_path)
    assert [r[0] for r in db.execute("SELECT status FROM outbox")] == ["sent", "sent"]
    db.close()
    for worker, output in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, output
        assert "Traceback" not in output, output
