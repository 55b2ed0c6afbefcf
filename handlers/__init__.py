"""aiogram routers, one per user-facing area; :func:`setup_routers` builds fresh ones."""

from __future__ import annotations

from aiogram import Router

from handlers import errors, fallback
from handlers.admin import commands as admin
from handlers.routing import LeanRouter
from handlers.voter import candidates, elections, inline, menu, missions, questions, reminders, start


def setup_routers() -> Router:
    """A new root router with every area included, catch-all last.

    aiogram offers each update to the routers in order; every router is a
    :class:`handlers.routing.LeanRouter`, which turns away at once what its handlers cannot
    take (a question never enters the routers of commands), and the routers of button presses
    and inline queries only (candidates, menu, inline) come after those of messages. Among
    button routers the order still decides: candidates' "candidates" section comes before the
    menu's sections (tests/test_candidate_handlers.py opens it).
    """
    root = LeanRouter(name="root")
    root.include_routers(
        start.router(),
        admin.router(),
        elections.router(),
        reminders.router(),
        questions.router(),
        missions.router(),
        candidates.router(),
        menu.router(),
        inline.router(),
        fallback.router(),
        errors.router(),
    )
    return root
