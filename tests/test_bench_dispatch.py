"""benchmarks/bench_dispatch.py keeps working (CI runs no benchmark otherwise): a quick run ends
with every update answered and no error, and its memory stage's fresh processes report each
figure it prints. Nothing here is timed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.conversation.assistant import Assistant
from bot.db import open_database

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_dispatch


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The bot's process (a fresh database, no candidates loaded), the aiogram-only process, and
    the process importing just the bot's libraries. The topic model is trained here into a cache
    of these processes' own, so the bot's process starts warm whatever other tests did."""
    directory = tmp_path_factory.mktemp("memory")
    db, models = directory / "saylau.db", directory / "models"
    Assistant(open_database(db), model_cache=models)
    script = bench_dispatch.BOT_PROCESS.format(root=str(bench_dispatch.ROOT), db=str(db), name="Ахметов")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SAYLAU_MODEL_CACHE", str(models))
        bot = bench_dispatch.run_python(script)
        return {
            "bot": bot,
            "aiogram": bench_dispatch.run_python(bench_dispatch.libraries_process([])),
            "libraries": bench_dispatch.run_python(bench_dispatch.libraries_process(bot["libraries"])),
        }


def test_bot_process_reports_every_stage_and_its_libraries(reports: dict[str, dict]) -> None:
    bot = reports["bot"]
    assert len(bot["stages"]) == len(bench_dispatch.BOT_STAGES)
    assert bot["anon"] + bot["file"] == pytest.approx(bot["rss"], abs=1)
    packages = {name.partition(".")[0] for name in bot["libraries"]}
    assert {"numpy", "icu", "rapidfuzz", "sqlite_utils", "babel"} <= packages
    assert not packages & {"bot", "handlers"}  # the bot's own code is not a library
    assert "sklearn" not in packages  # a warm start loads the cached topic model, never trains


def test_libraries_alone_cost_less_than_the_bot_and_more_than_aiogram(reports: dict[str, dict]) -> None:
    aiogram, libraries, bot = reports["aiogram"], reports["libraries"], reports["bot"]
    assert aiogram["added"] == {}
    assert aiogram["rss"] < libraries["rss"] < bot["rss"]
    assert libraries["added"]["numpy"] > 1  # MB: the package-by-package split is measured
    imported = libraries["rss"] - libraries["after_aiogram"]
    assert sum(libraries["added"].values()) == pytest.approx(imported, abs=0.5)


def test_a_quick_run_answers_every_update_without_error() -> None:
    script = Path(bench_dispatch.__file__)
    run = subprocess.run(
        [sys.executable, str(script), "--quick", "--top", "3"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    replied = re.search(r"updates replied to\s+([\d,]+)/([\d,]+)", run.stdout)
    assert replied and replied[1] == replied[2] != "0"
    assert re.search(r"errors logged or raised\s+0\s+0\s+PASS", run.stdout)
    assert "Saylau / bare" in run.stdout and "RSS above aiogram-only" in run.stdout
