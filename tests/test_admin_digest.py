"""The admins' digest: votes past their date without results, unverified votes, answers older
than STALE_AFTER_DAYS, drafts, weak sources; sent once a day per admin in their language, and
shown by /stale. Through the real Dispatcher and the scheduler's own round."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage

from bot.admin import digest
from bot.conversation.assistant import Assistant
from bot.delivery import users
from bot.i18n import gettext
from bot.languages import LANGS
from bot.telegram.local_chat import LocalSession
from bot.telegram.scheduler import Digests, run_once
from bot.telegram.sender import RateLimiter
from bot.text.formatting import format_day
from tests.test_admin import OWNER, STRANGER
from tests.test_handlers import assert_valid_html

TODAY = date(2026, 12, 2)


def test_shipped_content_needs_the_kurultai_results_and_no_source_work(assistant: Assistant) -> None:
    found = digest.build(assistant.db, TODAY, 90)
    assert "2026-08-23-kurultai" in {v.id for v in found.without_results}  # held, no results entered
    assert all(v.day < TODAY and v.turnout is None for v in found.without_results)
    assert "2024-10-06-referendum" not in {v.id for v in found.without_results}  # its turnout is in
    assert found.weak == ()  # every shipped source is a specific page
    assert {t for t, _ in found.drafts} >= {"maslikhat-ballots-abroad"}  # a seeded draft waits


def test_age_is_configurable_and_each_problem_is_listed(assistant: Assistant) -> None:
    db = assistant.db
    db.execute("UPDATE faq_entries SET as_of = '2026-01-10' WHERE topic = 'voting-hours'")
    db.execute(
        "UPDATE faq_entries SET sources = ? WHERE topic = 'cec'", [json.dumps(["https://www.inform.kz"])]
    )
    db["elections"].update("2026-08-23-kurultai", {"status": "unverified"})
    assert [t for t, _ in digest.build(db, TODAY, 90).stale] == ["voting-hours"]
    assert digest.build(db, TODAY, 400).stale == ()  # younger than 400 days
    found = digest.build(db, TODAY, 90)
    assert [v.id for v in found.unverified] == ["2026-08-23-kurultai"]
    assert found.weak == (("faq", "cec", "a home page, not the page that says it"),)
    for lang in LANGS:
        text = digest.text(found, lang)
        assert_valid_html(text)
        assert format_day(date(2026, 1, 10), lang) in text and "voting-hours" in text
        assert gettext("a home page, not the page that says it", lang) in text
        assert len(text) < 4096


def test_nothing_to_do_says_so(assistant: Assistant) -> None:
    db = assistant.db
    db.execute("UPDATE elections SET turnout = 50.0 WHERE turnout IS NULL")
    db.execute("UPDATE faq_entries SET status = 'published' WHERE status = 'draft'")
    found = digest.build(db, TODAY, 90)
    assert found.empty
    assert gettext("Nothing needs attention.", "id") in digest.text(found, "id")
    assert digest.plan(db, datetime.now(UTC), [OWNER], 90) == 0  # nothing sent when nothing to do


async def test_sent_once_a_day_to_each_admin_in_their_language(assistant: Assistant) -> None:
    db, session = assistant.db, LocalSession()
    users.set_lang(db, OWNER, "id")
    users.set_lang(db, 2002, "kk")
    digests = Digests(admins=lambda: [OWNER, 2002], stale_after_days=90)
    bot = Bot("42:TEST-TOKEN", session=session)
    await run_once(bot, db, RateLimiter(per_second=1000, per_chat_seconds=0), digests)
    await run_once(bot, db, RateLimiter(per_second=1000, per_chat_seconds=0), digests)  # same day
    sent = {int(r.chat_id): r.text for r in session.requests if isinstance(r, SendMessage)}
    assert set(sent) == {OWNER, 2002}
    assert len([r for r in session.requests if isinstance(r, SendMessage)]) == 2  # once each
    assert gettext("Votes past their date without results", "id") in sent[OWNER]
    assert gettext("Votes past their date without results", "kk") in sent[2002]


@pytest.mark.parametrize("lang", LANGS)
async def test_stale_command_for_admins_only(people, assistant: Assistant, lang) -> None:
    owner = people(OWNER)
    users.set_lang(assistant.db, OWNER, lang)
    (reply,) = [r for r in await owner.send("/stale") if isinstance(r, SendMessage)]
    assert_valid_html(reply.text)
    assert gettext("Votes past their date without results", lang) in reply.text
    assert "/election_set 2026-08-23-kurultai" in reply.text
    stranger = [r for r in await people(STRANGER).send("/stale") if isinstance(r, SendMessage)]
    assert all("/election_set" not in r.text for r in stranger)
