"""Deep links: ``https://t.me/<bot>?start=<payload>`` opens an answer, a mission or a candidate.

Payloads (Telegram allows 1-64 characters of ``A-Z a-z 0-9 _ -``):

- ``<topic-id>``: an FAQ answer, e.g. ``home-voting``;
- ``m-<mission-id>``: an embassy or consulate card, e.g. ``m-id-jakarta-embassy``;
- ``c-<candidate-id>``: a candidate's card, e.g. ``c-1042``.

Topic IDs never start with ``m-`` or ``c-`` (``bot.faq.entries`` refuses them) and mission IDs
are short enough for the prefix, so every payload means one thing. A payload that is malformed
or names nothing published opens nothing: the bot greets as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal
from urllib.parse import quote, urlencode

from bot.candidates.directory import Candidate
from bot.conversation.core import Knowledge
from bot.conversation.replies import FaqAnswer, MissionCards
from bot.languages import Lang

MAX_PAYLOAD = 64  # Telegram's limit for ?start=
_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_CANDIDATE_ID = re.compile(r"[1-9][0-9]{0,17}")  # below 2**63: a SQLite integer
MISSION_PREFIX = "m-"
CANDIDATE_PREFIX = "c-"
Kind = Literal["topic", "mission", "candidate"]


@dataclass(frozen=True)
class DeepLink:
    """What a deep link opens: a topic, a mission (by ID) or a candidate (by ID, as digits)."""

    kind: Kind
    target: str

    @property
    def payload(self) -> str:
        """The ``start`` parameter of this link."""
        prefix = {"topic": "", "mission": MISSION_PREFIX, "candidate": CANDIDATE_PREFIX}[self.kind]
        return prefix + self.target


def topic_link(topic: str) -> DeepLink:
    """The link to an FAQ answer."""
    return DeepLink("topic", topic)


def mission_link(mission_id: str) -> DeepLink:
    """The link to a mission's card."""
    return DeepLink("mission", mission_id)


def candidate_link(candidate_id: int) -> DeepLink:
    """The link to a candidate's card."""
    return DeepLink("candidate", str(candidate_id))


def parse(payload: str | None) -> DeepLink | None:
    """The link a ``/start`` payload stands for, or None when it is empty or malformed."""
    if not payload or not _PAYLOAD.fullmatch(payload):
        return None
    if payload.startswith(MISSION_PREFIX):
        return mission_link(payload[len(MISSION_PREFIX) :])
    if payload.startswith(CANDIDATE_PREFIX):
        digits = payload[len(CANDIDATE_PREFIX) :]
        return DeepLink("candidate", digits) if _CANDIDATE_ID.fullmatch(digits) else None
    return topic_link(payload)


def start_url(username: str, link: DeepLink) -> str | None:
    """``https://t.me/<username>?start=<payload>``, or None when the payload is too long."""
    if len(link.payload) > MAX_PAYLOAD or not username:
        return None
    return f"https://t.me/{quote(username)}?start={link.payload}"


@lru_cache(maxsize=1024)  # the same few answers are shared from every reply
def share_url(username: str, link: DeepLink, text: str) -> str | None:
    """Telegram's "share" page for the link, with ``text`` as the message (None: no link)."""
    url = start_url(username, link)
    if url is None:
        return None
    return "https://t.me/share/url?" + urlencode({"url": url, "text": text}, quote_via=quote)


def open_link(
    link: DeepLink, knowledge: Knowledge, lang: Lang
) -> FaqAnswer | MissionCards | Candidate | None:
    """What the link opens, in ``lang``: a published answer, a mission's card, a candidate.

    None when it names nothing the bot has (a topic unpublished or removed, a stale ID).
    """
    if link.kind == "topic":
        if knowledge.assistant.entry(link.target) is None:
            return None
        return FaqAnswer(lang=lang, detected=None, answer_topic=link.target, score=1.0)
    if link.kind == "mission":
        found = tuple(m for m in knowledge.missions.missions if m.id == link.target)
        return MissionCards(lang=lang, detected=None, missions=found) if found else None
    return knowledge.directory.candidate(int(link.target))
