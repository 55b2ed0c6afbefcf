"""Routers that turn an update away at once when none of their handlers could take it.

aiogram offers every update to the routers in order, and each router it passes costs tens of
microseconds before any filter runs (the update's data copied several times, middlewares
wrapped); a typed question used to pass eight routers of commands and buttons, half a
millisecond of a question's 1.5 (benchmarks/bench_dispatch.py). A :class:`LeanRouter` looks
at what its handlers, and its sub-routers' handlers, start with:

- no handler for this kind of update -> turned away;
- every handler's first filter a command (``Command``) -> only a text or caption starting
  with one of the commands' prefixes is let in;
- every handler's first filter a callback-data prefix (``head``: :class:`handlers.callbacks
  .PrefixFilter`, :func:`handlers.filters.data_prefix`) -> only data starting with one of
  them is let in;
- anything else (a magic filter, a state, a handler without filters) -> let in, as aiogram
  would.

A router turned away would have found no handler, so the reply is the same; a router (or a
sub-router) with outer middlewares for that kind of update is always let in, as they must
run. What a router handles is read on its first update of each kind: add handlers before
the bot starts (as aiogram itself expects when it lists the update types to ask for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command
from aiogram.types import TelegramObject

Gate = Callable[[TelegramObject], bool]


def _admit_all(event: TelegramObject) -> bool:
    return True


def _refuse_all(event: TelegramObject) -> bool:
    return False


def _starts_gate(fields: tuple[str, ...], prefixes: set[str]) -> Gate:
    """Lets in an event whose first non-empty field of ``fields`` starts with a prefix."""
    starts = tuple(sorted(prefixes))

    def gate(event: TelegramObject) -> bool:
        for name in fields:  # a plain loop: this runs for several routers on every update
            value = getattr(event, name, None)
            if value:
                return isinstance(value, str) and value.startswith(starts)
        return False

    return gate


def _first_filter(handler: HandlerObject) -> Any:
    return handler.filters[0].callback if handler.filters else None


def gate_for(router: Router, update_type: str) -> Gate:
    """The cheap test an update of ``update_type`` must pass to be worth offering to
    ``router`` (see the module's docstring)."""
    handlers: list[HandlerObject] = []
    for each in router.chain_tail:
        observer = each.observers.get(update_type)
        if observer is None:
            continue
        if len(observer.outer_middleware):
            return _admit_all
        handlers.extend(observer.handlers)
    if not handlers:
        return _refuse_all
    firsts = [_first_filter(h) for h in handlers]
    if all(isinstance(f, Command) for f in firsts):
        return _starts_gate(("text", "caption"), {p for f in firsts for p in f.prefix})
    if all(isinstance(getattr(f, "head", None), str) for f in firsts):
        return _starts_gate(("data",), {f.head for f in firsts})
    return _admit_all


class LeanRouter(Router):
    """A :class:`aiogram.Router` that turns away at once the updates its handlers cannot take."""

    def __init__(self, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self._gates: dict[str, Gate] = {}

    async def propagate_event(self, update_type: str, event: TelegramObject, **kwargs: Any) -> Any:
        """As aiogram's, unless this router's gate for ``update_type`` turns ``event`` away.

        Without outer middlewares of its own, the router skips aiogram's wrapping of none
        (a wrapper function and three copies of the update's data for each router passed).
        """
        gate = self._gates.get(update_type)
        if gate is None:
            gate = self._gates[update_type] = gate_for(self, update_type)
        if not gate(event):
            return UNHANDLED
        observer = self.observers.get(update_type)
        if observer is not None and len(observer.outer_middleware):
            return await super().propagate_event(update_type, event, **kwargs)
        kwargs["event_router"] = self
        return await self._propagate_event(observer=observer, update_type=update_type, event=event, **kwargs)
