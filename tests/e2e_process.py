"""Running ``python -m bot`` as a real process for the end-to-end tests."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp

from bot.telegram.app import WEBHOOK_PATH

ROOT = Path(__file__).resolve().parent.parent


def polling_env(api_url: str, token: str, database: Path, **extra: str) -> dict[str, str]:
    """The environment of ``python -m bot`` long polling the fake Bot API at ``api_url``."""
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "DATABASE_PATH": str(database),
        "PYTHONPATH": str(ROOT),
        **extra,
    }
    env.pop("WEBHOOK_URL", None)
    return env


def webhook_env(
    api_url: str, token: str, database: Path, secret: str, port: int, **extra: str
) -> dict[str, str]:
    """The environment of a ``python -m bot`` webhook worker on loopback ``port``, its replies
    going to the fake Bot API at ``api_url``; Redis only where ``extra`` names it."""
    env = {
        **os.environ,
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api_url,
        "WEBHOOK_URL": "https://bot.example.test",
        "WEBHOOK_SECRET": secret,
        "WEB_SERVER_HOST": "127.0.0.1",
        "WEB_SERVER_PORT": str(port),
        "DATABASE_PATH": str(database),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    return {**env, **extra}


async def start_bot(cwd: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start ``python -m bot`` as a real process with ``env``, output captured."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


async def stop_bot(proc: asyncio.subprocess.Process, sig: signal.Signals) -> str:
    """Stop the bot with ``sig`` (killing it after 20 s) and return its output."""
    if proc.returncode is None:
        proc.send_signal(sig)
    try:
        return (await asyncio.wait_for(proc.communicate(), 20))[0].decode()
    except TimeoutError:
        proc.kill()
        return (await proc.communicate())[0].decode()


def free_port() -> int:
    """A loopback TCP port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def post_webhook(
    http: aiohttp.ClientSession, port: int, update: dict[str, Any] | bytes, secret: str
) -> None:
    """Deliver ``update`` (or its JSON) to the webhook worker on ``port`` as Telegram does, with
    the secret header, waiting while the worker is still starting; any answer but 200 fails."""
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    for _ in range(300):
        try:
            async with http.post(url, data=body, headers=headers) as response:
                if response.status != 200:
                    raise AssertionError(f"the worker on {port} answered {response.status}")
                return
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.1)
    raise AssertionError(f"nobody listens on {port}")
