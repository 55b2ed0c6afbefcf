"""Voting abroad: polling stations per mission and election, unknown countries, /abroad."""

from __future__ import annotations

from datetime import date, time, timedelta
from html import escape
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
import yaml
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import Location, ReplyKeyboardMarkup, ReplyKeyboardRemove
from babel.dates import format_time

from bot.abroad.missions import (
    MFA_MISSIONS_URL,
    MissionDirectory,
    load_missions,
    mission_card,
    no_mission_text,
    parse_missions,
)
from bot.calendar.votes import kazakhstan_today, votes
from bot.content.reference import load_reference_data
from bot.conversation.assistant import Assistant
from bot.conversation.render import topic_answer
from bot.db import open_database
from bot.faq.entries import ContentError
from bot.i18n import gettext
from bot.telegram.command_menus import commands
from bot.telegram.local_chat import buttons
from bot.text.collation import collated
from bot.text.formatting import format_day
from handlers.callbacks import MenuCB, MissionCountryCB
from tests.test_handlers import assert_valid_html, only_message, result_of, sent
from tests.test_missions import MISSIONS

LANGS = ("kk", "ru", "id")
VOTE = "2099-01-01-test-kurultai"
NAMES = {"kk": "Құрылтай сайлауы (тест)", "ru": "Выборы в Курултай (тест)", "id": "Pemilihan Kurultai (uji)"}
OPEN = "Polling station for {election} ({date}): open here {start}–{end} local time ({offset})."
NOT_ANNOUNCED = "Polling station for {election} ({date}): not announced yet: check the mission's website."
CLOSED = (
    "No polling station opens here for {election} ({date}): check the mission's website for the nearest one."
)
WAS_OPEN = "A polling station was open here for {election} ({date})."
FORGED = "This country is not in my list of missions. Open the list again: /abroad"


def vote_day() -> date:
    return kazakhstan_today() + timedelta(days=40)


def schedule_vote(db, day: date | None = None) -> date:
    """A scheduled vote (not a sample) in the elections table."""
    day = day or vote_day()
    db["elections"].insert(
        {
            "id": VOTE,
            "type": "parliament",
            "level": "national",
            "date": day.isoformat(),
            "status": "scheduled",
            **{f"name_{lang}": name for lang, name in NAMES.items()},
            "sources": '["https://www.election.gov.kz"]',
            "is_sample": 0,
        }
    )
    return day


def open_station(db, mission_id: str, hours: str = "07:00-20:00", is_open: bool = True) -> None:
    db["mission_polling"].insert(
        {"mission_id": mission_id, "election_id": VOTE, "open": int(is_open), "hours": hours, "source": "CEC"}
    )


def line(template: str, lang: str, day: date, **values: str) -> str:
    return escape(gettext(template, lang).format(election=NAMES[lang], date=format_day(day, lang), **values))


# --- seed validation ---------------------------------------------------------------------


def write(tmp_path: Path, items: list[dict]) -> Path:
    path = tmp_path / "missions.yaml"
    path.write_text(yaml.safe_dump(items, allow_unicode=True), encoding="utf-8")
    return path


def station(**fields: object) -> dict:
    """A polling_stations item: the 2023 Mazhilis election, open 07:00-20:00, unless changed."""
    return {"election": "2023-03-19-mazhilis", "open": True, "hours": "07:00-20:00", "source": "x"} | fields


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Asia/Atlantis"}, "timezone"),
        ({"timezone": None}, "timezone"),
        ({"timezone": "../etc/passwd"}, "timezone"),
        ({"polling_stations": [station(election="1999-nope")]}, r"polling_stations\[0\]\.election"),
        ({"polling_stations": [station(open="yes")]}, r"polling_stations\[0\]\.open"),
        ({"polling_stations": [station(hours=None)]}, r"polling_stations\[0\]\.hours"),
        ({"polling_stations": [station(hours="7-20")]}, r"polling_stations\[0\]\.hours"),
        ({"polling_stations": [station(hours="20:00-07:00")]}, r"polling_stations\[0\]\.hours"),
        (
            {"polling_stations": [station(open=False, hours=None, source="")]},
            r"polling_stations\[0\]\.source",
        ),
        ({"polling_stations": [station(), station(open=False)]}, r"polling_stations\[1\]\.election"),
        ({"polling_stations": "Jakarta"}, "polling_stations"),
    ],
)
def test_bad_timezone_or_polling_station_names_file_entry_and_field(
    tmp_path: Path, change: dict, field: str
) -> None:
    path = write(tmp_path, [dict(MISSIONS[0], **change)])
    with pytest.raises(ContentError, match=rf"missions\.yaml: entry 'id-jakarta-embassy': field '{field}'"):
        parse_missions(path, {"2023-03-19-mazhilis"})


def test_polling_rows_loaded_with_missions_and_replaced_on_reload(tmp_path: Path) -> None:
    db = open_database(tmp_path / "p.db")
    load_reference_data(db)
    seeded = {"election": "2023-03-19-mazhilis", "open": True, "hours": "07:00-20:00", "source": "CEC"}
    load_missions(db, write(tmp_path, [dict(MISSIONS[0], polling_stations=[seeded])]))
    assert [(r["mission_id"], r["open"], r["hours"]) for r in db["mission_polling"].rows] == [
        ("id-jakarta-embassy", 1, "07:00-20:00")
    ]
    jakarta = MissionDirectory(db).find("Jakarta")[0]
    assert jakarta.timezone == "Asia/Jakarta" and jakarta.polling["2023-03-19-mazhilis"].open
    admin = {"mission_id": "id-jakarta-embassy", "election_id": "2024-10-06-referendum", "open": 1}
    db["mission_polling"].insert(admin | {"hours": "07:00-20:00", "source": "admin"})  # not from the file
    closed = dict(seeded, open=False, hours=None)
    load_missions(db, write(tmp_path, [dict(MISSIONS[0], polling_stations=[closed])]))
    polling = {r["election_id"]: (r["open"], r["hours"]) for r in db["mission_polling"].rows}
    assert polling == {"2023-03-19-mazhilis": (0, None), "2024-10-06-referendum": (1, "07:00-20:00")}
    load_missions(db, write(tmp_path, [MISSIONS[0]]))  # the seeded station is gone, the admin's stays
    assert [r["election_id"] for r in db["mission_polling"].rows] == ["2024-10-06-referendum"]
    # an invalid file changes nothing
    with pytest.raises(ContentError):
        load_missions(db, write(tmp_path, [dict(MISSIONS[0], polling_stations=[seeded], timezone="Nowhere")]))
    assert [r["election_id"] for r in db["mission_polling"].rows] == ["2024-10-06-referendum"]
    assert db["missions"].get("id-jakarta-embassy")["timezone"] == "Asia/Jakarta"


def test_shipped_missions_have_time_zones_sources_and_sourced_stations(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.db")
    load_reference_data(db)
    shipped = MissionDirectory(db)
    assert len(shipped.missions) > 60 and len({m.country for m in shipped.missions}) > 50
    for mission in shipped.missions:
        assert mission.timezone and ZoneInfo(mission.timezone).key == mission.timezone, mission.id
        assert mission.sources, mission.id
        if mission.verified:  # a confirmed field needs an official page among the sources
            assert any(urlsplit(s).hostname.endswith(("gov.kz", "mfa.kz")) for s in mission.sources), (
                mission.id
            )
    zones = {m.id: m.timezone for m in shipped.missions}
    assert zones["id-jakarta-embassy"] == "Asia/Jakarta" and zones["ru-omsk-consulate"] == "Asia/Omsk"
    stations = {(r["mission_id"], r["election_id"]): r for r in db["mission_polling"].rows}
    assert all(r["source"].startswith("https://") for r in stations.values())
    assert stations["id-jakarta-embassy", "2023-03-19-mazhilis"]["hours"] == "07:00-20:00"
    assert stations["ae-dubai-consulate", "2026-03-15-referendum"]["open"] == 0  # closed in March 2026
    assert {e for _, e in stations} >= {
        "2022-06-05-referendum",
        "2023-03-19-mazhilis",
        "2024-10-06-referendum",
    }


# --- the card ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
async def test_card_shows_the_station_local_hours_and_gmt_offset(
    chat_factory, assistant: Assistant, lang
) -> None:
    day = schedule_vote(assistant.db)
    open_station(assistant.db, "id-jakarta-embassy")
    chat = chat_factory(language_code=lang)
    question = {"kk": "Джакартадағы елшілік", "ru": "посольство в Джакарте", "id": "Kedutaan di Jakarta"}[
        lang
    ]
    card = only_message(await chat.send(question)).text
    assert_valid_html(card)
    hours = {
        "start": format_time(time(7), "short", locale=lang),
        "end": format_time(time(20), "short", locale=lang),
    }
    assert line(OPEN, lang, day, offset="GMT+07:00", **hours) in card
    assert NAMES[lang] in card and format_day(day, lang) in card and "GMT+07:00" in card
    assert "2023" not in card.split("📎")[0]  # the next vote wins over the past one
    assert "CEC" in card  # the station's source


async def test_offset_follows_summer_time_on_the_vote_day(tmp_path: Path) -> None:
    db = open_database(tmp_path / "dst.db")
    london = dict(MISSIONS[0], id="gb-london-embassy", timezone="Europe/London")
    load_missions(db, write(tmp_path, [london]))
    for day, offset in ((date(2099, 7, 1), "GMT+01:00"), (date(2099, 12, 1), "GMT+00:00")):
        db["mission_polling"].delete_where()
        db["elections"].delete_where()
        schedule_vote(db, day)
        open_station(db, "gb-london-embassy", "08:00-21:00")
        card = mission_card(
            MissionDirectory(db).missions[0], "ru", calendar=votes(db), today=date(2099, 1, 1)
        )
        assert f"({offset})" in card


@pytest.mark.parametrize("lang", LANGS)
async def test_card_says_not_announced_without_a_row(chat_factory, assistant: Assistant, lang) -> None:
    day = schedule_vote(assistant.db)
    chat = chat_factory(language_code=lang)
    question = {"kk": "Анкарадағы елшілік", "ru": "посольство в Анкаре", "id": "Kedutaan di Ankara"}[lang]
    card = only_message(await chat.send(question)).text
    assert "Ankara" in card or "Анкара" in card
    assert line(NOT_ANNOUNCED, lang, day) in card


def test_card_says_when_no_station_opens(tmp_path: Path) -> None:
    db = open_database(tmp_path / "c.db")
    load_reference_data(db)
    day = schedule_vote(db)
    open_station(db, "tr-istanbul-consulate", is_open=False)
    istanbul = next(m for m in MissionDirectory(db).missions if m.id == "tr-istanbul-consulate")
    card = mission_card(istanbul, "id", calendar=votes(db), today=kazakhstan_today())
    assert line(CLOSED, "id", day) in card and "GMT" not in card


@pytest.mark.parametrize("lang", LANGS)
async def test_card_shows_the_past_station_in_jakarta(chat_factory, assistant: Assistant, lang) -> None:
    chat = chat_factory(language_code=lang)
    question = {"kk": "Джакартадағы елшілік", "ru": "посольство в Джакарте", "id": "Kedutaan di Jakarta"}[
        lang
    ]
    card = only_message(await chat.send(question)).text
    referendum = next(v for v in votes(assistant.db) if v.id == "2024-10-06-referendum")
    expected = gettext(WAS_OPEN, lang).format(
        election=referendum.name(lang), date=format_day(referendum.day, lang)
    )
    assert escape(expected) in card  # the latest past vote with a sourced station there
    assert "astanatimes.com/2024/10/" in card.split("📎")[1]  # and its source
    assert MFA_MISSIONS_URL in card  # contacts not confirmed: where to look
    # Ankara had no station then: nothing is claimed
    other = only_message(await chat.send({"kk": "Анкарадағы елшілік", "ru": "посольство в Анкаре",
                                          "id": "Kedutaan di Ankara"}[lang])).text  # fmt: skip
    assert "🗳" not in other


# --- unknown countries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "question", "country"),
    [
        ("ru", "посольство в Аргентине", "Аргентина"),
        ("id", "Kedutaan di Argentina", "Argentina"),
        ("kk", "Аргентинадағы елшілік", "Аргентина"),
        ("ru", "есть ли консульство в Чили?", "Чили"),
        ("kk", "Чилидегі елшілік қайда?", "Чили"),
        ("id", "Di mana kedutaan Kazakhstan di Cile?", "Cile"),
    ],
)
async def test_country_without_a_mission_is_named(
    chat_factory, lang: str, question: str, country: str
) -> None:
    chat = chat_factory(language_code=lang)
    reply = only_message(await chat.send(question)).text
    assert country in reply and MFA_MISSIONS_URL in reply
    assert reply == no_mission_text([{"Аргентина": "AR", "Argentina": "AR"}.get(country, "CL")], lang)
    assert "🏛" not in reply
    assert_valid_html(reply)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("посольство в Аргентине", ["AR"]),
        ("в Нигерии", ["NG"]),
        ("в Нигере", ["NE"]),
        ("посольство в Гвинее-Бисау", ["GW"]),
        ("на Филиппинах", ["PH"]),
        ("в Новой Зеландии", ["NZ"]),
        ("Togo embassy", ["TG"]),
        ("посольство того государства", []),  # "того" is a word, not Togo
        ("Елшілікте наурызда дауыс беруге бола ма?", []),  # наурыз (March) is not Nauru
        ("kedutaan sudah buka?", []),  # sudah is not Sudan
        ("kedutaan malam hari", []),  # malam is not Malawi
        ("самовыдвижение через посольство", []),  # not Samoa
        ("елшиликте бюллетеньге калай белги коямын", []),  # белги (mark) is not Belgium
        ("Kedutaan di Kazakhstan", []),  # not a foreign country
        ("Құрылтайға қатар тұрып дауыс бердік", []),  # қатар (side by side) is not Qatar
    ],
)
def test_country_names_without_false_friends(tmp_path: Path, text: str, codes: list[str]) -> None:
    db = open_database(tmp_path / "n.db")
    load_reference_data(db)
    assert MissionDirectory(db).countries_without_mission(text) == codes


@pytest.mark.parametrize(
    "text", ["Kedutaan di Argentina", "kedutaan besar", "Посольство", "елшілігі", "KBRI"]
)
def test_embassy_words_are_folded_like_messages(text: str) -> None:
    assert MissionDirectory.asks_for_mission(text)  # "kedutaan" folds to "kedutan"


def test_babel_names_reach_missions_we_have(tmp_path: Path) -> None:
    db = open_database(tmp_path / "b.db")
    load_reference_data(db)
    missions = MissionDirectory(db)
    assert [m.id for m in missions.find("kedutaan di Malaysia")] == ["my-kuala-lumpur-embassy"]
    assert [m.id for m in missions.find("Indonesia")] == ["id-jakarta-embassy"]  # not India
    assert missions.countries_without_mission("посольство в Индонезии") == []


@pytest.mark.parametrize(
    ("lang", "question"),
    [("ru", "посольство в Индонезии"), ("id", "Kedutaan di Jakarta"), ("ru", "есть ли консульство на Бали?")],
)
async def test_countries_with_missions_still_get_cards(chat_factory, lang: str, question: str) -> None:
    chat = chat_factory(language_code=lang)
    replies = sent(await chat.send(question))
    assert any(r.text.startswith("🏛") and ("Jakarta" in r.text or "Джакарта" in r.text) for r in replies)
    assert not any("🏛" not in r.text and MFA_MISSIONS_URL in r.text for r in replies)  # no "not found"


# --- /abroad -----------------------------------------------------------------------------

# Neighbours in each language's alphabet: Kazakh Ә after every А word, Russian Ё with Е.
NEIGHBOURS = {
    "kk": ("Аустралия", "Әзербайжан", "Беларусь"),
    "ru": ("Австрия", "Азербайджан", "Армения"),
    "id": ("Afrika Selatan", "Amerika Serikat", "Arab Saudi"),
}


@pytest.mark.parametrize("lang", LANGS)
async def test_abroad_command(chat_factory, assistant: Assistant, lang: str) -> None:
    day = schedule_vote(assistant.db)
    chat = chat_factory(language_code=lang)
    overview, prompt = sent(await chat.send("/abroad"))
    assert_valid_html(overview.text)
    assert overview.text.startswith(topic_answer(assistant, "voting-abroad", lang))
    assert f"{escape(NAMES[lang])}: {format_day(day, lang)}" in overview.text
    hours = gettext("Abroad, polling stations work {start}–{end} local time.", lang).format(
        start=format_time(time(7), "short", locale=lang), end=format_time(time(20), "short", locale=lang)
    )
    assert escape(hours) in overview.text
    labels = [label.split(" ", 1)[1] for label, _ in buttons(overview.reply_markup)]
    assert len(labels) == len(MissionDirectory(assistant.db).countries()) > 50  # countries, not missions
    assert labels == collated(labels, lang)
    first, second, third = (labels.index(name) for name in NEIGHBOURS[lang])
    assert first + 1 == second == third - 1
    datas = [data for _, data in buttons(overview.reply_markup)]
    assert all(MissionCountryCB.unpack(d).country.isupper() for d in datas)
    # the location button, in a reply keyboard
    assert isinstance(prompt.reply_markup, ReplyKeyboardMarkup)
    (button,) = [b for row in prompt.reply_markup.keyboard for b in row]
    assert (
        button.request_location and gettext("Share location to find the nearest mission", lang) in button.text
    )


async def test_abroad_without_a_scheduled_vote_says_so(chat_factory) -> None:
    chat = chat_factory(language_code="ru")
    overview = sent(await chat.send("/abroad"))[0]
    assert escape(gettext("No vote is scheduled at the moment.", "ru")) in overview.text
    assert "Курултай" not in overview.text.split("📎")[-1]  # the unverified 2026 vote is never announced


async def test_country_button_shows_its_missions(chat_factory, session) -> None:
    chat = chat_factory(language_code="kk")
    overview = sent(await chat.send("/abroad"))[0]
    turkey = next(data for label, data in buttons(overview.reply_markup) if "Түркия" in label)
    cards = sent(await chat.press(turkey, result_of(session, overview)))
    assert [c.text.split("\n")[0] for c in cards] == [
        "🏛 <b>Қазақстан Республикасының Түркия Республикасындағы Елшілігі</b>",
        "🏛 <b>Қазақстан Республикасының Ыстамбұлдағы Бас консулдығы</b>",
    ]
    indonesia = MissionCountryCB(country="ID").pack()
    (card,) = sent(await chat.press(indonesia, result_of(session, overview)))
    assert "Джакарта" in card.text and "2024" in card.text.split("📎")[0]  # the 2024 station


@pytest.mark.parametrize("data", ["mc:BR", "mc:id", "mc:", "mc:" + "X" * 60, "mc:ID:extra"])
async def test_forged_country_gets_an_alert(chat_factory, data: str) -> None:
    chat = chat_factory(language_code="ru")
    requests = await chat.press(data)
    (answer,) = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert answer.show_alert
    assert answer.text in (
        gettext(FORGED, "ru"),
        gettext("This button is out of date. Please open the menu again: /menu", "ru"),
    )
    assert not sent(requests)


async def test_location_answers_and_removes_the_keyboard(chat_factory) -> None:
    chat = chat_factory(language_code="id")
    await chat.send("/abroad")
    reply = only_message(await chat.send_message(location=Location(latitude=41.3, longitude=69.3)))
    assert isinstance(reply.reply_markup, ReplyKeyboardRemove)
    assert "Tashkent" in reply.text and "km" in reply.text


async def test_menu_reaches_the_abroad_path(chat_factory, session) -> None:
    chat = chat_factory(language_code="ru")
    menu = only_message(await chat.send("/menu"))
    section = only_message(await chat.press(MenuCB(section="abroad").pack(), result_of(session, menu)))
    datas = [data for _, data in buttons(section.reply_markup)]
    assert MenuCB(section="missions").pack() in datas
    overview, prompt = sent(await chat.press(MenuCB(section="missions").pack(), result_of(session, section)))
    assert len(buttons(overview.reply_markup)) > 50
    assert isinstance(prompt.reply_markup, ReplyKeyboardMarkup)


@pytest.mark.parametrize("lang", LANGS)
def test_abroad_in_the_command_menu(lang: str) -> None:
    described = {c.command: c.description for c in commands(lang)}
    assert described["abroad"] == gettext("voting abroad and embassies", lang)


@pytest.mark.parametrize(("text", "lang"), [("Бали", "ru"), ("Jakarta", "id"), ("Джакарта", "kk")])
async def test_a_bare_place_name_gets_its_mission(chat_factory, text: str, lang: str) -> None:
    requests = await chat_factory(language_code=lang).send(text)
    assert any("Indonesia" in r.text or "Индонези" in r.text for r in sent(requests)), text


async def test_a_short_question_without_a_place_is_not_taken_for_one(chat_factory) -> None:
    requests = await chat_factory(language_code="ru").send("кто такой аким")
    assert not any("🏛" in r.text for r in sent(requests))
