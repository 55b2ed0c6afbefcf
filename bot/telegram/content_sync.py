"""Keeping what a process holds in memory in step with changes another process made.

The FAQ matcher, the candidate directory, the missions and the admin list live in memory.
The process that changes one refreshes it at once; every other process (a second webhook
worker, or the bot while ``saylau`` CLI commands run) notices the change in the audit log,
which every change writes in its own transaction, and refreshes the same parts within
:data:`EVERY_SECONDS`.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Dispatcher

from bot import audit
from bot.abroad.missions import MissionDirectory

log = logging.getLogger(__name__)
EVERY_SECONDS = 1.0

# What each audited action can change, by the action's first word; anything not listed here
# (a new kind of change) refreshes every part.
PARTS: dict[str, frozenset[str]] = {
    "faq": frozenset({"faq"}),
    "unanswered": frozenset({"faq"}),  # a voter's question attached to a topic
    "candidates": frozenset({"candidates"}),
    "election": frozenset({"candidates"}),  # votes are shown through the candidate directory
    "mission": frozenset({"missions"}),
    "admin": frozenset({"admins"}),
    "broadcast": frozenset({"outbox"}),
    "content": frozenset({"faq", "candidates", "missions"}),
    "backup": frozenset(),
}
EVERY_PART = frozenset({"faq", "candidates", "missions", "admins", "outbox"})


def parts_changed(actions: set[str]) -> set[str]:
    """The in-memory parts that ``actions`` (audit log actions) may have changed."""
    parts: set[str] = set()
    for action in actions:
        parts |= PARTS.get(action.split(".", 1)[0], EVERY_PART)
    return parts


async def refresh(dp: Dispatcher, parts: set[str]) -> None:
    """Rebuild the named parts from the database."""
    assistant = dp["assistant"]
    if "faq" in parts:
        await assistant.refresh_async()
    if "candidates" in parts:
        dp["directory"].refresh()
    if "missions" in parts:
        dp["missions"] = MissionDirectory(assistant.db)
    if "admins" in parts:
        dp["admins"].forget_cached()
    if "outbox" in parts:
        dp["outbox_wakeup"].set()  # a broadcast started elsewhere: the scheduler's holder sends it


def mark_loaded(dp: Dispatcher) -> None:
    """Note how far the audit log went when the dispatcher's content was read."""
    dp["audit_seen"] = audit.last_id(dp["assistant"].db)


async def follow_changes(dp: Dispatcher, every: float = EVERY_SECONDS) -> None:
    """Refresh what changed since :func:`mark_loaded`, from the audit log, every ``every``
    seconds until cancelled."""
    db = dp["assistant"].db
    seen = dp["audit_seen"]
    while True:
        await asyncio.sleep(every)
        try:
            seen, actions = audit.actions_since(db, seen)
            dp["audit_seen"] = seen
            parts = parts_changed(actions)
            if parts:
                log.info(
                    "Content changed (%s): refreshing %s",
                    ", ".join(sorted(actions)),
                    ", ".join(sorted(parts)),
                )
                await refresh(dp, parts)
        except Exception:
            log.exception("Could not follow content changes; trying again")
