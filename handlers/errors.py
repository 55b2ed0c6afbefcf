"""Last line of defence: log any exception and apologise to the user."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from handlers.routing import LeanRouter

log = logging.getLogger(__name__)


def router() -> Router:
    """Build the error router."""
    r = LeanRouter(name="errors")

    @r.errors()
    async def on_error(event: ErrorEvent) -> bool:
        """Log the exception with the update ID and tell the user something went wrong."""
        log.exception("Error while handling update %s", event.update.update_id, exc_info=event.exception)
        sorry = _("Sorry, something went wrong on my side. Please try again in a moment.")
        try:
            if event.update.message is not None:
                await event.update.message.answer(sorry)
            elif event.update.callback_query is not None:
                await event.update.callback_query.answer(sorry, show_alert=True)
        except Exception:  # the apology itself may fail (e.g. network); never re-raise
            log.warning("Could not send the apology for update %s", event.update.update_id)
        return True

    return r
