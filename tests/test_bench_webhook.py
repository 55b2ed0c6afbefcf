"""benchmarks/bench_webhook.py keeps working (CI runs no benchmark otherwise): in a quick run,
real webhook workers, one with SQLite storage, one and two with Redis, answer every update with
no error and exactly the replies of one worker. Nothing here is timed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.redis_server import redis_server_or_skip

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_webhook.py"
CONFIGURATIONS = ("one worker, SQLite storage", "one worker, Redis", "two workers, Redis")


def test_a_quick_run_gives_every_configuration_the_same_replies() -> None:
    redis_server_or_skip()
    command = [sys.executable, str(SCRIPT), "--quick"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=400)
    assert run.returncode == 0, run.stderr[-2000:]
    for configuration in CONFIGURATIONS:
        row = re.search(rf"^{re.escape(configuration)}\s.*$", run.stdout, re.MULTILINE)
        assert row, f"no row for {configuration}:\n{run.stdout}"
        replies, errors, same = row[0].split()[-3:]
        assert int(replies.replace(",", "")) > 0 and errors == "0" and same == "yes", row[0]
