"""What a voter receives, as a :class:`bot.faq.evaluation.Verdict`: the measure of the
whole conversation core (small talk, candidates, places, other countries' elections and
the FAQ), the same decisions Telegram, the console and the CLI render."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation.core import Knowledge, respond
from bot.faq.evaluation import Verdict

ANSWERING = ("faq", "calendar", "candidates", "missions", "no_mission")  # replies that answer a topic


def voter_judge(knowledge: Knowledge) -> Callable[[str], Verdict]:
    """A judge giving, for a message, the topic answered and the topics offered."""

    def judge(text: str) -> Verdict:
        ranking = knowledge.assistant.matcher.rank(text, limit=1)
        reply = respond(text, None, knowledge)
        answered = reply.topic if reply.kind in ANSWERING else None
        best = ranking[0].topic if ranking else None
        return Verdict(best, answered, reply.suggestions, reply.detected)

    return judge
