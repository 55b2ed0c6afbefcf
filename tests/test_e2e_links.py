"""End to end: deep links and Share buttons, ``python -m bot`` polling a fake Bot API on loopback."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bot.faq.entries import load_faq_files
from tests.e2e_process import polling_env, start_bot, stop_bot
from tests.fake_bot_api import BOT_USER, FakeBotAPI

TOKEN = "123456:" + "L" * 35
USERS = {"kk": 801, "ru": 802, "id": 803}


def _markup(call: dict) -> list[dict]:
    """Every inline button of a recorded call's reply_markup."""
    markup = json.loads(call["reply_markup"])
    return [button for row in markup["inline_keyboard"] for button in row]


def _shared_link(buttons: list[dict]) -> str:
    """The t.me link a Share button (t.me/share/url?url=...) passes on."""
    (share,) = [b["url"] for b in buttons if "url" in b]
    parts = urlsplit(share)
    assert (parts.netloc, parts.path) == ("t.me", "/share/url")
    return parse_qs(parts.query)["url"][0]


async def test_deep_link_opens_the_answer_in_each_language_with_a_share_button(tmp_path: Path) -> None:
    entry = {e.topic: e for e in load_faq_files()}["home-voting"]
    api = FakeBotAPI()
    await api.start()
    proc = await start_bot(tmp_path, polling_env(api.base_url, TOKEN, tmp_path / "links.db"))
    try:
        for lang, user in USERS.items():
            await api.push_message("/start home-voting", user_id=user, language_code=lang)
        answers = await api.wait_for("sendMessage", 3)
        by_chat = {int(a["chat_id"]): a for a in answers}
        for lang, user in USERS.items():
            answer = by_chat[user]
            assert entry.titles[lang] in answer["text"], (lang, answer["text"][:200])
            assert entry.answers[lang][:40] in answer["text"]
            buttons = _markup(answer)
            link = _shared_link(buttons)
            assert link == f"https://t.me/{BOT_USER['username']}?start=home-voting"
            assert any(b.get("callback_data") == "menu:home" for b in buttons)  # and the way on

        # The shared link works for whoever taps it: /start with the same payload, and an
        # unknown payload greets as usual.
        await api.push_message("/start " + link.split("start=")[1], user_id=804, language_code="id")
        await api.push_message("/start no-such-topic", user_id=805, language_code="ru")
        later = (await api.wait_for("sendMessage", 5))[3:]
        shared = next(a for a in later if int(a["chat_id"]) == 804)
        assert entry.titles["id"] in shared["text"]
        greeting = next(a for a in later if int(a["chat_id"]) == 805)
        assert "Saylau" in greeting["text"] and "выборах" in greeting["text"]
    finally:
        output = await stop_bot(proc, signal.SIGINT)
        await api.stop()
    assert proc.returncode == 0, output
    assert "Traceback" not in output, output
