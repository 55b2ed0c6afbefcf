"""The outbox scheduler that runs inside the bot process (reminders, broadcasts, admin digests).

Every ``interval`` seconds it queues the reminders that are due and delivers the outbox. Its
state lives in SQLite (subscriptions and outbox), so a restart neither loses nor repeats a
reminder.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlite_utils
from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.admin import digest
from bot.calendar.votes import KAZAKHSTAN
from bot.delivery import broadcasts, outbox, reminders, users
from bot.languages import DEFAULT_LANG
from bot.telegram.cluster import Lease, LocalLease
from bot.telegram.sender import DeliveryReport, SendLimiter, deliver

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Digests:
    """Who gets the daily admin digest, and after how many days an answer counts as stale."""

    admins: Callable[[], list[int]]
    stale_after_days: int


async def run_once(
    bot: Bot, db: sqlite_utils.Database, limiter: SendLimiter, digests: Digests | None = None
) -> DeliveryReport:
    """Queue due reminders (and today's admin digests), and deliver everything due in the outbox."""
    now = datetime.now(UTC)
    queued = reminders.plan(db, now)
    if queued:
        log.info("Queued %d reminders", queued)
    if digests is not None and digest.plan(db, now, digests.admins(), digests.stale_after_days):
        log.info("Queued today's admin digest")
    today = now.astimezone(KAZAKHSTAN).date()

    def render(message: outbox.Outgoing) -> str | None:
        if message.kind == reminders.KIND:
            return reminders.reminder_text(db, message, today)
        if message.kind == broadcasts.KIND:
            return broadcasts.text_for(db, message)
        if message.kind == digest.KIND and digests is not None:
            return digest.render(db, message, digests.stale_after_days)
        return None

    report = await deliver(bot, db, render, limiter, on_blocked=lambda user: users.forget_user(db, user))
    if report.sent or report.blocked or report.failed or report.unconfirmed:
        log.info("Outbox: %s", report)
    await report_broadcasts(bot, db)
    return report


async def report_broadcasts(bot: Bot, db: sqlite_utils.Database) -> None:
    """Edit each running broadcast's status message with its progress, or its final report."""
    for broadcast in broadcasts.sending(db):
        done = broadcasts.finish_if_done(db, broadcast.id)
        if broadcast.status_chat_id is None or broadcast.status_message_id is None:
            continue
        lang = broadcast.admin_lang or DEFAULT_LANG
        text = broadcasts.progress_text(broadcast, broadcasts.progress(db, broadcast.id), lang, done)
        try:
            await bot.edit_message_text(
                text=text, chat_id=broadcast.status_chat_id, message_id=broadcast.status_message_id
            )
        except TelegramAPIError as exc:  # "message is not modified", or the admin deleted it
            log.debug("Broadcast %s status not edited: %s", broadcast.id, exc)


async def run_scheduler(
    bot: Bot,
    db: sqlite_utils.Database,
    interval: float,
    limiter: SendLimiter,
    wakeup: asyncio.Event,
    digests: Digests | None = None,
    lease: Lease | None = None,
) -> None:
    """Run :func:`run_once` every ``interval`` seconds (or as soon as ``wakeup`` is set) until
    cancelled, while this process holds ``lease`` (several processes: exactly one runs it)."""
    lease = lease or LocalLease()
    leading = False
    while True:
        try:
            if await lease.hold():
                if not leading:
                    leading = True
                    _recover(db)
                await run_once(bot, db, limiter, digests)
            elif leading:
                leading = False
                log.warning("Another process runs the scheduler now")
        except Exception:
            log.exception("Reminder round failed; trying again in %s s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), interval)
        wakeup.clear()


def _recover(db: sqlite_utils.Database) -> None:
    """On taking the scheduler over: what the last holder left half-sent is not resent."""
    recovered = outbox.recover(db)
    if recovered:
        log.warning("%d messages were being sent when the bot stopped; not resending them", recovered)
