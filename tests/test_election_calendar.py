"""Election calendar: the next vote from the table, boundaries, formats in kk / ru / id."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import escape

import pytest

from bot import audit
from bot.calendar.votes import (
    calendar_text,
    countdown,
    next_election_text,
    recent,
    upcoming,
    votes,
    voting_hours,
)
from bot.conversation.assistant import Assistant
from bot.conversation.render import dates_text, topic_answer
from bot.i18n import gettext
from bot.languages import LANGS
from bot.text.formatting import format_day
from tests.test_handlers import only_message

VOTE_DAY = date(2027, 3, 14)


@pytest.fixture
def scheduled(assistant: Assistant) -> Assistant:
    assistant.db["elections"].insert(
        {
            "id": "2027-03-14-test-maslikhats",
            "type": "maslikhat",
            "level": "regional",
            "date": VOTE_DAY.isoformat(),
            "status": "scheduled",
            "name_kk": "Мәслихат сайлауы (тест)",
            "name_ru": "Выборы в маслихаты (тест)",
            "name_id": "Pemilihan maslikhat (uji)",
            "sources": '["https://www.election.gov.kz"]',
            "is_sample": 0,
        }
    )
    return assistant


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("kk", "2023 жылғы 19 наурыз"), ("ru", "19 марта 2023 г."), ("id", "19 Maret 2023")],
)
def test_date_forms(lang: str, expected: str) -> None:
    assert format_day(date(2023, 3, 19), lang).replace("\u202f", " ").replace("\xa0", " ") == expected


@pytest.mark.parametrize(
    ("lang", "days", "expected"),
    [
        ("ru", 3, "через 3 дня"),
        ("ru", 5, "через 5 дней"),
        ("ru", 21, "через 21 день"),
        ("kk", 3, "3 күннен кейін"),
        ("id", 5, "dalam 5 hari"),
        ("ru", 1, "завтра"),
        ("kk", 0, "бүгін"),
        ("id", 0, "hari ini"),
    ],
)
def test_countdown_plurals(lang: str, days: int, expected: str) -> None:
    today = date(2027, 1, 1)
    assert countdown(date.fromordinal(today.toordinal() + days), today, lang) == expected


def test_voting_hours_in_local_formats() -> None:
    assert "07:00" in voting_hours("ru") and "20:00" in voting_hours("ru") and "UTC+5" in voting_hours("ru")
    assert "07.00–20.00" in voting_hours("id")


@pytest.mark.parametrize(
    ("today", "is_next"),
    [(date(2027, 3, 13), True), (date(2027, 3, 14), True), (date(2027, 3, 15), False)],
)
def test_next_vote_at_the_boundaries(scheduled: Assistant, today: date, is_next: bool) -> None:
    all_votes = votes(scheduled.db)
    assert bool(upcoming(all_votes, today)) is is_next
    text = next_election_text(scheduled.db, "ru", today)
    assert "Выборы в маслихаты (тест)" in text  # next, or held: never missing
    assert ("Ближайшее голосование" in text) is is_next
    if today == VOTE_DAY:
        assert "сегодня" in text
    if today == date(2027, 3, 13):
        assert "завтра" in text and "14 марта 2027" in text


@pytest.mark.parametrize(
    ("lang", "held", "no_results"),
    [
        ("kk", "2027 жылғы 14 наурыз", "нәтижелері бұл ботта әлі жоқ"),
        ("ru", "14 марта 2027\u202fг.", "результатов в этом боте пока нет"),
        ("id", "14 Maret 2027", "hasilnya belum ada di bot ini"),
    ],
)
def test_a_passed_vote_without_results_shows_as_held_on_its_day(
    scheduled: Assistant, lang: str, held: str, no_results: str
) -> None:
    after = date(2027, 3, 20)
    vote = next(v for v in votes(scheduled.db) if v.id == "2027-03-14-test-maslikhats")
    assert vote not in upcoming(votes(scheduled.db), after) and vote in recent(votes(scheduled.db), after)
    for text in (
        next_election_text(scheduled.db, lang, after),
        calendar_text(votes(scheduled.db), lang, after),
    ):
        line = next(line for line in text.splitlines() if vote.name(lang) in line)
        assert held in line and no_results in line and "election.gov.kz" in line


def test_a_vote_with_results_has_no_missing_results_note(assistant: Assistant) -> None:
    text = next_election_text(assistant.db, "ru", date(2026, 11, 23))
    line = next(line for line in text.splitlines() if "Референдум по новой Конституции" in line)
    assert "пока нет" not in line  # its turnout is in the table


def test_without_scheduled_vote_lists_recent_ones(assistant: Assistant) -> None:
    text = next_election_text(assistant.db, "kk", date(2026, 12, 2))
    assert "тағайындалмаған" in text and "election.gov.kz" in text
    assert "2026 жылғы 23 тамыз" in text and "Құрылтай" in text  # the Kurultai election, the latest vote


@pytest.mark.parametrize(
    ("lang", "name", "day"),
    [
        ("kk", "2026 жылғы Құрылтай сайлауы", "2026 жылғы 23 тамыз"),
        ("ru", "Выборы в Курултай 2026 года", "23 августа 2026\u202fг."),
        ("id", "Pemilihan Kurultai 2026", "23 Agustus 2026"),
    ],
)
def test_the_kurultai_election_is_in_the_calendar_with_its_source(
    assistant: Assistant, lang: str, name: str, day: str
) -> None:
    kurultai = next(v for v in votes(assistant.db) if "kurultai" in v.id)
    assert kurultai.status == "scheduled" and kurultai.day == date(2026, 8, 23)
    assert "https://timesca.com/?p=51256" in kurultai.sources
    text = next_election_text(assistant.db, lang, date(2026, 12, 2))
    assert f"{name}: {day}" in text


def test_unverified_vote_is_not_announced(assistant: Assistant) -> None:
    assistant.db["elections"].update("2026-08-23-kurultai", {"status": "unverified"})
    all_votes = votes(assistant.db)
    kurultai = next(v for v in all_votes if "kurultai" in v.id)
    day_before = date.fromordinal(kurultai.day.toordinal() - 1)
    assert kurultai not in upcoming(all_votes, day_before)
    assert kurultai not in recent(all_votes, date(2026, 11, 23))
    assert kurultai.name("ru") not in next_election_text(assistant.db, "ru", day_before)


def test_election_dates_topic_answers_from_the_table(scheduled: Assistant) -> None:
    text = topic_answer(scheduled, "election-dates", "id", today=date(2027, 3, 11))
    assert "Pemilihan maslikhat (uji)" in text and "14 Maret 2027" in text and "dalam 3 hari" in text


async def test_dates_command_links_candidates_and_statistics(chat_factory, scheduled: Assistant) -> None:
    from bot.candidates.importing import import_csv

    csv = "election_id,area,full_name,birth_year,source\n2023-03-19-maslikhats,Астана,Ким Ли,1980,src\n"
    assert import_csv(scheduled.db, csv.encode()).applied
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send("/dates"))
    assert "Выборы в маслихаты (тест)" in reply.text and "Последние голосования" in reply.text
    datas = [b.callback_data for row in reply.reply_markup.inline_keyboard for b in row]
    assert "ce:2023-03-19-maslikhats" in datas and "cs:2023-03-19-maslikhats" in datas


@pytest.mark.parametrize("lang", LANGS)
def test_calendar_answer_and_dates_show_when_they_were_checked(assistant: Assistant, lang: str) -> None:
    checked = assistant.entry("election-dates").as_of
    line = gettext("Checked on {date}", lang).format(date=format_day(checked, lang))
    assert escape(line) in topic_answer(assistant, "election-dates", lang, today=date(2026, 12, 2))
    assert escape(line) in dates_text(assistant, lang, date(2026, 12, 2), 5)
    with assistant.db.atomic():  # an admin's change to a vote is newer than the content
        audit.record(assistant.db, 1, "election.set", "2026-08-23-kurultai", after={"turnout": 60.0})
    today = format_day(datetime.now(UTC).date(), lang)
    assert escape(gettext("Checked on {date}", lang).format(date=today)) in dates_text(
        assistant, lang, date(2026, 12, 2), 5
    )
