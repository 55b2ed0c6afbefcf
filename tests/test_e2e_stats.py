"""End to end: an admin's /stats is a PNG chart (multipart sendPhoto) with the figures as caption."""

from __future__ import annotations

import asyncio
import json
import signal
import struct
import time
from collections.abc import Callable
from pathlib import Path

from bot.charts import PNG_SIGNATURE
from tests.e2e_process import polling_env, start_bot, stop_bot
from tests.fake_bot_api import FakeBotAPI

TOKEN = "123456:" + "S" * 35
ADMIN = 901


async def _sent(api: FakeBotAPI, wanted: Callable[[dict], bool], timeout: float = 20) -> list[dict]:
    """The messages sent so far that are ``wanted``, once there is one (the admin also gets a
    digest of what needs attention at start-up, at any moment)."""
    deadline = time.monotonic() + timeout
    while not (found := [m for m in api.calls_of("sendMessage") if wanted(m)]):
        assert time.monotonic() < deadline, "no such message"
        await asyncio.sleep(0.05)
    return found


async def test_stats_sends_a_png_chart_with_the_figures(tmp_path: Path) -> None:
    api = FakeBotAPI()
    await api.start()
    env = polling_env(api.base_url, TOKEN, tmp_path / "stats.db", ADMIN_IDS=str(ADMIN))
    proc = await start_bot(tmp_path, env)
    try:
        await api.push_message("Во сколько открываются избирательные участки?", user_id=902)
        await api.wait_for("sendMessage", 1)
        await api.push_message("/stats", user_id=ADMIN, language_code="ru")
        (photo,) = await api.wait_for("sendPhoto", 1, timeout=60)
        (details,) = await _sent(api, lambda m: int(m["chat_id"]) == ADMIN and "Вопросов в день" in m["text"])
        await api.push_message("/stats", user_id=903, language_code="ru")  # not an admin
        (denied,) = await _sent(api, lambda m: int(m["chat_id"]) == 903)
    finally:
        output = await stop_bot(proc, signal.SIGINT)
        await api.stop()
    png = photo["photo"]
    assert isinstance(png, bytes) and png.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    assert width >= 400 and height >= 400
    assert int(photo["chat_id"]) == ADMIN
    assert "Статистика" in photo["caption"] and "Вопросов: 1" in photo["caption"]
    assert len(photo["caption"]) <= 1024
    assert "menu:home" in json.dumps(json.loads(details["reply_markup"]))  # the way on
    assert int(denied["chat_id"]) == 903 and "Статистика" not in denied["text"]
    assert len(api.calls_of("sendPhoto")) == 1  # nothing drawn for the stranger
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
