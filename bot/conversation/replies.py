"""What the bot makes of a voter's message: one small type per kind of reply.

Every reply carries the language it is written in (``lang``), the language detected in
the question (``detected``: None when the text shows none, such as a name or "ok") and the
catalogue topic it answers (``topic``). :mod:`bot.conversation.render` turns a reply into
text; handlers add the keyboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.abroad.missions import Mission
from bot.candidates.directory import CandidateQuery
from bot.conversation.smalltalk import Act
from bot.languages import Lang

KINDS = (
    "faq",
    "suggest",
    "candidates",
    "missions",
    "no_mission",
    "calendar",
    "smalltalk",
    "out_of_scope",
    "unknown",
    "no_text",
)


@dataclass(frozen=True, kw_only=True)
class Reply:
    """The common part of every reply."""

    kind: ClassVar[str]
    lang: Lang
    detected: Lang | None
    score: float = 0.0

    @property
    def topic(self) -> str | None:
        """The catalogue topic this reply answers, or None."""
        return None

    @property
    def suggestions(self) -> tuple[str, ...]:
        """Topics offered as "did you mean"."""
        return ()


@dataclass(frozen=True, kw_only=True)
class FaqAnswer(Reply):
    """A published FAQ entry answers the question."""

    kind: ClassVar[str] = "faq"
    answer_topic: str

    @property
    def topic(self) -> str | None:
        return self.answer_topic


@dataclass(frozen=True, kw_only=True)
class Calendar(Reply):
    """When the next vote is: answered from the elections table."""

    kind: ClassVar[str] = "calendar"

    @property
    def topic(self) -> str | None:
        return "election-dates"


@dataclass(frozen=True, kw_only=True)
class Suggestions(Reply):
    """Not sure: "did you mean" one of these topics?"""

    kind: ClassVar[str] = "suggest"
    topics: tuple[str, ...]

    @property
    def suggestions(self) -> tuple[str, ...]:
        return self.topics


@dataclass(frozen=True, kw_only=True)
class CandidateResults(Reply):
    """Candidates found by name, area or party."""

    kind: ClassVar[str] = "candidates"
    query: CandidateQuery

    @property
    def topic(self) -> str | None:
        return "candidate-lists"


@dataclass(frozen=True, kw_only=True)
class MissionCards(Reply):
    """Embassies and consulates for the place a voter named."""

    kind: ClassVar[str] = "missions"
    missions: tuple[Mission, ...]

    @property
    def topic(self) -> str | None:
        return "embassy"


@dataclass(frozen=True, kw_only=True)
class NoMission(Reply):
    """The countries a voter named have no mission in the list."""

    kind: ClassVar[str] = "no_mission"
    countries: tuple[str, ...]

    @property
    def topic(self) -> str | None:
        return "embassy"


@dataclass(frozen=True, kw_only=True)
class SmallTalk(Reply):
    """A greeting, thanks, "who are you", "menu" or a goodbye."""

    kind: ClassVar[str] = "smalltalk"
    act: Act


@dataclass(frozen=True, kw_only=True)
class OutOfScope(Reply):
    """About another country's elections: the bot knows Kazakhstan's."""

    kind: ClassVar[str] = "out_of_scope"
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Unknown(Reply):
    """No answer: "I don't know", and the topics."""

    kind: ClassVar[str] = "unknown"


@dataclass(frozen=True, kw_only=True)
class NoText(Reply):
    """Nothing to read: emoji, digits, punctuation only."""

    kind: ClassVar[str] = "no_text"
