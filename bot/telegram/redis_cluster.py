"""Several webhook workers of one bot, sharing through Redis (``REDIS_URL``).

- Conversations: aiogram's RedisStorage; one user's updates are handled one at a time across
  processes: RedisEventIsolation.
- The flood check counts each user's updates in one sorted set for all workers.
- The scheduler (reminders, broadcasts, digests) runs in the holder of a lease, a key with a
  time to live that its holder renews; when the holder stops, it gives the lease up, and when
  it dies, another worker takes over once the key expires (:data:`LEASE_SECONDS`).
- The outbox's send rate (overall and per chat) and Telegram's 429 pauses are shared.
- Telegram's repeated webhook deliveries are recognised by update ID in every worker.

Every clock reading is Redis's own (``TIME``), so workers on different hosts agree. When Redis
cannot be reached, voters are still answered: the flood check lets updates through, the sender
falls back to its own spacing, and the scheduler pauses (nothing is sent twice).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage
from redis.asyncio import Redis
from redis.exceptions import LockError, RedisError

from bot.config import Settings
from bot.telegram.cluster import MESSAGES_PER_WINDOW, WINDOW_SECONDS, Cluster, Hit, fsm_key_builder
from bot.telegram.sender import RateLimiter

log = logging.getLogger(__name__)
PREFIX = "saylau"
LEASE_SECONDS = 30.0  # a dead holder's lease expires after this; the holder renews it at a third
SEEN_UPDATE_SECONDS = 3600  # Telegram retries a webhook update for much less than an hour
LOCK_SECONDS = 60  # longest one update may hold its user's lock (RedisEventIsolation)

_NOW_MS = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)"

# KEYS: stamps (sorted set), warned flag, sequence. ARGV: limit, period ms.
# Returns 0 to pass, 1 to drop and warn, 2 to drop silently.
WINDOW_SCRIPT = f"""
{_NOW_MS}
local period = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  if redis.call('SET', KEYS[2], '1', 'NX', 'PX', period) then return 1 end
  return 2
end
redis.call('DEL', KEYS[2])
local n = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], period)
redis.call('ZADD', KEYS[1], now, t[1] .. t[2] .. ':' .. n)
redis.call('PEXPIRE', KEYS[1], period)
return 0
"""

# KEYS: lease. ARGV: holder token, time to live ms. Returns 1 when this holder has the lease.
HOLD_SCRIPT = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
if not holder then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0
"""

RELEASE_SCRIPT = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: next free slot overall, next slot of this chat, paused until. ARGV: interval ms,
# per-chat ms. Books the slot; returns the milliseconds to wait for it.
RESERVE_SCRIPT = f"""
{_NOW_MS}
local paused = tonumber(redis.call('GET', KEYS[3]) or 0)
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0), paused)
local start = math.max(slot, tonumber(redis.call('GET', KEYS[2]) or 0))
local chat_next = start + tonumber(ARGV[2])
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', math.max(1000, slot + tonumber(ARGV[1]) - now))
redis.call('SET', KEYS[2], chat_next, 'PX', math.max(1, chat_next - now))
return start - now
"""

# KEYS: paused until. ARGV: pause ms. Returns the milliseconds still paused.
PAUSE_SCRIPT = f"""
{_NOW_MS}
local until_ms = math.max(tonumber(redis.call('GET', KEYS[1]) or 0), now + tonumber(ARGV[1]))
redis.call('SET', KEYS[1], until_ms, 'PX', math.max(1, until_ms - now))
return until_ms - now
"""


class FailSoftRedisStorage(RedisStorage):
    """aiogram's RedisStorage that reads "no conversation" while Redis cannot be reached
    (aiogram reads the state of every update), so voters are still answered; a conversation
    that needs its state fails until Redis is back."""

    async def get_state(self, key: StorageKey) -> str | None:
        """The conversation's state; None while Redis is unreachable."""
        try:
            return await super().get_state(key)
        except RedisError as exc:
            log.warning("Conversation state unknown, Redis unavailable: %s", exc)
            return None

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        """The conversation's data; empty while Redis is unreachable."""
        try:
            return await super().get_data(key)
        except RedisError as exc:
            log.warning("Conversation data unknown, Redis unavailable: %s", exc)
            return {}


class FailSoftIsolation(RedisEventIsolation):
    """One update at a time per user across processes (a Redis lock); while Redis cannot be
    reached, at least within this process."""

    def __init__(self, redis: Redis, key_builder: DefaultKeyBuilder, seconds: int = LOCK_SECONDS) -> None:
        super().__init__(redis=redis, key_builder=key_builder, lock_kwargs={"timeout": seconds})
        self._local: dict[str, tuple[asyncio.Lock, int]] = {}  # lock, users; dropped when unused

    @contextlib.asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        """Hold the user's lock while their update is handled."""
        name = self.key_builder.build(key, "lock")
        shared = self.redis.lock(name=name, **self.lock_kwargs)
        try:
            acquired = await shared.acquire()
        except RedisError as exc:
            log.warning("Per-user lock held in this process only, Redis unavailable: %s", exc)
            acquired = False
        if not acquired:
            async with self._local_lock(name):
                yield
            return
        try:
            yield
        finally:
            with contextlib.suppress(RedisError, LockError):  # expired after LOCK_SECONDS, or Redis gone
                await shared.release()

    @contextlib.asynccontextmanager
    async def _local_lock(self, name: str) -> AsyncIterator[None]:
        lock, users = self._local.get(name, (asyncio.Lock(), 0))
        self._local[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._local[name]
            if users == 1:
                del self._local[name]
            else:
                self._local[name] = (lock, users - 1)


class RedisWindow:
    """The flood check of :class:`bot.telegram.cluster.LocalWindow`, counted in Redis."""

    def __init__(self, redis: Redis, prefix: str, limit: int, period: float) -> None:
        self.prefix, self.limit, self.period_ms = prefix, limit, int(period * 1000)
        self._script = redis.register_script(WINDOW_SCRIPT)

    async def hit(self, user_id: int) -> Hit:
        """Count one update from ``user_id`` and say whether it may pass."""
        base = f"{self.prefix}:flood:{int(user_id)}"
        try:
            verdict = await self._script(
                keys=[base, base + ":warned", base + ":n"], args=[self.limit, self.period_ms]
            )
        except RedisError as exc:
            log.warning("Flood check skipped, Redis unavailable: %s", exc)
            return Hit.PASS
        return {0: Hit.PASS, 1: Hit.WARN}.get(int(verdict), Hit.DROP)


class RedisLease:
    """A lease on a Redis key, renewed by its holder in the background."""

    def __init__(self, redis: Redis, key: str, seconds: float = LEASE_SECONDS) -> None:
        self.key, self.ttl_ms = key, int(seconds * 1000)
        self.token = secrets.token_hex(16)  # this process
        self._hold = redis.register_script(HOLD_SCRIPT)
        self._release = redis.register_script(RELEASE_SCRIPT)
        self._held = False
        self._renewer: asyncio.Task | None = None

    async def _try(self) -> bool:
        try:
            self._held = bool(await self._hold(keys=[self.key], args=[self.token, self.ttl_ms]))
        except RedisError as exc:
            log.warning("Scheduler lease unknown, Redis unavailable: %s", exc)
            self._held = False
        return self._held

    async def _renew(self) -> None:
        while await self._try():
            await asyncio.sleep(self.ttl_ms / 3000)
        log.warning("Scheduler lease lost")

    async def hold(self) -> bool:
        """Take the lease, or keep it if held; False when another process holds it."""
        if self._renewer is not None and not self._renewer.done():
            return self._held
        if await self._try():
            self._renewer = asyncio.create_task(self._renew())
        return self._held

    async def release(self) -> None:
        """Stop renewing and give the lease up, so another process takes over at once."""
        if self._renewer is not None:
            self._renewer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._renewer
        if self._held:
            with contextlib.suppress(RedisError):
                await self._release(keys=[self.key], args=[self.token])
        self._held = False


class RedisRateLimiter:
    """:class:`bot.telegram.sender.RateLimiter` shared by every process: slots are booked in
    Redis. Without Redis it spaces this process's sends by itself."""

    def __init__(self, redis: Redis, prefix: str, per_second: float, per_chat_seconds: float = 1.0) -> None:
        self.prefix = prefix
        self.interval_ms, self.per_chat_ms = int(1000 / per_second), int(per_chat_seconds * 1000)
        self._reserve = redis.register_script(RESERVE_SCRIPT)
        self._pause = redis.register_script(PAUSE_SCRIPT)
        self._fallback = RateLimiter(per_second=per_second, per_chat_seconds=per_chat_seconds)

    def _keys(self, chat_id: int) -> list[str]:
        return [
            f"{self.prefix}:send:next",
            f"{self.prefix}:send:chat:{int(chat_id)}",
            f"{self.prefix}:send:paused",
        ]

    async def wait(self, chat_id: int) -> None:
        """Return when a message to ``chat_id`` may be sent."""
        try:
            delay_ms = int(
                await self._reserve(keys=self._keys(chat_id), args=[self.interval_ms, self.per_chat_ms])
            )
        except RedisError as exc:
            log.warning("Send rate kept by this process alone, Redis unavailable: %s", exc)
            await self._fallback.wait(chat_id)
            return
        if delay_ms > 0:
            await asyncio.sleep(delay_ms / 1000)

    async def pause(self, seconds: float) -> None:
        """Hold every process's sends for ``seconds`` (Telegram's ``retry_after``)."""
        await self._fallback.pause(seconds)
        with contextlib.suppress(RedisError):
            await self._pause(keys=[f"{self.prefix}:send:paused"], args=[int(seconds * 1000)])


class RedisSeenUpdates:
    """Update IDs handled by any worker, for :data:`SEEN_UPDATE_SECONDS`."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis, self.prefix = redis, prefix

    async def first(self, update_id: int) -> bool:
        """True the first time any worker sees ``update_id``."""
        key = f"{self.prefix}:update:{int(update_id)}"
        try:
            return bool(await self.redis.set(key, 1, nx=True, ex=SEEN_UPDATE_SECONDS))
        except RedisError as exc:
            log.warning("Repeated updates not checked, Redis unavailable: %s", exc)
            return True


def redis_cluster(settings: Settings) -> Cluster:
    """The cluster of a bot whose processes share ``settings.redis_url``."""
    assert settings.redis_url is not None and settings.bot_token is not None
    url = settings.redis_url.get_secret_value()
    bot_id = settings.bot_token.get_secret_value().split(":", 1)[0]
    prefix = f"{PREFIX}:{bot_id}"
    timeouts = {"socket_connect_timeout": 2, "socket_timeout": 5}  # an unreachable Redis fails fast
    redis = Redis.from_url(url, **timeouts)  # leases, counters, rates; the storage has its own connections
    keys = fsm_key_builder()
    storage = FailSoftRedisStorage.from_url(url, connection_kwargs=timeouts, key_builder=keys)
    return Cluster(
        storage=storage,
        isolation=FailSoftIsolation(storage.redis, keys),
        window=RedisWindow(redis, prefix, MESSAGES_PER_WINDOW, WINDOW_SECONDS),
        lease=RedisLease(redis, f"{prefix}:lease:scheduler"),
        limiter=RedisRateLimiter(redis, prefix, settings.send_rate_per_second),
        seen_updates=RedisSeenUpdates(redis, prefix),
        shared=True,
        closers=[redis.aclose],
    )
