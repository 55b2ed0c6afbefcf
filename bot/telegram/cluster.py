"""What the bot's processes share: one process alone, or several webhook workers with Redis.

Alone (no ``REDIS_URL``) the bot keeps conversations in SQLite, counts each user's messages in
memory, always holds the scheduler lease and spaces the outbox by itself. With ``REDIS_URL``
(:mod:`bot.telegram.redis_cluster`) the workers share conversations (aiogram's RedisStorage),
handle one user's updates one at a time across processes (RedisEventIsolation), count messages
per user together, let exactly one of them run the scheduler (a lease) and share the send rate.
"""

from __future__ import annotations

import enum
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlite_utils
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import DisabledEventIsolation

from bot.config import Settings
from bot.telegram.fsm_storage import SQLiteStorage
from bot.telegram.sender import RateLimiter, SendLimiter

MESSAGES_PER_WINDOW = 10  # a user's updates let through per window
WINDOW_SECONDS = 10.0
SEEN_UPDATES_KEPT = 10_000  # webhook deliveries remembered, to drop Telegram's retries


class Hit(enum.Enum):
    """What the flood check says about one more update from a user."""

    PASS = enum.auto()
    WARN = enum.auto()  # over the limit: drop it, and tell the user once
    DROP = enum.auto()  # over the limit, already told


class Window(Protocol):
    """Counts each user's updates over a sliding window."""

    async def hit(self, user_id: int) -> Hit:
        """Count one update from ``user_id`` and say whether it may pass."""
        ...


class Lease(Protocol):
    """The right to run the scheduler (reminders, broadcasts, digests): one holder at a time."""

    async def hold(self) -> bool:
        """Take the lease, or keep it if held; False when another process holds it."""
        ...

    async def release(self) -> None:
        """Give the lease up (on shutdown), so another process takes over at once."""
        ...


class SeenUpdates(Protocol):
    """Update IDs already handled: Telegram resends a webhook update it thinks was lost."""

    async def first(self, update_id: int) -> bool:
        """True the first time ``update_id`` is seen, False for a repeat."""
        ...


class LocalWindow:
    """:class:`Window` in this process's memory (bounded: idle users are forgotten)."""

    def __init__(self, limit: int = MESSAGES_PER_WINDOW, period: float = WINDOW_SECONDS) -> None:
        self.limit, self.period = limit, period
        self._seen: dict[int, deque[float]] = {}
        self._warned: set[int] = set()

    async def hit(self, user_id: int) -> Hit:
        """Count one update from ``user_id`` and say whether it may pass."""
        now = time.monotonic()
        stamps = self._seen.setdefault(user_id, deque())
        while stamps and now - stamps[0] > self.period:
            stamps.popleft()
        if len(stamps) >= self.limit:
            if user_id in self._warned:
                return Hit.DROP
            self._warned.add(user_id)
            return Hit.WARN
        self._warned.discard(user_id)
        stamps.append(now)
        if len(self._seen) > 10_000:  # forget idle users so memory stays bounded
            for uid in [u for u, s in self._seen.items() if not s or now - s[-1] > self.period]:
                del self._seen[uid]
        return Hit.PASS


class LocalLease:
    """:class:`Lease` of a process that is alone: always held."""

    async def hold(self) -> bool:
        """Always True."""
        return True

    async def release(self) -> None:
        """Nothing to give up."""


class LocalSeenUpdates:
    """:class:`SeenUpdates` in memory, the newest :data:`SEEN_UPDATES_KEPT`."""

    def __init__(self, kept: int = SEEN_UPDATES_KEPT) -> None:
        self.kept = kept
        self._ids: OrderedDict[int, None] = OrderedDict()

    async def first(self, update_id: int) -> bool:
        """True the first time ``update_id`` is seen, False for a repeat."""
        if update_id in self._ids:
            return False
        self._ids[update_id] = None
        if len(self._ids) > self.kept:
            self._ids.popitem(last=False)
        return True


@dataclass
class Cluster:
    """Everything the processes of one bot share (or, alone, keep to themselves)."""

    storage: BaseStorage
    isolation: BaseEventIsolation
    window: Window
    lease: Lease
    limiter: SendLimiter
    seen_updates: SeenUpdates
    shared: bool = False  # True with Redis: other processes change the database too
    closers: list[Callable[[], Awaitable[object]]] = field(default_factory=list)  # run by close()

    async def close(self) -> None:
        """Close what the cluster opened (the Redis connections); the FSM storage is closed
        by aiogram at shutdown."""
        while self.closers:
            await self.closers.pop()()


def local_cluster(db: sqlite_utils.Database, settings: Settings) -> Cluster:
    """One process alone: conversations in SQLite, everything else in memory."""
    return Cluster(
        storage=SQLiteStorage(db),
        isolation=DisabledEventIsolation(),
        window=LocalWindow(MESSAGES_PER_WINDOW, WINDOW_SECONDS),
        lease=LocalLease(),
        limiter=RateLimiter(per_second=settings.send_rate_per_second),
        seen_updates=LocalSeenUpdates(),
    )


def fsm_key_builder() -> DefaultKeyBuilder:
    """Redis keys of conversations: per bot, with the destiny (aiogram's scenes)."""
    return DefaultKeyBuilder(prefix="saylau:fsm", with_bot_id=True, with_destiny=True)
