"""Real ``python -m bot`` webhook workers over HTTP: updates per second, end to end.

``bench_dispatch.py`` feeds updates to the Dispatcher in-process with a fake session; this one
measures the deployment: each update is a webhook POST (with the secret header) to a worker
process, and each reply an HTTP call to a fake Bot API (``tests/fake_bot_api.py``) on loopback.
The load generator posts at most 40 updates at once (Telegram's default ``max_connections``),
round robin over the workers as a load balancer would. Same update mix as bench_dispatch
(held-out questions and embassy questions, names, commands, buttons), one SQLite file with
sample candidates, a fresh copy of it and a fresh redis-server for each configuration:

- one worker, conversations in SQLite (the default);
- one worker with ``REDIS_URL`` (storage, per-user locks, flood limit and repeats in Redis);
- two workers with ``REDIS_URL`` behind one address list.

Printed: updates/s from the first POST to the last reply, the CPU time per update of the
workers and of this process (generator and fake Bot API), and whether the replies are those of
the one-worker run (nothing lost, nothing answered twice). All processes share this machine's
cores, so the figures are those of one host; CPU per update says what more cores would give.

    python benchmarks/bench_webhook.py [--quick] [--updates N] [--candidates N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import pstats
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_dispatch import FIRST_USER, material, plan, raw_updates

from bot.candidates.sample_data import load_demo
from bot.conversation.assistant import Assistant
from bot.db import open_database
from tests.e2e_process import free_port, post_webhook, webhook_env
from tests.fake_bot_api import FakeBotAPI
from tests.redis_server import running_redis

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCH-webhook-token-not-sent-anywhere"
SECRET = "bench-secret"
AT_ONCE = 40  # Telegram's default max_connections for a webhook
QUIET_S = 1.5  # no new Bot API call for this long: the burst is answered
REPLIES = ("sendmessage", "editmessagetext", "editmessagereplymarkup", "sendphoto", "answercallbackquery")
TICK = os.sysconf("SC_CLK_TCK")


# ``python -m bot`` under a profiler switched on and off by signals, so that only the timed
# bursts are profiled (not the imports, nor pydantic building aiogram's models at start-up)
PROFILED_WORKER = """
import cProfile, signal, sys
from bot.cli import main
profiler = cProfile.Profile()
signal.signal(signal.SIGUSR1, lambda *_: profiler.enable())
signal.signal(signal.SIGUSR2, lambda *_: (profiler.disable(), profiler.dump_stats(sys.argv[1])))
raise SystemExit(main([]))
"""


class TimedAPI(FakeBotAPI):
    """The fake Bot API, noting when the latest call came."""

    last_call = 0.0

    async def _handle(self, request: Any) -> Any:
        response = await super()._handle(request)
        self.last_call = time.perf_counter()
        return response


@dataclass
class Run:
    label: str
    rates: list[float]
    worker_ms: float  # CPU per update, all workers together
    own_ms: float  # CPU per update of this process: the generator and the fake Bot API
    replies: Counter
    errors: int


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


async def answered(api: TimedAPI, started: float) -> float:
    """Wait until no Bot API call has come for QUIET_S; the seconds from ``started`` to the last."""
    while time.perf_counter() - max(api.last_call, started) < QUIET_S:
        await asyncio.sleep(0.05)
    return api.last_call - started


async def burst(http: aiohttp.ClientSession, api: TimedAPI, ports: list[int], updates: list[bytes]) -> float:
    """Post ``updates`` round robin over ``ports``, at most AT_ONCE at a time; updates/s answered."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(n: int, body: bytes) -> None:
        async with gate:
            await post_webhook(http, ports[n % len(ports)], body, SECRET)

    started = time.perf_counter()
    await asyncio.gather(*(one(n, body) for n, body in enumerate(updates)))
    return len(updates) / await answered(api, started)


async def listening(api: TimedAPI, procs: list[asyncio.subprocess.Process], logs: list[Path]) -> None:
    """Wait until every worker has set its webhook; a worker that exits first is an error."""
    deadline = time.monotonic() + 120
    while len(api.calls_of("setWebhook")) < len(procs):
        for proc, log in zip(procs, logs, strict=True):
            if proc.returncode is not None:
                raise RuntimeError(f"a worker exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError("workers did not start in 120 s:\n" + logs[0].read_text()[-3000:])
        await asyncio.sleep(0.1)


def reply_key(method: str, params: dict[str, Any]) -> tuple[str, str, str]:
    """What identifies a reply across runs: its method, chat (or callback query) and text."""
    who = params.get("chat_id") or params.get("callback_query_id") or ""
    return method, str(who), str(params.get("text") or params.get("caption") or "")


async def run_config(
    label: str,
    workers: int,
    redis_url: str | None,
    pristine: Path,
    work: Path,
    bursts: list[list[bytes]],
    profile_to: Path | None = None,
) -> Run:
    """Start ``workers`` webhook workers on a fresh copy of the database; time each burst.

    With ``profile_to``, the (first) worker runs under cProfile and writes its statistics there.
    """
    name = "".join(c for c in label if c.isalnum())  # its own files: database and logs
    db_path = work / f"{name}.db"
    shutil.copy(pristine, db_path)
    api = TimedAPI()
    await api.start()
    ports = [free_port() for _ in range(workers)]
    redis = {"REDIS_URL": redis_url} if redis_url else {}
    logs = [work / f"{name}-{n}.log" for n in range(workers)]
    procs = []
    for n, (port, log) in enumerate(zip(ports, logs, strict=True)):
        command = ("-c", PROFILED_WORKER, str(profile_to)) if profile_to and n == 0 else ("-m", "bot")
        with open(log, "wb") as out:  # a file, not a pipe: a full pipe would stall the worker
            procs.append(
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    *command,
                    cwd=work,
                    env=webhook_env(api.base_url, TOKEN, db_path, SECRET, port, **redis),
                    stdout=out,
                    stderr=asyncio.subprocess.STDOUT,
                )
            )
    try:
        await listening(api, procs, logs)
        rates = []
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            await burst(http, api, ports, bursts[0])  # warm-up: caches, connections, first replies
            api.calls.clear()
            cpu_before = [cpu_seconds(p.pid) for p in procs]
            own_before = time.process_time()
            if profile_to:
                procs[0].send_signal(signal.SIGUSR1)
            for updates in bursts[1:]:
                rates.append(await burst(http, api, ports, updates))
            if profile_to:
                procs[0].send_signal(signal.SIGUSR2)
                while not profile_to.exists():
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.5)  # written
            worker_cpu = sum(cpu_seconds(p.pid) for p in procs) - sum(cpu_before)
            own_cpu = time.process_time() - own_before
    finally:
        for proc in procs:
            if proc.returncode is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                await asyncio.wait_for(proc.wait(), 30)
            except TimeoutError:
                proc.kill()
        await api.stop()
    measured = sum(len(b) for b in bursts[1:])
    replies = Counter(reply_key(method, params) for method, params in api.calls if method in REPLIES)
    text = "".join(log.read_text(errors="replace") for log in logs)
    errors = text.count("Traceback") + text.count(" ERROR ")
    return Run(label, rates, 1000 * worker_cpu / measured, 1000 * own_cpu / measured, replies, errors)


def prepare(
    work: Path, candidates: int, updates: int, users: int, bursts: int
) -> tuple[Path, list[list[bytes]]]:
    """The seeded database and the bursts' update bodies (the first burst warms up)."""
    pristine = work / "pristine.db"
    db = open_database(pristine)
    assistant = Assistant(db)
    load_demo(db, candidates)
    rng = random.Random(7)
    stuff = material(assistant, rng)
    db.close()
    out = []
    for n in range(bursts + 1):
        size = min(updates, 500) if n == 0 else updates
        planned = plan(size, users, rng, stuff)
        # each burst its own users (the flood limit is per user) and update IDs
        raw = raw_updates(planned, FIRST_USER + n * users, 1 + n * updates)
        out.append([json.dumps(u, ensure_ascii=False).encode() for u in raw])
    return pristine, out


def print_profile(path: Path, updates: int, top: int) -> None:
    """The worker's ``top`` functions by time in themselves, over the timed bursts."""
    stats = pstats.Stats(str(path))
    print(f"The one-worker run under cProfile ({updates:,} updates), by time in the function itself:")
    print(f"{'own time':>10}{'per update':>12}{'calls':>9}  function")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    for (file, line, name), (_, calls, own, _, _) in rows[:top]:
        where = file.split("site-packages/")[-1].split("python3.11/")[-1].replace(str(ROOT) + "/", "")
        print(f"{own:>8.2f} s{1000 * own / updates:>9.3f} ms{calls:>9}  {where}:{line}({name})")
    print()


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        pristine, bursts = prepare(work, args.candidates, args.updates, args.users, args.bursts)
        print(
            f"{args.candidates:,} sample candidates; {args.bursts} bursts of {args.updates:,} updates from "
            f"{args.users:,} users (+1 warm-up), at most {AT_ONCE} POSTs at once; set up in "
            f"{time.perf_counter() - t0:.0f} s; {os.cpu_count()} cores\n"
        )
        profile = work / "worker.prof" if args.profile else None
        runs = [await run_config("one worker, SQLite storage", 1, None, pristine, work, bursts, profile)]
        if profile:
            print_profile(profile, sum(len(b) for b in bursts[1:]), args.profile)
        if shutil.which("redis-server"):
            for workers in (1, 2):
                with running_redis(work) as url:
                    label = f"{'one worker' if workers == 1 else 'two workers'}, Redis"
                    runs.append(await run_config(label, workers, url, pristine, work, bursts))
        else:
            print("redis-server is not installed: the Redis rows are left out (scripts/test installs it)\n")
    base = runs[0].replies
    header = f"{'configuration':<30}{'updates/s (median)':>20}{'bursts':>18}{'worker CPU':>12}"
    print(header + f"{'this proc.':>12}{'replies':>9}{'errors':>8}  same replies as one worker")
    for run in runs:
        same = "yes" if run.replies == base else f"no: {sum((run.replies - base).values())} extra, "
        if run.replies != base:
            same += f"{sum((base - run.replies).values())} missing"
        bursts_text = ", ".join(f"{r:,.0f}" for r in run.rates)
        print(
            f"{run.label:<30}{statistics.median(run.rates):>20,.0f}{bursts_text:>18}"
            f"{run.worker_ms:>9.2f} ms{run.own_ms:>9.2f} ms"
            f"{sum(run.replies.values()):>9,}{run.errors:>8}  {same}"
        )
    print(
        "\nworker CPU: the workers' CPU time per update (summed over workers); this proc.: the load "
        "generator's and the fake Bot API's. Telegram delivers at most about 30 messages a second."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--bursts", type=int, default=2, help="timed bursts per configuration")
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="profile the one worker: top N")
    parser.add_argument("--quick", action="store_true", help="smoke run: 500 updates, 2,000 candidates")
    args = parser.parse_args()
    if args.quick:
        args.updates, args.users, args.candidates = 500, 100, 2000
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
