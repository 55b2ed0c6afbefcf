"""Candidates through the real Dispatcher: browsing, pagination, free text, inline, stats."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, AnswerInlineQuery, EditMessageText, SendMessage
from aiogram.types import InlineQuery, Update

from bot.candidates.directory import CandidateDirectory, route_text
from bot.candidates.importing import import_csv
from bot.candidates.render import button_label, stats_text
from bot.candidates.sample_data import DEMO_ELECTION, load_demo
from bot.conversation.assistant import Assistant
from bot.telegram.local_chat import buttons
from bot.text.collation import collated
from handlers.callbacks import AreaCB, BallotCB, ElectionCB, MenuCB, StatsCB
from tests.test_handlers import assert_valid_html, only_message, result_of

ELECTION = "2023-03-19-maslikhats"
REAL = f"""election_id,area,constituency,full_name,birth_year,party,source
{ELECTION},Жетісу облысы,№1 округ,Тоқаев Қасым-Жомарт Кемелұлы,1953,self,https://example.test/list
{ELECTION},Жетісу облысы,№1 округ,Сейітова Айгүл,1980,Аманат,https://example.test/list
"""


@pytest.fixture
def loaded(assistant: Assistant) -> Assistant:
    assert import_csv(assistant.db, REAL.encode()).applied
    load_demo(assistant.db, 400, districts_per_region=1)
    return assistant


def sends(requests) -> list:
    return [r for r in requests if isinstance(r, SendMessage | EditMessageText)]


async def test_browse_election_region_ballot_pages_card(chat_factory, loaded, session) -> None:
    chat = chat_factory(language_code="ru")
    menu = only_message(await chat.send("/menu"))
    section = only_message(await chat.press(MenuCB(section="candidates").pack(), result_of(session, menu)))
    datas = [d for _, d in buttons(section.reply_markup)]
    assert (
        ElectionCB(election=DEMO_ELECTION).pack() in datas and ElectionCB(election=ELECTION).pack() in datas
    )
    assert StatsCB(election="2021-07-25-rural-akims").pack() in datas  # published totals
    regions = only_message(
        await chat.press(ElectionCB(election=DEMO_ELECTION).pack(), result_of(session, section))
    )
    region_data = next(d for _, d in buttons(regions.reply_markup) if d.startswith("ca:"))
    page1 = only_message(await chat.press(region_data, result_of(session, regions)))
    assert "ПРИМЕР ДАННЫХ" in page1.text  # sample data labelled
    assert "Страница 1 из 2" in page1.text  # 400 candidates / 20 regions = 20 per ballot, 10 per page
    names = [label for label, d in buttons(page1.reply_markup) if d.startswith("cc:")]
    assert len(names) == 10
    card_data = next(d for _, d in buttons(page1.reply_markup) if d.startswith("cc:"))
    card = only_message(await chat.press(card_data, result_of(session, page1)))
    assert "ПРИМЕР ДАННЫХ" in card.text and "Год рождения" in card.text and "Источник" in card.text
    assert_valid_html(card.text)
    next_data = next(d for label, d in buttons(page1.reply_markup) if label == "▶️")
    page2 = sends(await chat.press(next_data, result_of(session, page1)))[0]
    assert isinstance(page2, EditMessageText) and "Страница 2 из 2" in page2.text
    assert {label for label, _ in buttons(page2.reply_markup)}.isdisjoint(names)  # a different page


async def test_real_candidate_card_has_no_sample_label(chat_factory, loaded, session) -> None:
    chat = chat_factory(language_code="kk")
    reply = only_message(await chat.send("Tokayev"))
    options = buttons(reply.reply_markup)
    assert options[0][0] == "Тоқаев Қасым-Жомарт Кемелұлы (1953)"
    card = only_message(await chat.press(options[0][1], result_of(session, reply)))
    assert "ҮЛГІ" not in card.text and "өзін-өзі ұсынған" in card.text


@pytest.mark.parametrize("query", ["Тоқаев", "Токаев", "Tokayev", "Toqaev", "токаев", "Токаевв"])
async def test_name_in_any_script_finds_the_person(chat_factory, loaded, query: str) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send(query))
    assert buttons(reply.reply_markup)[0][0].startswith("Тоқаев Қасым-Жомарт")


@pytest.mark.parametrize(
    ("text", "expected", "lang"),
    [
        ("кандидаты в Жетысу", "Сейітова Айгүл (1980)", "ru"),
        ("Жетісу облысының кандидаттары", "Тоқаев Қасым-Жомарт Кемелұлы (1953)", "kk"),
        ("Аманат", "Сейітова Айгүл (1980)", "ru"),
    ],
)
async def test_area_and_party_questions_list_candidates(
    chat_factory, loaded, text: str, expected: str, lang: str
) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send(text))
    found = route_text(CandidateDirectory(loaded.db), text)
    assert found is not None and expected in [button_label(c) for c in found.results]
    shown = [label for label, _ in buttons(reply.reply_markup) if "(" in label]
    assert len(shown) > 1 and shown == collated(shown, lang)  # neutral: alphabetical in the reply's language


async def test_faq_questions_still_reach_the_faq(chat_factory, loaded) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send("Во сколько открываются избирательные участки?"))
    assert "07:00" in reply.text


@pytest.mark.parametrize(
    "data",
    ["ce:no-such", "ca:no-such:abai", "cb:999999:0", "cb:1:-1", "cc:999999", "cs:no-such", "cb:x:y", "cc:"],
)
async def test_forged_or_stale_candidate_buttons(chat_factory, loaded, data: str) -> None:
    chat = chat_factory(language_code="ru")
    requests = await chat.press(data)
    answers = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert len(answers) == 1 and answers[0].show_alert and answers[0].text


async def test_stale_page_number_shows_last_page(chat_factory, loaded, session) -> None:
    directory = CandidateDirectory(loaded.db)
    ballot = directory.ballots_of(DEMO_ELECTION, directory.areas_of(DEMO_ELECTION, "ru")[0], "ru")[0]
    chat = chat_factory(language_code="ru")
    menu = only_message(await chat.send("/menu"))
    reply = sends(
        await chat.press(BallotCB(ballot=ballot["rowid"], page=99).pack(), result_of(session, menu))
    )[0]
    assert "Страница 2 из 2" in reply.text


async def test_inline_mode_returns_shareable_cards(chat_factory, loaded) -> None:
    chat = chat_factory(language_code="id")
    query = InlineQuery(id="q1", from_user=chat.user, query="Toqaev", offset="")
    requests = await chat.feed(Update(update_id=99, inline_query=query))
    (answer,) = [r for r in requests if isinstance(r, AnswerInlineQuery)]
    first = answer.results[0]
    assert first.title == "Тоқаев Қасым-Жомарт Кемелұлы"
    assert "Tahun lahir: 1953" in first.input_message_content.message_text
    assert len(answer.results) <= 50


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ru", ["2 297 кандидатов", "730 мест", "3,1", "878 (38,2 %)", "1 419 (61,8 %)"]),
        ("kk", ["2 297 кандидат", "730 орын", "3,1", "878 (38,2%)", "1 419 (61,8%)"]),  # CLDR: no space
        ("id", ["2.297 kandidat", "730 kursi", "3,1", "878 (38,2%)", "1.419 (61,8%)"]),
    ],
)
def test_statistics_numbers_and_plurals(assistant: Assistant, lang: str, expected: list[str]) -> None:
    directory = CandidateDirectory(assistant.db)
    text = stats_text(directory, directory.stats("2021-07-25-rural-akims"), lang).replace("\xa0", " ")
    text = text.replace("\u202f", " ")
    for part in expected:
        assert part in text, (part, text)


@pytest.mark.parametrize(
    ("n", "word"), [(1, "кандидат"), (3, "кандидата"), (5, "кандидатов"), (21, "кандидат")]
)
def test_russian_candidate_plurals(assistant: Assistant, n: int, word: str) -> None:
    from bot.i18n import ngettext

    assert ngettext("{n} candidate", "{n} candidates", n, "ru").format(n=n) == f"{n} {word}"


async def test_area_callback_lists_ballots(chat_factory, loaded, session) -> None:
    chat = chat_factory(language_code="ru")
    menu = only_message(await chat.send("/menu"))
    reply = only_message(
        await chat.press(AreaCB(election=ELECTION, area="jetisu").pack(), result_of(session, menu))
    )
    assert "Жетысуская" in reply.text or "Сейітова" in str(buttons(reply.reply_markup))
