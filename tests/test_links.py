"""Deep links, Share buttons, inline answers and "no dead ends", through the real Dispatcher."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlsplit

import pytest
from aiogram.methods import AnswerInlineQuery, EditMessageReplyMarkup, SendMessage, SendPhoto
from aiogram.types import InlineQuery, Update

from bot.abroad.missions import MISSION_ID
from bot.candidates.directory import CandidateDirectory
from bot.candidates.sample_data import DEMO_ELECTION, load_demo
from bot.charts import PNG_SIGNATURE
from bot.config import load_settings
from bot.conversation import deep_links
from bot.conversation.assistant import Assistant
from bot.delivery import reminders, users
from bot.faq.entries import ContentError, parse_entry
from bot.i18n import gettext
from bot.telegram.command_menus import commands
from bot.telegram.console import INTRO, run_console
from bot.telegram.local_chat import buttons, links
from handlers.callbacks import CardCB, LangCB, StatsCB, SubscribeCB
from tests.test_handlers import assert_valid_html, result_of

USERNAME = "saylau_bot"  # what LocalSession's getMe answers


def sent(requests: list) -> list[SendMessage]:
    return [r for r in requests if isinstance(r, SendMessage)]


def shared(markup: object) -> str:
    """The link a Share button passes on (t.me/share/url?url=<link>)."""
    (url,) = [u for _, u in links(markup)]
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("t.me", "/share/url")
    return parse_qs(parts.query)["url"][0]


# --- payloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "kind", "target"),
    [
        ("home-voting", "topic", "home-voting"),
        ("m-id-jakarta-embassy", "mission", "id-jakarta-embassy"),
        ("c-42", "candidate", "42"),
        ("c-" + "9" * 18, "candidate", "9" * 18),
    ],
)
def test_payloads_parse_and_round_trip(payload: str, kind: str, target: str) -> None:
    link = deep_links.parse(payload)
    assert link is not None and (link.kind, link.target) == (kind, target)
    assert link.payload == payload
    assert deep_links.start_url(USERNAME, link) == f"https://t.me/{USERNAME}?start={payload}"


@pytest.mark.parametrize(
    "payload",
    [None, "", "home voting", "ДОМ", "x" * 65, "c-", "c-0", "c-12a", "c-" + "9" * 19, "a/b", "home-voting\n"],
)
def test_malformed_payloads_open_nothing(payload: str | None) -> None:
    assert deep_links.parse(payload) is None


def test_topic_ids_cannot_look_like_mission_or_candidate_links() -> None:
    for topic in ("m-voting", "c-12"):
        with pytest.raises(ContentError):
            parse_entry({"topic": topic}, "test.yaml")
    longest = "zz-" + "a" * 59
    assert MISSION_ID.fullmatch(longest) and not MISSION_ID.fullmatch(longest + "a")
    assert len(deep_links.mission_link(longest).payload) == deep_links.MAX_PAYLOAD


# --- opening links ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
async def test_start_with_a_topic_opens_its_answer_with_share_and_menu(
    chat_factory, assistant: Assistant, lang: str
) -> None:
    chat = chat_factory(language_code=lang)
    (answer,) = sent(await chat.send("/start voting-hours"))
    assert assistant.entries["voting-hours"].titles[lang] in answer.text
    assert shared(answer.reply_markup) == f"https://t.me/{USERNAME}?start=voting-hours"
    labels = [label for label, _ in buttons(answer.reply_markup)]
    assert "☰ " + gettext("Main menu", lang) in labels
    assert answer.reply_parameters is None  # a link is no question to quote


async def test_start_with_a_link_for_a_user_of_another_language_offers_the_languages(chat_factory) -> None:
    chat = chat_factory(language_code="en")
    answer, choose = sent(await chat.send("/start voting-hours"))
    assert "07:00" in answer.text
    assert [data for _, data in buttons(choose.reply_markup)] == [
        LangCB(code=c).pack() for c in ("kk", "ru", "id")
    ]


async def test_start_with_a_mission_opens_its_card(chat_factory) -> None:
    chat = chat_factory(language_code="id")
    (card,) = sent(await chat.send("/start m-id-jakarta-embassy"))
    assert "Jakarta" in card.text
    assert shared(card.reply_markup) == f"https://t.me/{USERNAME}?start=m-id-jakarta-embassy"
    assert "menu:home" in [data for _, data in buttons(card.reply_markup)]


async def test_start_with_a_candidate_opens_the_card_labelled_as_sample(
    chat_factory, assistant: Assistant
) -> None:
    load_demo(assistant.db, 30)
    candidate_id = assistant.db.execute("SELECT min(id) FROM candidates").fetchone()[0]
    chat = chat_factory(language_code="ru")
    (card,) = sent(await chat.send(f"/start c-{candidate_id}"))
    assert gettext("sample data", "ru").upper() in card.text.upper()
    assert shared(card.reply_markup) == f"https://t.me/{USERNAME}?start=c-{candidate_id}"
    datas = [data for _, data in buttons(card.reply_markup)]
    assert "menu:home" in datas and any(d.startswith("cb:") for d in datas)  # the menu and back


@pytest.mark.parametrize("payload", ["c-999999", "m-zz-nowhere", "no-such-topic", "x" * 80])
async def test_stale_or_unknown_links_greet_as_usual(chat_factory, payload: str) -> None:
    chat = chat_factory(language_code="ru")
    (greeting,) = sent(await chat.send(f"/start {payload}"))
    assert "Saylau" in greeting.text and "выборах" in greeting.text


async def test_a_typed_answer_and_a_candidate_card_carry_share_buttons(
    chat_factory, assistant: Assistant
) -> None:
    load_demo(assistant.db, 30)
    chat = chat_factory(language_code="ru")
    (answer,) = sent(await chat.send("Как проголосовать на дому?"))
    assert shared(answer.reply_markup) == f"https://t.me/{USERNAME}?start=home-voting"
    menu = sent(await chat.send("/menu"))[0]
    candidate_id = assistant.db.execute("SELECT min(id) FROM candidates").fetchone()[0]
    pressed = await chat.press(CardCB(candidate=candidate_id).pack(), result_of(chat.session, menu))
    (card,) = sent(pressed)
    assert shared(card.reply_markup).endswith(f"?start=c-{candidate_id}")


# --- no dead ends -----------------------------------------------------------------------------


async def test_after_a_vote_share_and_the_menu_stay(chat_factory, session) -> None:
    chat = chat_factory(language_code="kk")
    (answer,) = sent(await chat.send("/start voting-hours"))
    vote = next(data for _, data in buttons(answer.reply_markup) if data.endswith(":1"))
    (edit,) = [
        r for r in await chat.press(vote, result_of(session, answer)) if isinstance(r, EditMessageReplyMarkup)
    ]
    datas = [data for _, data in buttons(edit.reply_markup)]
    assert datas == ["menu:home"]  # the vote buttons went, the way on stayed
    assert shared(edit.reply_markup).endswith("?start=voting-hours")


async def test_election_statistics_come_as_a_chart_with_the_figures_and_the_menu(
    chat_factory, assistant: Assistant, session
) -> None:
    load_demo(assistant.db, 40)
    chat = chat_factory(language_code="kk")
    menu = sent(await chat.send("/menu"))[0]
    requests = await chat.press(StatsCB(election=DEMO_ELECTION).pack(), result_of(session, menu))
    (photo,) = [r for r in requests if isinstance(r, SendPhoto)]
    png = session.photos[-1][1]
    assert png.startswith(PNG_SIGNATURE) and len(png) > 5_000
    assert gettext("sample data", "kk").upper() in photo.caption.upper()
    assert "40" in photo.caption and len(photo.caption) <= 1024
    assert_valid_html(photo.caption)
    assert "menu:home" in [data for _, data in buttons(photo.reply_markup)]
    stats = CandidateDirectory(assistant.db).stats(DEMO_ELECTION)
    assert stats is not None and stats.candidates == 40


async def test_subscribe_twice_says_already_subscribed(chat_factory, session) -> None:
    chat = chat_factory(language_code="ru")
    offer = sent(await chat.send("/subscribe"))[0]
    assert "уже" not in offer.text
    (done,) = sent(
        await chat.press(SubscribeCB(election=reminders.ALL_VOTES).pack(), result_of(session, offer))
    )
    again = sent(await chat.send("/subscribe"))[0]
    assert "уже" in again.text and "/unsubscribe" in again.text
    (twice,) = sent(
        await chat.press(SubscribeCB(election=reminders.ALL_VOTES).pack(), result_of(session, again))
    )
    assert "уже" in twice.text and twice.text != done.text


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
async def test_help_lists_every_voter_command(chat_factory, lang: str) -> None:
    chat = chat_factory(language_code=lang)
    (help_,) = sent(await chat.send("/help"))
    for command in commands(lang):
        assert f"/{command.command} — {command.description}" in help_.text
    assert {"/unsubscribe", "/abroad", "/dates"} <= set(help_.text.split())
    assert f"@{USERNAME}" in help_.text  # inline sharing
    assert_valid_html(help_.text)


async def test_reminders_follow_the_language_the_user_changes_to(
    chat_factory, assistant: Assistant, session
) -> None:
    chat = chat_factory(language_code="ru")
    offer = sent(await chat.send("/subscribe"))[0]
    await chat.press(SubscribeCB(election=reminders.ALL_VOTES).pack(), result_of(session, offer))
    choose = sent(await chat.send("/language"))[0]
    await chat.press(LangCB(code="id").pack(), result_of(session, choose))
    (row,) = reminders.subscriptions_of(assistant.db, chat.user.id)
    assert row["lang"] == "id"
    assert users.get_lang(assistant.db, chat.user.id) == "id"  # reminder_text reads the row's language


# --- inline mode ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "lang"),
    [("үйде дауыс беру", "kk"), ("голосование на дому", "ru"), ("memilih di rumah", "id")],
)
async def test_inline_offers_the_answer_card_in_the_language_typed(
    chat_factory, assistant: Assistant, typed: str, lang: str
) -> None:
    chat = chat_factory(language_code="ru")
    query = InlineQuery(id="q1", from_user=chat.user, query=typed, offset="")
    (answer,) = [
        r
        for r in await chat.feed(Update(update_id=7, inline_query=query))
        if isinstance(r, AnswerInlineQuery)
    ]
    first = answer.results[0]
    assert first.id == f"t:home-voting:{lang}"
    assert first.title == assistant.entries["home-voting"].titles[lang]
    assert_valid_html(first.input_message_content.message_text)
    (opened,) = [u for _, u in links(first.reply_markup)]
    assert opened == f"https://t.me/{USERNAME}?start=home-voting"
    assert len({r.id for r in answer.results}) == len(answer.results)


# --- the console ------------------------------------------------------------------------------


async def _console(assistant: Assistant, lines: list[str], language_code: str) -> str:
    out = io.StringIO()
    feed = iter([*lines, "/quit"])
    await run_console(assistant, load_settings(bot_token=None), lambda _: next(feed), out, language_code)
    return out.getvalue()


async def test_console_number_after_a_message_without_buttons_is_text(assistant: Assistant) -> None:
    out = await _console(assistant, ["Как проголосовать на дому?", "/privacy", "1"], "ru")
    assert gettext("Thank you for the feedback!", "ru") not in out  # "1" did not press "helpful"
    assert "Поделиться: https://t.me/share/url?" in out  # links are printed, not numbered


async def test_console_introduction_is_english_for_other_terminals(assistant: Assistant) -> None:
    english = await _console(assistant, [], "en")
    assert english.startswith(INTRO) and "/language" in INTRO
    russian = await _console(assistant, [], "ru")
    assert russian.startswith(gettext(INTRO, "ru")) and gettext(INTRO, "ru") != INTRO
