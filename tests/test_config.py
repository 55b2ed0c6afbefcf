"""Configuration: every malformed setting is a one-line error naming it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_DATABASE, ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADMIN_IDS", "12,abc"),
        ("BOT_TOKEN", "not-a-token"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_URL", "http://insecure.example"),
        ("TELEGRAM_API_URL", "ftp://x"),
        ("WEB_SERVER_PORT", "70000"),
    ],
)
def test_bad_setting_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(name + ":")
    assert "\n" not in message


def test_good_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ADMIN_IDS", "1, 22;333")
    monkeypatch.setenv("BOT_TOKEN", "123456:" + "A" * 35)
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "x.db"))
    settings = load_settings()
    assert settings.admin_ids == (1, 22, 333)
    assert settings.log_level == "DEBUG"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.database_path == tmp_path / "x.db"
    assert settings.bot_token is not None and "AAAA" not in repr(settings)  # secret stays hidden


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BOT_TOKEN", "ADMIN_IDS", "DATABASE_PATH", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_PATH", "")
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.admin_ids == ()
    assert settings.database_path == DEFAULT_DATABASE


def test_cli_reports_bad_setting_in_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "ADMIN_IDS": "owner", "DATABASE_PATH": str(tmp_path / "db.sqlite")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "test"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: ADMIN_IDS: must be comma-separated numeric Telegram user IDs"
    )
    assert "Traceback" not in result.stderr
