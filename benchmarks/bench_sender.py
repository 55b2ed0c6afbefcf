"""Reminder sender benchmark: send rate against the configured limit, one run.

A fake Telegram on the loop answers after a network latency and enforces Telegram's limits
the way the real one does: more than 30 messages in any second, or more than one per chat
in a second, gets a 429 with ``retry_after``. Saylau's outbox sender (rate limiter, 8
workers) is measured beside the naive baseline: every message sent at once with
``asyncio.gather``, no limiter (what a plain loop over subscribers does).

Run: .venv/bin/python benchmarks/bench_sender.py [--messages 300] [--latency-ms 40]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import deque
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import SendMessage, TelegramMethod

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.calendar.votes import KAZAKHSTAN  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.delivery import outbox, reminders, users  # noqa: E402
from bot.telegram.local_chat import LocalSession  # noqa: E402
from bot.telegram.sender import RateLimiter, deliver  # noqa: E402

TELEGRAM_PER_SECOND = 30
VOTE_DAY = date(2027, 3, 14)


class TelegramLike(LocalSession):
    """Answers after ``latency`` seconds; 429 beyond 30 messages/s overall or 1/s per chat."""

    def __init__(self, latency: float) -> None:
        super().__init__()
        self.latency = latency
        self.window: deque[float] = deque()
        self.last_per_chat: dict[int, float] = {}
        self.delivered: list[tuple[float, int]] = []
        self.refused = 0

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        await asyncio.sleep(self.latency)
        if isinstance(method, SendMessage):
            now, chat = time.monotonic(), int(method.chat_id)
            while self.window and now - self.window[0] >= 1.0:
                self.window.popleft()
            if len(self.window) >= TELEGRAM_PER_SECOND or now - self.last_per_chat.get(chat, -9.0) < 1.0:
                self.refused += 1
                raise TelegramRetryAfter(method, "Too Many Requests: retry after 1", 1)
            self.window.append(now)
            self.last_per_chat[chat] = now
            self.delivered.append((now, chat))
        return await super().make_request(bot, method, timeout)


def busiest_second(times: list[float]) -> int:
    """The most messages delivered within any one second."""
    best, start = 0, 0
    for end in range(len(times)):
        while times[end] - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def queued_database(path: Path, count: int):
    """A database with ``count`` subscribers whose three-days-before reminder is queued."""
    db = open_database(path)
    db["elections"].insert(
        {
            "id": "bench-vote",
            "type": "maslikhat",
            "level": "regional",
            "date": VOTE_DAY.isoformat(),
            "status": "scheduled",
            "name_kk": "Сынақ сайлау",
            "name_ru": "Тестовые выборы",
            "name_id": "Pemilihan uji",
            "sources": "[]",
            "is_sample": 0,  # a temporary database: votes() skips sample votes
        }
    )
    for user in range(1, count + 1):
        reminders.subscribe(db, user, ("kk", "ru", "id")[user % 3])
    moment = datetime.combine(VOTE_DAY - timedelta(days=3), datetime.min.time(), KAZAKHSTAN) + timedelta(
        hours=10
    )
    reminders.plan(db, moment)
    return db


async def saylau(db, latency: float, per_second: float) -> tuple[TelegramLike, float]:
    session = TelegramLike(latency)
    bot = Bot("42:BENCH-TOKEN", session=session)
    started = time.monotonic()
    today = VOTE_DAY - timedelta(days=3)
    while outbox.due(db):  # the scheduler's rounds, back to back
        await deliver(
            bot,
            db,
            lambda m: reminders.reminder_text(db, m, today),
            RateLimiter(per_second=per_second),
            on_blocked=lambda u: users.forget_user(db, u),
        )
    return session, time.monotonic() - started


async def naive(db, latency: float) -> tuple[TelegramLike, float]:
    session = TelegramLike(latency)
    bot = Bot("42:BENCH-TOKEN", session=session)
    today = VOTE_DAY - timedelta(days=3)
    messages = outbox.due(db)
    started = time.monotonic()
    await asyncio.gather(
        *(bot.send_message(m.user_id, reminders.reminder_text(db, m, today) or "") for m in messages),
        return_exceptions=True,
    )
    return session, time.monotonic() - started


def report(name: str, session: TelegramLike, seconds: float, total: int) -> None:
    times = [t for t, _ in session.delivered]
    rate = len(times) / seconds if seconds else 0.0
    print(
        f"{name:28}{len(times):>6}/{total:<6}{rate:>10.1f}/s{busiest_second(times):>12}"
        f"{session.refused:>10}{seconds:>10.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--latency-ms", type=float, default=40.0)
    args = parser.parse_args()
    per_second = load_settings(bot_token=None).send_rate_per_second
    latency = args.latency_ms / 1000
    print(
        f"{args.messages} reminders, {args.latency_ms:.0f} ms API latency; "
        f"Telegram allows {TELEGRAM_PER_SECOND}/s, configured SEND_RATE_PER_SECOND={per_second:g}"
    )
    print(f"{'':28}{'delivered':>13}{'rate':>12}{'busiest 1 s':>12}{'429s':>10}{'time':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        db = queued_database(Path(tmp) / "a.db", args.messages)
        session, seconds = asyncio.run(saylau(db, latency, per_second))
        report("Saylau sender", session, seconds, args.messages)
        db = queued_database(Path(tmp) / "b.db", args.messages)
        session, seconds = asyncio.run(naive(db, latency))
        report("naive gather (baseline)", session, seconds, args.messages)


if __name__ == "__main__":
    main()
