"""Callback data of every inline button: short prefixes and IDs only (at most 64 bytes)."""

from __future__ import annotations

from typing import Annotated

from aiogram.filters.callback_data import CallbackData
from pydantic import Field

# Bounded so that forged data (an ID of 2^63 or more, a negative page) fails to parse and gets
# the "out of date" alert instead of reaching SQLite, which stores 64-bit integers.
RowId = Annotated[int, Field(ge=0, le=2**63 - 1)]
Page = Annotated[int, Field(ge=0, le=100_000)]
Flag = Annotated[int, Field(ge=0, le=1)]


class LangCB(CallbackData, prefix="lang"):
    """Choose the interface language."""

    code: str


class MenuCB(CallbackData, prefix="menu"):
    """Open a main-menu section (or the main menu itself: ``home``)."""

    section: str


class TopicCB(CallbackData, prefix="t"):
    """Show the answer of one FAQ topic; ``lang`` is the answer language."""

    topic: str
    lang: str


class VoteCB(CallbackData, prefix="fb"):
    """Helpful (1) / not helpful (0) vote on an answer."""

    topic: str
    lang: str
    helpful: Flag


class NoneOfTheseCB(CallbackData, prefix="none"):
    """None of the "did you mean" suggestions fits."""

    lang: str


class ElectionCB(CallbackData, prefix="ce"):
    """Candidates of one election: choose a region."""

    election: str


class AreaCB(CallbackData, prefix="ca"):
    """Ballots of one election in one region or city."""

    election: str
    area: str


class BallotCB(CallbackData, prefix="cb"):
    """One page of a ballot's candidates (ballot = ballots.rowid)."""

    ballot: RowId
    page: Page


class CardCB(CallbackData, prefix="cc"):
    """One candidate's card."""

    candidate: RowId


class StatsCB(CallbackData, prefix="cs"):
    """Statistics of one election."""

    election: str


class SubscribeCB(CallbackData, prefix="sub"):
    """Subscribe to reminders of one vote (its election ID) or of every vote (``*``)."""

    election: str


class RemindHereCB(CallbackData, prefix="rh"):
    """Remind me of every vote, with this mission (missions.id) as where I vote."""

    mission: str


class MissionCountryCB(CallbackData, prefix="mc"):
    """The embassies and consulates of one country (ISO 3166-1 alpha-2 code)."""

    country: str


class UploadCB(CallbackData, prefix="admup"):
    """Apply or cancel an admin's pending upload (uploads.id)."""

    upload: RowId
    apply: bool


class BroadcastCB(CallbackData, prefix="admbc"):
    """Send or cancel a broadcast (broadcasts.id)."""

    broadcast: RowId
    send: bool


class FaqDraftCB(CallbackData, prefix="admfd"):
    """Preview, publish or discard an FAQ draft (faq_versions.id)."""

    version: RowId
    action: str  # preview / publish / discard


class FaqRevertCB(CallbackData, prefix="admfr"):
    """Publish again an earlier version of an FAQ entry (faq_versions.id)."""

    version: RowId


class FaqEditCB(CallbackData, prefix="admfe"):
    """A choice in the /faq_edit conversation: ``step`` topic (start editing it), lang,
    field or value."""

    step: str
    value: str


class UnansweredCB(CallbackData, prefix="admun"):
    """Act on a group of unanswered questions (its newest unanswered.id): o(pen), a(ttach
    to ``topic``), t(opics to choose from), n(ew entry), i(gnore)."""

    group: RowId
    action: str
    topic: str = ""


class UnansweredPageCB(CallbackData, prefix="admuq"):
    """A page of the /unanswered list."""

    page: Page


class ContentUploadCB(CallbackData, prefix="admct"):
    """Apply or cancel an admin's pending content zip (uploads.id)."""

    upload: RowId
    apply: bool
