"""A minimal Telegram Bot API server on loopback, for driving the real polling loop.

It serves ``/bot<token>/<method>`` like api.telegram.org (or a self-hosted Bot API
server), hands out queued updates through ``getUpdates`` (long polling honoured, bounded
to one second), and records every other call.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from typing import Any

from aiohttp import web

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Saylau", "username": "saylau_test_bot"}
TRUE_METHODS = {
    "deletewebhook",
    "setwebhook",
    "setmycommands",
    "setmydescription",
    "setmyshortdescription",
    "answercallbackquery",
    "editmessagereplymarkup",
    "answerinlinequery",
    "close",
    "logout",
}


class FakeBotAPI:
    """The server's state: queued updates and recorded calls."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.tokens: set[str] = set()
        self.blocked: set[int] = set()  # users who blocked the bot: sendMessage gets 403
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(500)
        self._changed = asyncio.Condition()
        self.runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        """What to put in TELEGRAM_API_URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Listen on an ephemeral loopback port."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        """Shut the server down."""
        if self.runner is not None:
            await self.runner.cleanup()

    async def push_message(self, text: str, user_id: int = 777, language_code: str = "ru") -> None:
        """Queue a private text message from a user."""
        user = {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": language_code}
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"},
            "from": user,
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        async with self._changed:
            self.updates.append({"update_id": next(self._update_ids), "message": message})
            self._changed.notify_all()

    async def push_callback(self, data: str, message: dict[str, Any], user_id: int = 777) -> None:
        """Queue a press of an inline button carrying ``data`` under the bot's ``message``."""
        user = {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": "ru"}
        query = {"id": str(next(self._update_ids)), "from": user, "chat_instance": "e2e", "data": data}
        query["message"] = message
        async with self._changed:
            self.updates.append({"update_id": next(self._update_ids), "callback_query": query})
            self._changed.notify_all()

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """The recorded calls of ``method`` so far."""
        return [params for name, params in self.calls if name == method.lower()]

    async def wait_for(self, method: str, count: int, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Wait until ``method`` has been called ``count`` times; return those calls."""
        deadline = time.monotonic() + timeout
        while True:
            found = [params for name, params in self.calls if name == method.lower()]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} called {len(found)} times, expected {count}")
            await asyncio.sleep(0.05)

    async def _handle(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        method = request.match_info["method"].lower()
        self.tokens.add(token)
        params: dict[str, Any] = dict(await request.post()) if request.can_read_body else {}
        params.update(request.query)
        for name, value in params.items():  # a multipart upload (sendPhoto): keep its bytes
            if isinstance(value, web.FileField):
                params[name] = value.file.read()
        for name, value in params.items():  # photo="attach://<field>": the file sent in that field
            if isinstance(value, str) and value.startswith("attach://"):
                params[name] = params.get(value.removeprefix("attach://"), value)
        if method == "getupdates":
            return self._ok(await self._get_updates(params))
        self.calls.append((method, params))
        if method == "getme":
            return self._ok(BOT_USER)
        if method in TRUE_METHODS:
            return self._ok(True)
        if method == "sendmessage" and int(params["chat_id"]) in self.blocked:
            return web.json_response(
                {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
                status=403,
            )
        if method == "sendphoto":
            photo = [{"file_id": "p1", "file_unique_id": "p1", "width": 800, "height": 900}]
            return self._ok(self._sent(params, caption=params.get("caption", ""), photo=photo))
        if method == "sendmessage":
            return self._ok(self._sent(params, text=params.get("text", "")))
        if method == "editmessagetext":  # the edited message, as for a message the bot sent
            edited = self._sent(params, text=params.get("text", ""))
            return self._ok({**edited, "message_id": int(params.get("message_id") or edited["message_id"])})
        return web.json_response(
            {"ok": False, "error_code": 404, "description": "Not Found: method not emulated"}, status=404
        )

    def _sent(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        """The Message the bot sent to ``params["chat_id"]``, with ``content`` (text, photo...)."""
        chat = {"id": int(params["chat_id"]), "type": "private"}
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 1.0)
        async with self._changed:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates and wait:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), wait)
            return list(self.updates)

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.Response(text=json.dumps({"ok": True, "result": result}), content_type="application/json")
