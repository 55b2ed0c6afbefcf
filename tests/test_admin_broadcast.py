"""/broadcast through the real Dispatcher: compose in three languages, preview, confirm,
delivery in each subscriber's language with progress, resume after a crash without
duplicates; /stats figures."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram import Bot
from aiogram.methods import EditMessageText, SendMessage

from bot import audit
from bot.conversation.assistant import Assistant
from bot.delivery import broadcasts, outbox, reminders, users
from bot.faq import stats
from bot.telegram.local_chat import LocalChat, LocalSession, buttons
from bot.telegram.scheduler import run_once
from bot.telegram.sender import RateLimiter
from handlers.callbacks import BroadcastCB
from tests.test_admin import OWNER, STRANGER
from tests.test_handlers import assert_valid_html
from tests.test_reminders import Crash, ScriptedSession

SUBSCRIBERS = {11: "kk", 12: "ru", 13: "id", 14: "ru"}
TEXTS = {"kk": "Сайлау учаскелері <ертең> ашық", "ru": "Участки открыты <завтра>", "id": "TPS buka <besok>"}


@pytest.fixture
def subscribed(assistant: Assistant) -> Assistant:
    for user_id, lang in SUBSCRIBERS.items():
        reminders.subscribe(assistant.db, user_id, lang)
    return assistant


async def compose(owner: LocalChat) -> SendMessage:
    """Go through /broadcast and return the preview."""
    await owner.send("/broadcast")
    for lang in ("kk", "ru", "id"):
        requests = await owner.send(TEXTS[lang])
    (preview,) = [r for r in requests if isinstance(r, SendMessage)]
    return preview


def texts_to(session: LocalSession, chat_id: int) -> list[str]:
    return [r.text for r in session.requests if isinstance(r, SendMessage) and int(r.chat_id) == chat_id]


async def test_compose_preview_and_send_in_each_language(people, subscribed, session, bot) -> None:
    owner = people(OWNER)
    preview = await compose(owner)
    assert_valid_html(preview.text)
    assert "&lt;завтра&gt;" in preview.text and "4" in preview.text
    send = next(d for _, d in buttons(preview.reply_markup) if BroadcastCB.unpack(d).send)
    assert not outbox.due(subscribed.db)  # nothing queued before confirmation
    assert [a for a in (await people(STRANGER).press(send)) if getattr(a, "show_alert", False)]
    assert not outbox.due(subscribed.db)
    await owner.press(send)
    assert len(outbox.due(subscribed.db)) == 4
    await run_once(bot, subscribed.db, RateLimiter(per_second=1000, per_chat_seconds=0))
    for user_id, lang in SUBSCRIBERS.items():
        assert texts_to(session, user_id) == [TEXTS[lang].replace("<", "&lt;").replace(">", "&gt;")]
    final = [r for r in session.requests if isinstance(r, EditMessageText)][-1]
    assert "№1 завершена" in final.text and "4 из 4" in final.text and int(final.chat_id) == OWNER
    assert broadcasts.get(subscribed.db, 1).status == "done"
    assert audit.recent(subscribed.db, action="broadcast.start")[0].user_id == OWNER
    await owner.press(send)  # pressing again sends nothing more
    assert len(outbox.due(subscribed.db)) == 0


async def test_broadcast_resumes_after_a_crash_without_duplicates(people, subscribed, session) -> None:
    owner = people(OWNER)
    preview = await compose(owner)
    await owner.press(next(d for _, d in buttons(preview.reply_markup) if BroadcastCB.unpack(d).send))
    first = ScriptedSession({13: [Crash]})
    with pytest.raises(Crash):
        await run_once(Bot("42:TEST-TOKEN", session=first), subscribed.db, RateLimiter(1000, 0))
    assert outbox.recover(subscribed.db) == 1  # the restarted bot does not resend the one in flight
    second = ScriptedSession()
    await run_once(Bot("42:TEST-TOKEN", session=second), subscribed.db, RateLimiter(1000, 0))
    delivered = [int(r.chat_id) for s in (first, second) for r in s.requests if isinstance(r, SendMessage)]
    delivered = [c for c in delivered if c in SUBSCRIBERS]
    assert sorted(delivered) == [11, 12, 14]  # 13 was in flight: not repeated, reported
    report = [r for r in second.requests if isinstance(r, EditMessageText)][-1].text
    assert "3 из 4" in report and "не подтверждено 1" in report
    assert broadcasts.get(subscribed.db, 1).status == "done"


async def test_cancel_and_stale_buttons(people, subscribed) -> None:
    owner = people(OWNER)
    preview = await compose(owner)
    cancel = next(d for _, d in buttons(preview.reply_markup) if not BroadcastCB.unpack(d).send)
    await owner.press(cancel)
    assert broadcasts.get(subscribed.db, 1).status == "cancelled" and not outbox.due(subscribed.db)
    alerts = [
        r
        for r in await owner.press(BroadcastCB(broadcast=1, send=True).pack())
        if getattr(r, "show_alert", 0)
    ]
    assert alerts and not outbox.due(subscribed.db)
    await owner.send("/broadcast")
    assert "Отменено" in next(r.text for r in await owner.send("/cancel") if isinstance(r, SendMessage))


async def test_stats_counts(people, assistant: Assistant) -> None:
    db = assistant.db
    users.set_lang(db, 5, "kk")
    users.set_lang(db, 6, "id")
    today = date.today()
    for topic in ("voting-hours", "voting-hours", None):
        stats.count_question(db, "ru", topic, today)
    db["unanswered"].insert(
        {"text": "Где мой участок??", "lang": "ru", "reason": "no_match", "created_at": "2999-01-01"}
    )
    await people(STRANGER).send("Во сколько открываются избирательные участки?")  # counted by the bot
    assert assistant.question_tally.pending() == 1  # held in memory for a few seconds
    assistant.question_tally.flush()
    figures = stats.gather(db, today)
    assert figures.questions == 4 and figures.answered == 3
    assert figures.top_topics == [("voting-hours", 3)] and figures.top_misses[0][1] == 1
    text = next(r.text for r in await people(OWNER).send("/stats") if isinstance(r, SendMessage))
    assert "75" in text and "Қазақша 1" in text
    assert_valid_html(text)
