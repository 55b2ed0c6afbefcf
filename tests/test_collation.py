"""Every list a voter sees is in the alphabetical order of the reply's language (CLDR collation):
regions, ballots, candidates, countries, missions, and the lists written into answers. Through
the real Dispatcher, in kk, ru and id."""

from __future__ import annotations

import re

import pytest
from aiogram.methods import EditMessageText, SendMessage

from bot.candidates.sample_data import DEMO_ELECTION, load_demo
from bot.conversation.assistant import Assistant
from bot.faq.entries import load_faq_files
from bot.languages import LANGS
from bot.telegram.local_chat import buttons
from bot.text.collation import collated, sort_key
from handlers.callbacks import ElectionCB, MenuCB, MissionCountryCB
from tests.test_handlers import only_message, result_of, sent


def test_the_collator_knows_each_alphabet() -> None:
    # Kazakh: Ә after А, Қ after К, У Ұ Ү in that order (code points would put Ү before Ұ)
    kazakh = ["Ана", "Әже", "Бала", "Кеме", "Қала", "Уақыт", "Ұлы", "Үлкен"]
    assert collated(reversed(kazakh), "kk") == kazakh
    assert sorted(kazakh) != kazakh  # a plain sort would be wrong
    assert collated(["Жук", "Ёлка", "Елка"], "ru") == ["Елка", "Ёлка", "Жук"]  # Ё with Е
    assert collated(["Бали", "Zebra", "Aceh"], "id") == ["Aceh", "Zebra", "Бали"]  # Latin first
    assert sort_key("Қала", "kk") > sort_key("Кеме", "kk")


@pytest.fixture
def demo(assistant: Assistant) -> Assistant:
    load_demo(assistant.db, 400, districts_per_region=2)
    return assistant


@pytest.mark.parametrize("lang", LANGS)
async def test_regions_ballots_and_candidates_in_order(chat_factory, demo, session, lang) -> None:
    chat = chat_factory(language_code=lang)
    menu = only_message(await chat.send("/menu"))
    section = only_message(await chat.press(MenuCB(section="candidates").pack(), result_of(session, menu)))
    regions = only_message(
        await chat.press(ElectionCB(election=DEMO_ELECTION).pack(), result_of(session, section))
    )
    names = [label for label, data in buttons(regions.reply_markup) if data.startswith("ca:")]
    assert len(names) > 10 and names == collated(names, lang)
    region = next(data for _, data in buttons(regions.reply_markup) if data.startswith("ca:"))
    ballots = only_message(await chat.press(region, result_of(session, regions)))
    titles = [label for label, data in buttons(ballots.reply_markup) if data.startswith("cb:")]
    assert len(titles) == 2 and titles == collated(titles, lang)
    pressed = await chat.press(buttons(ballots.reply_markup)[0][1], result_of(session, ballots))
    (page,) = [r for r in pressed if isinstance(r, SendMessage | EditMessageText)]
    people = [label for label, data in buttons(page.reply_markup) if data.startswith("cc:")]
    assert len(people) > 5 and people == collated(people, lang)


@pytest.mark.parametrize("lang", LANGS)
async def test_missions_of_a_country_in_order(chat_factory, session, lang) -> None:
    chat = chat_factory(language_code=lang)
    overview = sent(await chat.send("/abroad"))[0]
    pressed = await chat.press(MissionCountryCB(country="RU").pack(), result_of(session, overview))
    cities = [card.text.split("\n")[1].split(",")[0] for card in sent(pressed)]
    assert len(cities) >= 5 and cities == collated(cities, lang)  # Moscow and the consulates


ALPHABETICAL = {"kk": "(әліпби бойынша)", "ru": "(по алфавиту)", "id": "(urut abjad)"}


def test_lists_written_into_answers_are_in_order() -> None:
    """A list an answer calls alphabetical ("(по алфавиту): «Ак жол» 8,41%, ...") is."""
    found = 0
    for entry in load_faq_files():
        for lang in LANGS:
            for match in re.finditer(re.escape(ALPHABETICAL[lang]) + r":\s*([^.]+)\.", entry.answers[lang]):
                items = [re.sub(r"[«»\"]|\s*\d+,\d+%.*$", "", i).strip() for i in match.group(1).split(", ")]
                assert items == collated(items, lang), (entry.topic, lang, items)
                found += 1
    assert found >= 3  # the 2023 Mazhilis parties in each language
