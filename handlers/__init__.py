"""aiogram routers, one per user-facing area; :func:`setup_routers` builds fresh ones."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback
from handlers.admin import commands as admin
from handlers.voter import candidates, elections, inline, menu, missions, questions, reminders, start


def setup_routers() -> Router:
    """A new root router with every area included, catch-all last."""
    root = Router(name="root")
    root.include_routers(
        start.router(),
        admin.router(),
        elections.router(),
        reminders.router(),
        candidates.router(),
        menu.router(),
        inline.router(),
        questions.router(),
        missions.router(),
        fallback.router(),
        errors.router(),
    )
    return root
