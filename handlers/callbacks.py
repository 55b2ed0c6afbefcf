"""Callback data of every inline button: short prefixes and IDs only (at most 64 bytes)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from aiogram.filters.callback_data import CallbackData, CallbackQueryFilter
from aiogram.types import CallbackQuery
from magic_filter import MagicFilter
from pydantic import Field

# Bounded so that forged data (an ID of 2^63 or more, a negative page) fails to parse and gets
# the "out of date" alert instead of reaching SQLite, which stores 64-bit integers.
RowId = Annotated[int, Field(ge=0, le=2**63 - 1)]
Page = Annotated[int, Field(ge=0, le=100_000)]
Flag = Annotated[int, Field(ge=0, le=1)]


class PrefixFilter(CallbackQueryFilter):
    """aiogram's callback-data filter, reading only data with its own prefix: a button press
    passes a dozen such filters before its handler's, and parsing data of another kind (an
    exception each) cost a tenth of a button press (benchmarks/bench_dispatch.py)."""

    __slots__ = ("head",)

    def __init__(self, *, callback_data: type[CallbackData], rule: MagicFilter | None = None) -> None:
        super().__init__(callback_data=callback_data, rule=rule)
        self.head = callback_data.__prefix__ + callback_data.__separator__

    async def __call__(self, query: CallbackQuery) -> Literal[False] | dict[str, Any]:
        data = getattr(query, "data", None)
        if not data or not data.startswith(self.head):
            return False
        return await super().__call__(query)


class Prefixed:
    """Mixin for callback data whose ``filter()`` is a :class:`PrefixFilter`."""

    @classmethod
    def filter(cls, rule: MagicFilter | None = None) -> PrefixFilter:
        """The filter of button presses with this kind of data (and ``rule`` on its fields)."""
        return PrefixFilter(callback_data=cls, rule=rule)  # type: ignore[arg-type]


class LangCB(Prefixed, CallbackData, prefix="lang"):
    """Choose the interface language."""

    code: str


class MenuCB(Prefixed, CallbackData, prefix="menu"):
    """Open a main-menu section (or the main menu itself: ``home``)."""

    section: str


class TopicCB(Prefixed, CallbackData, prefix="t"):
    """Show the answer of one FAQ topic; ``lang`` is the answer language."""

    topic: str
    lang: str


class VoteCB(Prefixed, CallbackData, prefix="fb"):
    """Helpful (1) / not helpful (0) vote on an answer."""

    topic: str
    lang: str
    helpful: Flag


class NoneOfTheseCB(Prefixed, CallbackData, prefix="none"):
    """None of the "did you mean" suggestions fits."""

    lang: str


class ElectionCB(Prefixed, CallbackData, prefix="ce"):
    """Candidates of one election: choose a region."""

    election: str


class AreaCB(Prefixed, CallbackData, prefix="ca"):
    """Ballots of one election in one region or city."""

    election: str
    area: str


class BallotCB(Prefixed, CallbackData, prefix="cb"):
    """One page of a ballot's candidates (ballot = ballots.rowid)."""

    ballot: RowId
    page: Page


class CardCB(Prefixed, CallbackData, prefix="cc"):
    """One candidate's card."""

    candidate: RowId


class StatsCB(Prefixed, CallbackData, prefix="cs"):
    """Statistics of one election."""

    election: str


class SubscribeCB(Prefixed, CallbackData, prefix="sub"):
    """Subscribe to reminders of one vote (its election ID) or of every vote (``*``)."""

    election: str


class RemindHereCB(Prefixed, CallbackData, prefix="rh"):
    """Remind me of every vote, with this mission (missions.id) as where I vote."""

    mission: str


class MissionCountryCB(Prefixed, CallbackData, prefix="mc"):
    """The embassies and consulates of one country (ISO 3166-1 alpha-2 code)."""

    country: str


class UploadCB(Prefixed, CallbackData, prefix="admup"):
    """Apply or cancel an admin's pending upload (uploads.id)."""

    upload: RowId
    apply: bool


class BroadcastCB(Prefixed, CallbackData, prefix="admbc"):
    """Send or cancel a broadcast (broadcasts.id)."""

    broadcast: RowId
    send: bool


class FaqDraftCB(Prefixed, CallbackData, prefix="admfd"):
    """Preview, publish or discard an FAQ draft (faq_versions.id)."""

    version: RowId
    action: str  # preview / publish / discard


class FaqRevertCB(Prefixed, CallbackData, prefix="admfr"):
    """Publish again an earlier version of an FAQ entry (faq_versions.id)."""

    version: RowId


class FaqEditCB(Prefixed, CallbackData, prefix="admfe"):
    """A choice in the /faq_edit conversation: ``step`` topic (start editing it), lang,
    field or value."""

    step: str
    value: str


class UnansweredCB(Prefixed, CallbackData, prefix="admun"):
    """Act on a group of unanswered questions (its newest unanswered.id): o(pen), a(ttach
    to ``topic``), t(opics to choose from), n(ew entry), i(gnore)."""

    group: RowId
    action: str
    topic: str = ""


class UnansweredPageCB(Prefixed, CallbackData, prefix="admuq"):
    """A page of the /unanswered list."""

    page: Page


class ContentUploadCB(Prefixed, CallbackData, prefix="admct"):
    """Apply or cancel an admin's pending content zip (uploads.id)."""

    upload: RowId
    apply: bool
