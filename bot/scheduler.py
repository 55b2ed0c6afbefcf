"""The reminder scheduler that runs inside the bot process.

Every ``interval`` seconds it queues the reminders that are due and delivers the outbox. Its
state lives in SQLite (subscriptions and outbox), so a restart neither loses nor repeats a
reminder.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import sqlite_utils
from aiogram import Bot

from bot import outbox, reminders, users
from bot.election_calendar import KAZAKHSTAN
from bot.sender import DeliveryReport, RateLimiter, deliver

log = logging.getLogger(__name__)


async def run_once(bot: Bot, db: sqlite_utils.Database, limiter: RateLimiter) -> DeliveryReport:
    """Queue due reminders and deliver everything due in the outbox."""
    now = datetime.now(UTC)
    queued = reminders.plan(db, now)
    if queued:
        log.info("Queued %d reminders", queued)
    today = now.astimezone(KAZAKHSTAN).date()

    def render(message: outbox.Outgoing) -> str | None:
        if message.kind == reminders.KIND:
            return reminders.reminder_text(db, message, today)
        return None

    report = await deliver(bot, db, render, limiter, on_blocked=lambda user: users.forget_user(db, user))
    if report.sent or report.blocked or report.failed or report.unconfirmed:
        log.info("Outbox: %s", report)
    return report


async def run_scheduler(bot: Bot, db: sqlite_utils.Database, interval: float, per_second: float) -> None:
    """Run :func:`run_once` every ``interval`` seconds until cancelled."""
    recovered = outbox.recover(db)
    if recovered:
        log.warning("%d messages were being sent when the bot stopped; not resending them", recovered)
    limiter = RateLimiter(per_second=per_second)
    while True:
        try:
            await run_once(bot, db, limiter)
        except Exception:
            log.exception("Reminder round failed; trying again in %s s", interval)
        await asyncio.sleep(interval)
