"""The command line: `ask` (text and JSON, stdin), `content`, and the local console."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.conversation.render import dont_know

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], tmp_path: Path, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, "DATABASE_PATH": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT), **env}
    environ.pop("BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_ask_json_from_stdin(tmp_path: Path) -> None:
    questions = [
        "Сайлау учаскелері қашан ашылады?",
        "saylau uchaskeleri qashan ashylady",
        "Кто может голосовать?",
        "Bagaimana cara memilih dari luar negeri?",
        "рецепт плова с бараниной",
        "",
    ]
    result = run(["ask", "--json", "-"], tmp_path, stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in records] == questions[:5]  # the empty line is skipped
    for record in records:
        assert set(record) == {"query", "lang", "reply_lang", "kind", "id", "score", "suggestions", "answer"}
    assert [r["lang"] for r in records] == ["kk", "kk", "ru", "id", "ru"]
    assert [r["id"] for r in records[:4]] == ["voting-hours", "voting-hours", "who-can-vote", "voting-abroad"]
    assert "07:00" in records[0]["answer"] and "Дереккөз" in records[0]["answer"]
    assert "<b>" not in records[0]["answer"]  # plain text on the command line
    assert records[4]["id"] is None and records[4]["kind"] == "unknown"
    assert records[4]["answer"] == dont_know("ru")  # what a voter reads, as in the chat
    assert [r["kind"] for r in records[:4]] == ["faq"] * 4
    assert [r["reply_lang"] for r in records] == ["kk", "kk", "ru", "id", "ru"]


def test_ask_text_with_forced_language(tmp_path: Path) -> None:
    result = run(["ask", "--lang", "id", "Кто", "может", "голосовать?"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Sumber" in result.stdout


def test_content_check_and_reload(tmp_path: Path) -> None:
    check = run(["content", "check"], tmp_path)
    assert check.returncode == 0 and "30 published" in check.stdout
    reload = run(["content", "reload"], tmp_path)
    assert reload.returncode == 0 and "reloaded 33 FAQ entries" in reload.stdout


def test_unusable_database_path_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = run(["ask", "test"], tmp_path, DATABASE_PATH=str(blocker / "sub" / "x.db"))
    assert result.returncode == 4
    assert result.stderr.startswith("Database error: DATABASE_PATH=")
    assert len(result.stderr.strip().splitlines()) == 1


def test_console_without_token(tmp_path: Path) -> None:
    steps = ["2", "Когда открываются избирательные участки?", "1", "/language", "1", "/quit"]
    script = "\n".join(steps) + "\n"
    result = run([], tmp_path, stdin=script, LANG="en_US.UTF-8")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "BOT_TOKEN" in out and "@BotFather" in out  # how to go live
    assert "[1] Қазақша" in out and "[2] Русский" in out  # language asked with numbered buttons
    assert "Здравствуйте" in out  # pressing 2 chose Russian
    assert "07:00" in out and "Источник" in out  # the question was answered
    assert "Спасибо за отзыв" in out  # button 1 under the answer: helpful
    assert "Сәлеметсіз бе" in out  # /language, then 1: Kazakh
    assert "Traceback" not in result.stderr


def test_candidates_search_export_and_removing_sample_data(tmp_path: Path) -> None:
    assert run(["candidates", "demo", "--count", "40"], tmp_path).returncode == 0
    missing = run(["candidates", "search", "Zzyzxq Qwxv"], tmp_path)
    assert missing.returncode == 1 and "No candidate matches" in missing.stderr and not missing.stdout
    found = run(["candidates", "search", "Әлімжанова"], tmp_path)
    assert found.returncode == 0 and "[SAMPLE DATA]" in found.stdout
    export = run(["candidates", "export"], tmp_path)
    assert export.returncode == 0 and len(export.stdout.splitlines()) == 1  # the header only
    assert "Only sample candidates" in export.stderr and "--include-sample" in export.stderr
    assert len(run(["candidates", "export", "--include-sample"], tmp_path).stdout.splitlines()) == 41
    removed = run(["candidates", "demo", "--remove"], tmp_path)
    assert removed.returncode == 0 and "removed 40 sample candidates" in removed.stdout
    assert "0 sample candidates" in run(["candidates", "demo", "--remove"], tmp_path).stdout
    assert "Only sample" not in run(["candidates", "export"], tmp_path).stderr
    from bot.db import open_database

    db = open_database(tmp_path / "cli.db")
    assert db.execute("SELECT count(*) FROM candidates").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM elections WHERE is_sample = 1").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM elections").fetchone()[0] > 5  # the real calendar stays
    assert (
        db.execute("SELECT count(*) FROM audit_log WHERE action = 'candidates.remove_sample'").fetchone()[0]
        == 2
    )


def test_a_closed_pipe_is_not_a_database_error(tmp_path: Path) -> None:
    assert run(["candidates", "demo", "--count", "300"], tmp_path).returncode == 0
    environ = {**os.environ, "DATABASE_PATH": str(tmp_path / "cli.db"), "PYTHONPATH": str(ROOT)}
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone, as after `| head` has read its lines
    try:
        writer = subprocess.run(
            [sys.executable, "-m", "bot", "candidates", "export", "--include-sample"],
            cwd=tmp_path,
            env=environ,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert writer.returncode == 0, writer.stderr
    assert "Database error" not in writer.stderr and "Traceback" not in writer.stderr
