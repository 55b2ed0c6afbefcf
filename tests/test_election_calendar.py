"""Election calendar: the next vote from the table, boundaries, formats in kk / ru / id."""

from __future__ import annotations

from datetime import date

import pytest

from bot.calendar.votes import countdown, next_election_text, recent, upcoming, votes, voting_hours
from bot.conversation.assistant import Assistant
from bot.conversation.render import topic_answer
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
    [("kk", "19 наурыз 2023 ж."), ("ru", "19 марта 2023 г."), ("id", "19 Maret 2023")],
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
    assert ("Выборы в маслихаты (тест)" in text) is is_next
    if today == VOTE_DAY:
        assert "сегодня" in text
    if today == date(2027, 3, 13):
        assert "завтра" in text and "14 марта 2027" in text


def test_without_scheduled_vote_lists_recent_ones(assistant: Assistant) -> None:
    text = next_election_text(assistant.db, "kk", date(2026, 11, 23))
    assert "жоспарланбаған" in text and "election.gov.kz" in text
    assert "15 наурыз 2026 ж." in text  # the 2026 referendum, the latest vote


def test_unverified_vote_is_not_announced(assistant: Assistant) -> None:
    all_votes = votes(assistant.db)
    kurultai = next(v for v in all_votes if "kurultai" in v.id)
    assert kurultai.status == "unverified"
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
