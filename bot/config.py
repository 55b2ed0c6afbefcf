"""Settings from the environment or a ``.env`` file.

A missing or malformed setting raises :class:`ConfigError` with a one-line message
that names the variable, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlparse

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def cache_dir() -> Path:
    """Where built models and indexes are kept: SAYLAU_MODEL_CACHE, else ~/.cache/saylau."""
    base = os.environ.get("SAYLAU_MODEL_CACHE")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "saylau"


PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "saylau.db"


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it."""


def _check_url(value: str | None, *, https: bool = False) -> str | None:
    if value in (None, ""):
        return None
    parsed = urlparse(value)
    schemes = ("https",) if https else ("http", "https")
    if parsed.scheme not in schemes or not parsed.netloc:
        raise ValueError(f"must be an {' or '.join(schemes)} URL, got {value!r}")
    return value.rstrip("/")


class Settings(BaseSettings):
    """All configuration of the bot (see the table in README.md)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    bot_token: SecretStr | None = None
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    database_path: Path = DEFAULT_DATABASE
    telegram_api_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    web_server_host: str = "0.0.0.0"  # noqa: S104 - a webhook server listens on all interfaces
    web_server_port: int = Field(default=8080, ge=1, le=65535)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    reminder_interval_seconds: float = Field(default=60.0, gt=0)
    send_rate_per_second: float = Field(default=25.0, gt=0, le=30)  # Telegram allows about 30
    stale_after_days: int = Field(default=90, ge=1, le=3650)  # answers older than this: in the digest
    redis_url: SecretStr | None = None  # several webhook workers share FSM, locks, throttle, leases

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if value in (None, ""):
            return None
        text = str(value).strip()
        head, _, tail = text.partition(":")
        if not head.isdigit() or len(tail) < 20:
            raise ValueError("must look like 123456:ABC... (the token from @BotFather)")
        return text

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError("must be comma-separated numeric Telegram user IDs")
            return tuple(int(p) for p in parts)
        return value

    @field_validator("database_path", mode="before")
    @classmethod
    def _database_path(cls, value: object) -> object:
        return DEFAULT_DATABASE if value in (None, "") else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_url", mode="before")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        return _check_url(value)

    @field_validator("redis_url", mode="before")
    @classmethod
    def _redis_url(cls, value: object) -> object:
        if value in (None, ""):
            return None
        parsed = urlparse(str(value))
        if parsed.scheme not in ("redis", "rediss", "unix") or not (parsed.netloc or parsed.path):
            raise ValueError("must be a redis://, rediss:// or unix:// URL (e.g. redis://localhost:6379/0)")
        return str(value)

    @field_validator("webhook_url", mode="before")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        return _check_url(value, https=True)


def load_settings(**overrides: object) -> Settings:
    """Read settings; raise :class:`ConfigError` naming the first bad variable."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "configuration"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}: {message}") from None
