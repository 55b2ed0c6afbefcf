"""Delivering the outbox at a rate Telegram accepts.

Telegram allows about 30 messages a second overall and one a second per chat. The sender
spaces messages accordingly, waits out ``retry_after`` when Telegram answers 429, and forgets
users who blocked the bot (403). See :mod:`bot.delivery.outbox` for the at-most-once bookkeeping.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlite_utils
from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.delivery import outbox
from bot.delivery.outbox import Outgoing

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
SERVER_ERROR_DELAY = 30.0  # seconds before retrying after a 5xx, times the attempt number


class SendLimiter(Protocol):
    """Spaces the outbox's sends (in memory, or shared by several processes through Redis)."""

    async def wait(self, chat_id: int) -> None:
        """Return when a message to ``chat_id`` may be sent."""
        ...

    async def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` (Telegram's ``retry_after``)."""
        ...


class RateLimiter:
    """Spaces sends: at most ``per_second`` overall and one per ``per_chat_seconds`` per chat;
    :meth:`pause` holds every send (after a 429)."""

    def __init__(
        self,
        per_second: float = 30.0,
        per_chat_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.interval = 1.0 / per_second
        self.per_chat_seconds = per_chat_seconds
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}

    def _reserve(self, chat_id: int) -> float:
        """Book the next free slot for ``chat_id``; return the seconds to wait for it."""
        now = self._clock()
        slot = max(now, self._next, self._paused_until)
        start = max(slot, self._chat_next.get(chat_id, 0.0))
        self._next = slot + self.interval
        self._chat_next[chat_id] = start + self.per_chat_seconds
        if len(self._chat_next) > 10_000:  # keep only chats that still have to wait
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        return start - now

    async def wait(self, chat_id: int) -> None:
        """Return when a message to ``chat_id`` may be sent."""
        while True:
            delay = self._reserve(chat_id)
            if delay > 0:
                await asyncio.sleep(delay)
            if self._clock() >= self._paused_until:
                return

    async def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` (Telegram's ``retry_after``)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


@dataclass
class DeliveryReport:
    """What one delivery round did."""

    sent: int = 0
    retried: int = 0  # 429 answers waited out
    blocked: int = 0  # users who blocked the bot (forgotten)
    failed: int = 0
    unconfirmed: int = 0
    errors: list[str] = field(default_factory=list)


Render = Callable[[Outgoing], str | None]  # the text to send, or None when it is no longer due
OnBlocked = Callable[[int], None]


class _NetworkDown(Exception):
    """Telegram could not be reached: stop this round, keep the rest queued."""


async def deliver(
    bot: Bot,
    db: sqlite_utils.Database,
    render: Render,
    limiter: SendLimiter,
    on_blocked: OnBlocked,
    workers: int = 8,
    batch: int = 1000,
) -> DeliveryReport:
    """Send the due messages of the outbox; return what happened.

    ``render`` gives each message's text; ``on_blocked`` forgets a user who blocked the bot.
    """
    report = DeliveryReport()
    queue = outbox.due(db, batch)
    queue.reverse()  # pop() from the end takes the oldest first

    async def worker() -> None:
        while queue:
            await _send_one(bot, db, queue.pop(), render, limiter, on_blocked, report)

    tasks = [asyncio.create_task(worker()) for _ in range(min(workers, len(queue)))]
    try:
        await asyncio.gather(*tasks)
    except _NetworkDown as exc:
        report.errors.append(str(exc))
    finally:  # on any way out, no worker keeps sending on its own
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return report


async def _send_one(
    bot: Bot,
    db: sqlite_utils.Database,
    message: Outgoing,
    render: Render,
    limiter: SendLimiter,
    on_blocked: OnBlocked,
    report: DeliveryReport,
) -> None:
    try:
        text = render(message)
    except Exception as exc:  # a bug in rendering must not stop the other messages
        log.exception("Cannot render outbox message %s", message.key)
        text, error = None, f"cannot render: {exc}"
    else:
        error = "no longer due"
    if text is None:
        if outbox.claim(db, message.id):
            outbox.finish(db, message.id, outbox.FAILED, error)
            report.failed += 1
        return
    for attempt in range(message.attempts, MAX_ATTEMPTS):
        await limiter.wait(message.user_id)
        if not outbox.claim(db, message.id):
            return  # taken care of elsewhere
        try:
            await bot.send_message(message.user_id, text)
        except TelegramRetryAfter as exc:
            outbox.release(db, message.id, exc.retry_after, "429 retry_after")
            await limiter.pause(exc.retry_after)
            report.retried += 1
            continue
        except TelegramForbiddenError as exc:  # blocked by the user, or the account is gone
            outbox.finish(db, message.id, outbox.DROPPED, exc.message)
            on_blocked(message.user_id)
            report.blocked += 1
        except TelegramServerError as exc:
            outbox.release(db, message.id, SERVER_ERROR_DELAY * (attempt + 1), exc.message)
            report.errors.append(exc.message)
        except TelegramNetworkError as exc:  # it may or may not have arrived: never resend it
            outbox.finish(db, message.id, outbox.UNCONFIRMED, exc.message)
            report.unconfirmed += 1
            raise _NetworkDown(exc.message) from exc
        except TelegramAPIError as exc:  # 400 and the like: this message cannot be sent
            outbox.finish(db, message.id, outbox.FAILED, exc.message)
            report.failed += 1
        except asyncio.CancelledError:  # shutting down mid-request
            outbox.finish(db, message.id, outbox.UNCONFIRMED, "cancelled while sending")
            report.unconfirmed += 1
            raise
        else:
            outbox.finish(db, message.id, outbox.SENT)
            report.sent += 1
        return
    if outbox.claim(db, message.id):
        outbox.finish(db, message.id, outbox.FAILED, f"gave up after {MAX_ATTEMPTS} attempts")
        report.failed += 1
