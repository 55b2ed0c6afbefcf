"""Reminders: subscribing in kk / ru / id, planning at the boundaries, and the sender under
429, 403 and a crash in the middle (no duplicate, no loss)."""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, SendMessage, TelegramMethod
from babel.dates import format_time

from bot.calendar.votes import KAZAKHSTAN, kazakhstan_today
from bot.conversation.assistant import Assistant
from bot.delivery import outbox, reminders, users
from bot.telegram.local_chat import LocalSession
from bot.telegram.sender import RateLimiter, deliver
from bot.text.formatting import format_day
from handlers.callbacks import SubscribeCB
from tests.test_handlers import assert_valid_html, only_message, result_of

VOTE = "2027-03-14-test-maslikhats"
VOTE_DAY = date(2027, 3, 14)
NAMES = {
    "kk": "Мәслихат сайлауы (тест)",
    "ru": "Выборы в маслихаты (тест)",
    "id": "Pemilihan maslikhat (uji)",
}


def kz(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in Kazakhstan time, as UTC."""
    return datetime.combine(day, time(hour, minute), KAZAKHSTAN).astimezone(UTC)


@pytest.fixture
def scheduled(assistant: Assistant) -> Assistant:
    assistant.db["elections"].insert(
        {
            "id": VOTE,
            "type": "maslikhat",
            "level": "regional",
            "date": VOTE_DAY.isoformat(),
            "status": "scheduled",
            **{f"name_{lang}": name for lang, name in NAMES.items()},
            "sources": '["https://www.election.gov.kz"]',
            "is_sample": 0,
        }
    )
    return assistant


def sends(requests: Any) -> list[SendMessage]:
    return [r for r in requests if isinstance(r, SendMessage)]


# --- subscribing through the Dispatcher ------------------------------------------------------------
@pytest.mark.parametrize(
    ("lang", "offer", "done"),
    [
        ("kk", "үш күн", "еске саламын"),
        ("ru", "за три дня", "напомина"),
        ("id", "tiga hari", "mengingatkan"),
    ],
)
async def test_subscribe_to_one_vote_in_each_language(
    chat_factory, scheduled: Assistant, session: LocalSession, lang: str, offer: str, done: str
) -> None:
    chat = chat_factory(language_code=lang)
    reply = only_message(await chat.send("/subscribe"))
    assert offer in reply.text.lower()
    buttons = [b for row in reply.reply_markup.inline_keyboard for b in row]
    assert NAMES[lang] in buttons[1].text and buttons[1].callback_data == SubscribeCB(election=VOTE).pack()
    requests = await chat.press(buttons[1].callback_data, result_of(session, reply))
    confirmation = only_message(requests)
    assert done in confirmation.text.lower() and NAMES[lang] in confirmation.text
    (row,) = reminders.subscriptions_of(scheduled.db, chat.user.id)
    assert (row["election_id"], row["lang"]) == (VOTE, lang)


async def test_subscribe_without_scheduled_votes_offers_every_vote(
    chat_factory, assistant: Assistant
) -> None:
    reply = only_message(await chat_factory(language_code="ru").send("/subscribe"))
    buttons = [b for row in reply.reply_markup.inline_keyboard for b in row]
    assert [b.callback_data for b in buttons] == [SubscribeCB(election="*").pack()]
    assert "не назначены" in reply.text or "не назначено" in reply.text


async def test_forged_or_stale_subscription_gets_an_alert(chat_factory, scheduled: Assistant) -> None:
    chat = chat_factory(language_code="ru")
    for data in (SubscribeCB(election="2019-06-09-presidential").pack(), "sub:'; DROP TABLE users;--"):
        requests = await chat.press(data)
        assert not sends(requests)
        (answer,) = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
        assert answer.show_alert and "/subscribe" in answer.text
    assert reminders.subscriptions_of(scheduled.db, chat.user.id) == []


async def test_privacy_lists_subscriptions_and_forget_deletes_them(
    chat_factory, scheduled: Assistant
) -> None:
    chat = chat_factory(language_code="ru")
    reminders.subscribe(scheduled.db, chat.user.id, "ru", VOTE)
    reminders.subscribe(
        scheduled.db, chat.user.id, "ru", reminders.ALL_VOTES, mission_id="id-jakarta-embassy"
    )
    outbox.enqueue(scheduled.db, "reminder/x", reminders.KIND, chat.user.id, {"election": VOTE})
    text = only_message(await chat.send("/privacy")).text
    assert (
        str(chat.user.id) in text and NAMES["ru"] in text and "все голосования" in text and "Индонези" in text
    )
    today = format_day(kazakhstan_today(), "ru")  # a date in the reply's style, not a raw timestamp
    assert f"с {today}" in text and not re.search(r"\d{4}-\d\d-\d\d", text)
    assert_valid_html(text)
    await chat.send("/forget")
    assert reminders.subscriptions_of(scheduled.db, chat.user.id) == []
    assert scheduled.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0
    assert "ничего" in only_message(await chat.send("/privacy")).text


async def test_unsubscribe_removes_subscriptions_and_queued_reminders(
    chat_factory, scheduled: Assistant
) -> None:
    chat = chat_factory(language_code="kk")
    reminders.subscribe(scheduled.db, chat.user.id, "kk", VOTE)
    assert reminders.plan(scheduled.db, kz(VOTE_DAY, 8)) == 1
    assert "өшірілді" in only_message(await chat.send("/unsubscribe")).text
    assert outbox.due(scheduled.db, now=kz(VOTE_DAY, 9)) == []
    assert "жоқ" in only_message(await chat.send("/unsubscribe")).text


# --- planning at the boundaries -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (kz(VOTE_DAY - timedelta(days=3), 9, 59), None),  # just before the first reminder
        (kz(VOTE_DAY - timedelta(days=3), 10), "3-days"),
        (kz(VOTE_DAY - timedelta(days=1), 23), "3-days"),  # late (the bot was down): still useful
        (kz(VOTE_DAY, 6, 59), "3-days"),
        (kz(VOTE_DAY, 7), "day"),
        (kz(VOTE_DAY, 19, 59), "day"),
        (kz(VOTE_DAY, 20), None),  # polls closed
        (kz(VOTE_DAY + timedelta(days=1), 7), None),
    ],
)
def test_plan_boundaries(scheduled: Assistant, moment: datetime, expected: str | None) -> None:
    reminders.subscribe(scheduled.db, 1, "ru", reminders.ALL_VOTES)
    queued = reminders.plan(scheduled.db, moment)
    keys = [r[0] for r in scheduled.db.execute("SELECT key FROM outbox")]
    if expected is None:
        assert queued == 0 and keys == []
    else:
        assert queued == 1 and keys == [f"reminder/{VOTE}/{VOTE_DAY}/{expected}/1"]


def test_plan_queues_each_reminder_once_per_user(scheduled: Assistant) -> None:
    db = scheduled.db
    reminders.subscribe(db, 1, "ru", reminders.ALL_VOTES)
    reminders.subscribe(db, 1, "ru", VOTE)  # both subscriptions match: still one reminder
    reminders.subscribe(db, 2, "kk", VOTE)
    moment = kz(VOTE_DAY - timedelta(days=3), 10)
    assert reminders.plan(db, moment) == 2
    assert reminders.plan(db, moment + timedelta(minutes=1)) == 0
    assert reminders.plan(db, kz(VOTE_DAY, 7)) == 2  # the day's reminder
    assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 4


def test_unscheduled_or_moved_votes(scheduled: Assistant) -> None:
    db = scheduled.db
    reminders.subscribe(db, 1, "id", reminders.ALL_VOTES)
    reminders.plan(db, kz(VOTE_DAY - timedelta(days=3), 10))
    (queued,) = outbox.due(db, now=kz(VOTE_DAY, 0))
    text = reminders.reminder_text(db, queued, VOTE_DAY - timedelta(days=3))
    assert text is not None and NAMES["id"] in text and "dalam 3 hari" in text and "/unsubscribe" in text
    assert_valid_html(text)
    db["elections"].update(VOTE, {"date": "2027-03-21"})  # moved: the old reminder is not sent
    assert reminders.reminder_text(db, queued, VOTE_DAY - timedelta(days=3)) is None
    assert reminders.plan(db, kz(date(2027, 3, 18), 10)) == 1  # the new date gets its own
    db["elections"].update(VOTE, {"status": "unverified"})
    assert reminders.plan(db, kz(date(2027, 3, 21), 7)) == 0


@pytest.mark.parametrize(("lang", "expected"), [("kk", "ертең"), ("ru", "завтра"), ("id", "besok")])
def test_reminder_text_in_each_language_with_mission_hint(
    scheduled: Assistant, lang: str, expected: str
) -> None:
    db = scheduled.db
    reminders.subscribe(db, 7, lang, VOTE, mission_id="id-jakarta-embassy")
    reminders.plan(db, kz(VOTE_DAY - timedelta(days=3), 10))
    (queued,) = outbox.due(db, now=kz(VOTE_DAY, 0))
    text = reminders.reminder_text(db, queued, VOTE_DAY - timedelta(days=1))
    opens = format_time(time(7), "short", locale=lang)
    assert text is not None and expected in text and "/abroad" in text and opens in text
    mission_name = db.execute(
        "SELECT json_extract(names, ?) FROM missions WHERE id = ?", [f"$.{lang}", "id-jakarta-embassy"]
    ).fetchone()[0]
    assert mission_name in text


# --- the sender -----------------------------------------------------------------------------------
class Crash(BaseException):
    """The process dies (not an error the bot could handle)."""


class ScriptedSession(LocalSession):
    """A fake Bot API that fails some sends as told: ``faults[chat_id]`` lists what the next
    sends to that chat raise (a Telegram error, or Crash); ``latency`` delays every answer."""

    def __init__(self, faults: dict[int, list[Any]] | None = None, latency: float = 0.0) -> None:
        super().__init__()
        self.faults = faults or {}
        self.latency = latency

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        if self.latency:
            await asyncio.sleep(self.latency)
        if isinstance(method, SendMessage) and self.faults.get(int(method.chat_id)):
            fault = self.faults[int(method.chat_id)].pop(0)
            if isinstance(fault, type) and issubclass(fault, BaseException):
                raise fault()
            raise fault(method)
        return await super().make_request(bot, method, timeout)


def retry_after(seconds: int):
    return lambda method: TelegramRetryAfter(method, "Too Many Requests", seconds)


def forbidden(method: TelegramMethod[Any]) -> TelegramForbiddenError:
    return TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")


def queue_messages(db, count: int) -> None:
    for user in range(1, count + 1):
        reminders.subscribe(db, user, "ru", VOTE)
        users.set_lang(db, user, "ru")
    reminders.plan(db, kz(VOTE_DAY - timedelta(days=3), 10))


def render_for(db):
    return lambda message: reminders.reminder_text(db, message, VOTE_DAY - timedelta(days=3))


def delivered(session: LocalSession) -> list[int]:
    return [int(m.chat_id) for m in sends(session.requests)]


async def run_delivery(session: LocalSession, db, **kwargs: Any):
    bot = Bot("42:TEST-TOKEN", session=session)
    limiter = kwargs.pop("limiter", None) or RateLimiter(per_second=1000, per_chat_seconds=0)
    return await deliver(bot, db, render_for(db), limiter, lambda u: users.forget_user(db, u), **kwargs)


async def test_sender_waits_out_429_and_delivers_once(scheduled: Assistant) -> None:
    db = scheduled.db
    queue_messages(db, 5)
    session = ScriptedSession({3: [retry_after(1)]})
    loop = asyncio.get_running_loop()
    started = loop.time()
    report = await run_delivery(session, db, workers=2)
    assert sorted(delivered(session)) == [1, 2, 3, 4, 5]
    assert (report.sent, report.retried) == (5, 1)
    assert loop.time() - started >= 1.0  # retry_after was honoured
    assert outbox.counts(db) == {"sent": 5}
    assert await run_delivery(ScriptedSession(), db) is not None and not outbox.due(db)


async def test_sender_forgets_users_who_blocked_the_bot(scheduled: Assistant) -> None:
    db = scheduled.db
    queue_messages(db, 3)
    session = ScriptedSession({2: [forbidden]})
    report = await run_delivery(session, db)
    assert (report.sent, report.blocked) == (2, 1)
    assert users.user_data(db, 2) is None and reminders.subscriptions_of(db, 2) == []
    assert db.execute("SELECT count(*) FROM outbox WHERE user_id = 2").fetchone()[0] == 0
    reminders.plan(db, kz(VOTE_DAY, 7))  # the day's reminder goes to the other two only
    later = ScriptedSession()
    await run_delivery(later, db)
    assert sorted(delivered(later)) == [1, 3]


async def test_crash_mid_send_neither_repeats_nor_loses(scheduled: Assistant) -> None:
    db = scheduled.db
    queue_messages(db, 6)
    first = ScriptedSession({4: [Crash]})
    with pytest.raises(Crash):
        await run_delivery(first, db, workers=1)
    assert delivered(first) == [1, 2, 3]
    # the restarted process: the message in flight is not sent again, the rest are sent
    assert outbox.recover(db) == 1
    second = ScriptedSession()
    await run_delivery(second, db, workers=1)
    assert delivered(second) == [5, 6]
    assert outbox.counts(db) == {"sent": 5, "unconfirmed": 1}
    everyone = delivered(first) + delivered(second)
    assert len(everyone) == len(set(everyone))


async def test_stop_between_sends_loses_nothing(scheduled: Assistant) -> None:
    db = scheduled.db
    queue_messages(db, 4)
    session = ScriptedSession()
    limiter = RateLimiter(per_second=10, per_chat_seconds=0)
    task = asyncio.create_task(run_delivery(session, db, workers=1, limiter=limiter))
    for _ in range(500):
        if len(delivered(session)) >= 2:
            break
        await asyncio.sleep(0.01)
    task.cancel()  # the bot stops while waiting for the next slot
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outbox.recover(db) == 0
    rest = ScriptedSession()
    await run_delivery(rest, db)
    assert sorted(delivered(session) + delivered(rest)) == [1, 2, 3, 4]


async def test_rate_limiter_spacing() -> None:
    now = [0.0]
    limiter = RateLimiter(per_second=30, per_chat_seconds=1.0, clock=lambda: now[0])
    starts = [limiter._reserve(chat) for chat in range(60)]  # 60 chats at once
    assert starts[0] == 0 and starts[-1] == pytest.approx(59 / 30)
    assert all(b - a == pytest.approx(1 / 30) for a, b in itertools.pairwise(starts))
    now[0] = 10.0
    assert limiter._reserve(1) == 0 and limiter._reserve(1) == pytest.approx(1.0)  # same chat: 1/s
    await limiter.pause(5)
    assert limiter._reserve(2) == pytest.approx(5.0)


async def test_remind_me_here_from_a_mission_card(
    chat_factory, scheduled: Assistant, session: LocalSession
) -> None:
    chat = chat_factory(language_code="id")
    cards = sends(await chat.send("Kedutaan di Jakarta"))
    here = next(
        b
        for c in cards
        for row in c.reply_markup.inline_keyboard
        for b in row
        if b.callback_data.startswith("rh:")
    )
    done = only_message(await chat.press(here.callback_data, result_of(session, cards[0])))
    assert "Kedutaan Besar Republik Kazakhstan di Jakarta" in done.text
    (row,) = reminders.subscriptions_of(scheduled.db, chat.user.id)
    assert (row["election_id"], row["mission_id"], row["lang"]) == ("*", "id-jakarta-embassy", "id")
    alerts = [r for r in await chat.press("rh:no-such-mission") if isinstance(r, AnswerCallbackQuery)]
    assert alerts and alerts[0].show_alert
