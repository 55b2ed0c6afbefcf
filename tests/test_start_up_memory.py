"""After start-up the bot moves its long-lived objects out of the garbage collector's reach
and gives the memory freed meanwhile back to the system (bot/telegram/app.py)."""

from __future__ import annotations

import gc
import subprocess
import sys
from pathlib import Path

from bot.telegram.app import freeze_long_lived, release_freed_memory

ROOT = Path(__file__).resolve().parent.parent

# A process that frees 200 MB of small buffers (as start-up's temporary arrays are freed) and
# reports its resident memory before and after giving the freed pages back.
TRIM = """
import sys
sys.path.insert(0, {root!r})
from bot.telegram.app import release_freed_memory

def rss():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))

chunks = [bytearray(100_000) for _ in range(2_000)]
del chunks[:-1]  # the last one stays, so the heap's top is in use and cannot simply shrink
before = rss()
print(before, rss() if release_freed_memory() else before)
"""


def test_freeze_moves_objects_out_of_the_collectors_reach() -> None:
    try:
        freeze_long_lived()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_freed_memory_goes_back_to_the_system() -> None:
    if not release_freed_memory():  # no glibc here: nothing to give back
        return
    out = subprocess.run(
        [sys.executable, "-c", TRIM.format(root=str(ROOT))], capture_output=True, text=True, check=True
    )
    before, after = (float(x) for x in out.stdout.split())
    assert before - after > 50, (before, after)
