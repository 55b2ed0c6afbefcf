"""What several processes share through Redis (a real redis-server), beside the one-process
versions of the same parts: flood window, scheduler lease, send rate, repeated updates,
conversations, and content changes followed through the audit log."""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.methods import SendMessage
from redis.asyncio import Redis

from bot.admin.admins import Admins
from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.delivery import broadcasts, reminders
from bot.telegram.app import create_dispatcher, open_cluster
from bot.telegram.cluster import Hit, LocalSeenUpdates, LocalWindow
from bot.telegram.content_sync import follow_changes, parts_changed
from bot.telegram.local_chat import LocalChat, LocalSession
from bot.telegram.redis_cluster import RedisLease, RedisRateLimiter, RedisSeenUpdates, RedisWindow
from tests.conftest import OWNER
from tests.redis_server import running_redis

TOKEN = "123456:" + "E" * 35


@pytest.fixture
async def redis(redis_url: str):
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


async def _hits(window, user_id: int, n: int) -> list[Hit]:
    return [await window.hit(user_id) for _ in range(n)]


@pytest.fixture(params=["local", "redis"])
async def window(request, tmp_path: Path):
    """The flood window of one process alone, and the one shared through Redis."""
    if request.param == "local":
        yield LocalWindow(limit=10, period=10.0)
        return
    with running_redis(tmp_path) as url:
        client = Redis.from_url(url)
        yield RedisWindow(client, "t", limit=10, period=10.0)
        await client.aclose()


async def test_flood_window_lets_ten_through_warns_once_then_drops(window) -> None:
    assert await _hits(window, 1, 12) == [Hit.PASS] * 10 + [Hit.WARN, Hit.DROP]
    assert await window.hit(2) is Hit.PASS  # another user is counted apart


async def test_flood_window_is_counted_across_processes(redis: Redis) -> None:
    first, second = RedisWindow(redis, "t", 10, 10.0), RedisWindow(redis, "t", 10, 10.0)
    for _ in range(5):
        assert await first.hit(7) is Hit.PASS
        assert await second.hit(7) is Hit.PASS
    assert await first.hit(7) is Hit.WARN
    assert await second.hit(7) is Hit.DROP  # warned once, whichever process warned


async def test_flood_window_forgets_after_its_period(redis: Redis) -> None:
    window = RedisWindow(redis, "t", limit=2, period=0.2)
    assert await _hits(window, 3, 3) == [Hit.PASS, Hit.PASS, Hit.WARN]
    await asyncio.sleep(0.3)
    assert await window.hit(3) is Hit.PASS
    assert await redis.ttl("t:flood:3") in (0, 1)  # nothing about the user lingers past the period


async def test_one_lease_holder_at_a_time_and_handover(redis: Redis) -> None:
    first, second = RedisLease(redis, "t:lease"), RedisLease(redis, "t:lease")
    assert await first.hold() is True
    assert await second.hold() is False
    assert await first.hold() is True  # still held
    await first.release()
    assert await second.hold() is True  # given up on shutdown: taken over at once
    assert await first.hold() is False
    await second.release()


async def test_a_dead_holders_lease_expires(redis: Redis) -> None:
    dead, alive = RedisLease(redis, "t:lease", seconds=0.3), RedisLease(redis, "t:lease", seconds=0.3)
    assert await dead.hold() is True
    assert dead._renewer is not None
    dead._renewer.cancel()  # the process died: nobody renews, nobody releases
    assert await alive.hold() is False
    await asyncio.sleep(0.45)
    assert await alive.hold() is True
    await asyncio.sleep(0.45)  # the holder renews it in the background
    assert await alive.hold() is True
    assert await dead.hold() is False
    await alive.release()


async def test_send_slots_are_shared_overall_and_per_chat(redis: Redis) -> None:
    first = RedisRateLimiter(redis, "t", per_second=20)  # one slot every 50 ms
    second = RedisRateLimiter(redis, "t", per_second=20)
    args = [first.interval_ms, first.per_chat_ms]
    delays = []
    for chat in range(6):  # six chats, booked alternately by two processes
        limiter = first if chat % 2 else second
        delays.append(int(await limiter._reserve(keys=limiter._keys(chat), args=args)))
    steps = [b - a for a, b in itertools.pairwise(delays)]
    assert all(40 <= step <= 50 for step in steps), delays
    again = int(await first._reserve(keys=first._keys(0), args=args))  # chat 0 again: 1 s after its first
    assert again >= delays[0] + 950
    await second.pause(2)  # a 429 seen by one process holds the other
    assert int(await first._reserve(keys=first._keys(99), args=args)) >= 1900


async def test_repeated_updates_are_recognised_by_every_process(redis: Redis) -> None:
    first, second = RedisSeenUpdates(redis, "t"), RedisSeenUpdates(redis, "t")
    assert await first.first(100) is True
    assert await second.first(100) is False
    assert await second.first(101) is True
    local = LocalSeenUpdates(kept=2)
    assert [await local.first(i) for i in (1, 1, 2, 3, 1)] == [True, False, True, True, True]  # 1 forgotten


def _dispatcher(assistant: Assistant, redis_url: str):
    settings = load_settings(bot_token=TOKEN, admin_ids=str(OWNER), redis_url=redis_url)
    return create_dispatcher(assistant, settings, throttle=False)


async def test_a_conversation_goes_on_in_another_process(tmp_path: Path, redis_url: str) -> None:
    path = tmp_path / "shared.db"
    first, second = Assistant(open_database(path)), Assistant(open_database(path))
    reminders.subscribe(first.db, 11, "ru")
    session = LocalSession()
    bot = Bot("42:TEST-TOKEN", session=session)
    dp_first, dp_second = _dispatcher(first, redis_url), _dispatcher(second, redis_url)
    assert isinstance(dp_first.storage, RedisStorage)
    owner_first = LocalChat(dp_first, bot, session, user_id=OWNER, language_code="ru")
    owner_second = LocalChat(dp_second, bot, session, user_id=OWNER, language_code="ru")
    await owner_first.send("/broadcast")  # asks for the Kazakh text
    await owner_second.send("Қазақша мәтін")  # the next update reaches the other worker
    replies = await owner_first.send("Русский текст")
    preview = [r for r in await owner_second.send("Teks Indonesia")] + replies
    texts = [r.text for r in preview if isinstance(r, SendMessage)]
    assert any("Teks Indonesia" in t and "Русский текст" in t for t in texts), texts
    assert broadcasts.sending(first.db) == []  # composed, not confirmed: nothing queued
    await dp_first.storage.close()
    await dp_second.storage.close()
    for dp in (dp_first, dp_second):
        await dp["cluster"].close()


def test_which_parts_each_change_refreshes() -> None:
    assert parts_changed({"faq.publish"}) == {"faq"}
    assert parts_changed({"admin.add", "mission.set"}) == {"admins", "missions"}
    assert parts_changed({"content.import"}) == {"faq", "candidates", "missions"}
    assert parts_changed({"broadcast.start"}) == {"outbox"}
    assert parts_changed(set()) == set()
    assert "faq" in parts_changed({"something.new"})  # an unknown change refreshes everything


async def test_content_changed_by_another_process_is_followed(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    here, elsewhere = Assistant(open_database(path)), open_database(path)
    dp = create_dispatcher(here, load_settings(bot_token=None, admin_ids=str(OWNER)))
    assert open_cluster(here.db, load_settings(bot_token=None)).shared is False
    admins, missions = dp["admins"], dp["missions"]
    assert not admins.is_admin(555)  # read, and kept in memory
    follower = asyncio.create_task(follow_changes(dp, every=0.05))
    try:
        Admins(elsewhere, (OWNER,)).add(OWNER, 555)  # the CLI, or another worker
        for _ in range(40):
            await asyncio.sleep(0.05)
            if admins.is_admin(555):
                break
        assert admins.is_admin(555)
        assert dp["missions"] is missions  # an admin change does not rebuild the missions
        assert not dp["outbox_wakeup"].is_set()
        elsewhere.execute(
            "INSERT INTO audit_log (at, user_id, action) VALUES ('2026-12-02', 1, 'broadcast.start')"
        )
        elsewhere.conn.commit()
        await asyncio.wait_for(dp["outbox_wakeup"].wait(), 2)
    finally:
        follower.cancel()
        elsewhere.close()


async def test_without_redis_voters_are_still_answered_and_nothing_is_sent_twice() -> None:
    from tests.e2e_process import free_port

    down = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=0.2)
    try:
        assert await RedisWindow(down, "t", 1, 10.0).hit(1) is Hit.PASS  # the flood check lets it through
        assert await RedisSeenUpdates(down, "t").first(1) is True
        lease = RedisLease(down, "t:lease")
        assert await lease.hold() is False  # no scheduler round: nothing sent twice
        limiter = RedisRateLimiter(down, "t", per_second=1000, per_chat_seconds=0)
        await asyncio.wait_for(limiter.wait(5), 2)  # spaced by this process alone
        await limiter.pause(0)
        await lease.release()
    finally:
        await down.aclose()


async def test_a_voter_is_answered_while_redis_is_down(assistant: Assistant) -> None:
    from tests.e2e_process import free_port

    settings = load_settings(bot_token=TOKEN, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    dp = create_dispatcher(assistant, settings)  # throttled, as in production
    session = LocalSession()
    voter = LocalChat(dp, Bot("42:TEST-TOKEN", session=session), session, user_id=77, language_code="ru")
    replies = [
        r
        for r in await voter.send("Во сколько открываются избирательные участки?")
        if isinstance(r, SendMessage)
    ]
    assert len(replies) == 1 and "07:00" in replies[0].text
    await dp["cluster"].close()
