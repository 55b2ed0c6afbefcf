"""Every admin command and every admin button, tried by a stranger: the normal reply, nothing
changed, and an audit entry; forged admin callback data from an admin: a clear alert."""

from __future__ import annotations

import inspect

import pytest
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage

from bot import audit
from bot.admin.admins import ADMIN_COMMANDS
from bot.i18n import gettext
from handlers import callbacks
from tests.test_admin import OWNER, STRANGER

ADMIN_BUTTONS = sorted(
    cls.__prefix__
    for _, cls in inspect.getmembers(callbacks, inspect.isclass)
    if issubclass(cls, CallbackData) and cls is not CallbackData and cls.__prefix__.startswith("adm")
)


def test_every_admin_button_has_an_admin_prefix() -> None:
    assert len(ADMIN_BUTTONS) >= 8  # uploads, broadcasts, FAQ drafts and edits, unanswered, content
    others = [
        cls.__prefix__
        for _, cls in inspect.getmembers(callbacks, inspect.isclass)
        if issubclass(cls, CallbackData) and cls is not CallbackData and not cls.__prefix__.startswith("adm")
    ]
    assert not [p for p in others if p.startswith("ad")]


@pytest.mark.parametrize("command", [name for name, _ in ADMIN_COMMANDS])
async def test_strangers_cannot_use_any_admin_command(people, assistant, command: str) -> None:
    normal = [r.text for r in await people(STRANGER).send("/nosuchcommand") if isinstance(r, SendMessage)]
    before = assistant.db.execute("SELECT count(*) FROM audit_log WHERE action != 'denied'").fetchone()[0]
    requests = await people(STRANGER).send(f"/{command} 1 x=y source=z")
    assert [r.text for r in requests if isinstance(r, SendMessage)] == normal
    assert not [r for r in requests if isinstance(r, SendDocument)]
    assert audit.recent(assistant.db, 1)[0].action == "denied"
    assert (
        assistant.db.execute("SELECT count(*) FROM audit_log WHERE action != 'denied'").fetchone()[0]
        == before
    )


@pytest.mark.parametrize("prefix", ADMIN_BUTTONS)
async def test_strangers_cannot_press_any_admin_button(people, assistant, prefix: str) -> None:
    requests = await people(STRANGER).press(f"{prefix}:1:1:x")
    alerts = [r for r in requests if isinstance(r, AnswerCallbackQuery) and r.show_alert]
    assert alerts and not [r for r in requests if isinstance(r, SendMessage)]
    entry = audit.recent(assistant.db, 1)[0]
    assert (entry.action, entry.user_id) == ("denied", STRANGER)


@pytest.mark.parametrize("prefix", ADMIN_BUTTONS)
async def test_forged_admin_buttons_get_an_alert(people, prefix: str) -> None:
    for data in (f"{prefix}:999999:1:x", f"{prefix}:not-a-number", f"{prefix}:" + "9" * 50):
        requests = await people(OWNER).press(data)
        assert [r for r in requests if isinstance(r, AnswerCallbackQuery)], data
        sorry = gettext("Sorry, something went wrong on my side. Please try again in a moment.", "ru")
        assert not [r for r in requests if isinstance(r, SendMessage) and r.text == sorry], data
