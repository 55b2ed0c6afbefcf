"""Question counts are added up in memory and written every few seconds, before /stats reads
them and when the bot stops: no count is lost by a clean stop, and none is written per update."""

from __future__ import annotations

from datetime import date

from bot.config import load_settings
from bot.faq import stats
from bot.faq.stats import QuestionTally
from bot.telegram.app import create_dispatcher
from bot.telegram.local_chat import LocalChat
from tests.conftest import OWNER


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def totals(db) -> dict[tuple[str, str], int]:
    return {
        (lang, topic): n for lang, topic, n in db.execute("SELECT lang, topic, count FROM question_counts")
    }


def test_counts_are_written_together_after_the_interval(assistant) -> None:
    db, clock = assistant.db, Clock()
    tally = QuestionTally(db, every=5.0, clock=clock)
    day = date(2026, 12, 6)
    for topic in ("voting-hours", "voting-hours", None):
        tally.add("ru", topic, day)
    assert totals(db) == {} and tally.pending() == 3
    clock.now = 5.0
    tally.add("kk", "voting-hours", day)  # the interval is over: all four are written
    assert totals(db) == {("ru", "voting-hours"): 2, ("ru", stats.UNANSWERED): 1, ("kk", "voting-hours"): 1}
    assert tally.pending() == 0
    tally.add("ru", "voting-hours", day)
    tally.flush()  # adds to what is stored
    assert totals(db)[("ru", "voting-hours")] == 3


async def test_a_voters_question_is_not_written_at_once_and_stats_shows_it(people, assistant) -> None:
    statements: list[str] = []
    assistant.db.conn.set_trace_callback(statements.append)
    await people(2002).send("Во сколько открываются избирательные участки?")
    assistant.db.conn.set_trace_callback(None)
    assert not [s for s in statements if "question_counts" in s]
    assert assistant.question_tally.pending() == 1
    await people(OWNER).send("/stats")
    assert sum(totals(assistant.db).values()) == 1 and assistant.question_tally.pending() == 0


async def test_stopping_the_bot_writes_the_pending_counts(assistant, bot, session) -> None:
    dp = create_dispatcher(assistant, load_settings(bot_token=None), throttle=False)
    await LocalChat(dp, bot, session, language_code="ru").send("Во сколько открываются участки?")
    assert assistant.question_tally.pending() == 1
    await dp.emit_shutdown(bot=bot)
    assert sum(totals(assistant.db).values()) == 1 and assistant.question_tally.pending() == 0
