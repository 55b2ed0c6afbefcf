"""Handlers through the real Dispatcher, with the Bot API faked in-process (FIFO)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, SendMessage
from aiogram.types import Message, PhotoSize, Sticker, Voice

from bot.conversation.assistant import Assistant
from bot.conversation.render import topic_answer
from bot.delivery import users
from bot.faq.entries import read_faq
from bot.faq.menu import MORE, SECTIONS
from bot.i18n import gettext
from bot.telegram.local_chat import buttons
from handlers.callbacks import LangCB, MenuCB, TopicCB


def sent(requests: list[Any]) -> list[SendMessage]:
    return [r for r in requests if isinstance(r, SendMessage)]


def only_message(requests: list[Any]) -> SendMessage:
    messages = sent(requests)
    assert len(messages) == 1, [m.text for m in messages]
    return messages[0]


class _TagCheck(HTMLParser):
    """Telegram's HTML: only known tags, balanced."""

    ALLOWED: frozenset[str] = frozenset({"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        assert tag in self.ALLOWED, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack.pop() == tag, tag


def assert_valid_html(text: str) -> None:
    checker = _TagCheck()
    checker.feed(text)
    checker.close()
    assert not checker.stack
    assert len(text) <= 4096


def result_of(session: Any, request: SendMessage) -> Message:
    """The Message the fake API returned for a SendMessage (to press its buttons)."""
    found = [
        m for m in session.messages.values() if m.text == request.text and m.from_user and m.from_user.is_bot
    ]
    return found[-1]


async def test_start_greets_in_telegram_language(chat_factory, assistant: Assistant) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send("/start"))
    assert "Saylau" in reply.text and "выборах" in reply.text
    labels = [label for label, _ in buttons(reply.reply_markup)]
    assert any("Даты выборов" in label for label in labels)
    assert any("Язык" in label for label in labels)


async def test_start_asks_for_language_when_unknown(chat_factory, assistant: Assistant, session) -> None:
    chat = chat_factory(language_code="en")
    ask = only_message(await chat.send("/start"))
    datas = [data for _, data in buttons(ask.reply_markup)]
    assert datas == [LangCB(code=c).pack() for c in ("kk", "ru", "id")]
    # choose Indonesian: stored, greeting in Indonesian
    requests = await chat.press(LangCB(code="id").pack(), result_of(session, ask))
    assert users.get_lang(assistant.db, chat.user.id) == "id"
    greeting = only_message(requests)
    assert "Halo" in greeting.text
    # the choice wins over Telegram's language from now on
    menu = only_message(await chat.send("/menu"))
    assert menu.text == gettext("Choose a topic:", "id")


async def test_language_command_changes_language(chat_factory, assistant: Assistant, session) -> None:
    chat = chat_factory(language_code="ru")
    offer = only_message(await chat.send("/language"))
    await chat.press(LangCB(code="kk").pack(), result_of(session, offer))
    assert users.get_lang(assistant.db, chat.user.id) == "kk"
    help_text = only_message(await chat.send("/help")).text
    assert "тақырып" in help_text


@pytest.mark.parametrize(
    ("question", "lang", "label"),
    [
        ("Во сколько открываются избирательные участки?", "ru", "Источник"),
        ("Сайлау учаскелері нешеде ашылады?", "kk", "Дереккөз"),
        ("Jam berapa TPS dibuka?", "id", "Sumber"),
    ],
)
async def test_question_answered_in_its_language(chat_factory, question: str, lang: str, label: str) -> None:
    chat = chat_factory(language_code="ru")
    answer = only_message(await chat.send(question))
    assert "07:00" in answer.text or "07.00" in answer.text
    assert label in answer.text
    assert answer.reply_parameters is not None  # quotes the question
    datas = [data for _, data in buttons(answer.reply_markup)]
    assert any(d.startswith("fb:voting-hours:" + lang) for d in datas)
    assert_valid_html(answer.text)


async def test_interface_stays_in_chosen_language(chat_factory, assistant: Assistant) -> None:
    chat = chat_factory(language_code="ru")
    answer = only_message(await chat.send("Jam berapa TPS dibuka?"))
    labels = [label for label, _ in buttons(answer.reply_markup)]
    assert "👍 " + gettext("Helpful", "id") in labels  # buttons in the reply's language
    assert "Sumber" in answer.text  # answer in the question's language
    menu = only_message(await chat.send("/menu"))
    assert menu.text == gettext("Choose a topic:", "ru")  # the interface stays Russian


async def test_not_helpful_records_question_without_identity(
    chat_factory, assistant: Assistant, session
) -> None:
    chat = chat_factory(language_code="ru")
    question = "Во сколько закрываются участки?"
    answer = only_message(await chat.send(question))
    vote = next(d for _, d in buttons(answer.reply_markup) if d.endswith(":0"))
    requests = await chat.press(vote, result_of(session, answer))
    assert any(isinstance(r, AnswerCallbackQuery) for r in requests)
    assert any(isinstance(r, EditMessageReplyMarkup) for r in requests)  # no second vote
    rows = list(assistant.db["unanswered"].rows)
    assert [(r["text"], r["reason"], r["topic"]) for r in rows] == [(question, "not_helpful", "voting-hours")]
    assert str(chat.user.id) not in str(rows)
    votes = list(assistant.db["feedback"].rows)
    assert votes[0]["not_helpful"] == 1 and votes[0]["helpful"] == 0


async def test_helpful_vote_counted(chat_factory, assistant: Assistant, session) -> None:
    chat = chat_factory(language_code="kk")
    answer = only_message(await chat.send("Сайлау учаскелері нешеде ашылады?"))
    vote = next(d for _, d in buttons(answer.reply_markup) if d.endswith(":1"))
    await chat.press(vote, result_of(session, answer))
    assert next(iter(assistant.db["feedback"].rows))["helpful"] == 1
    assert assistant.db["unanswered"].count == 0


async def test_out_of_scope_gets_dont_know_and_menu(chat_factory, assistant: Assistant) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send("Какой рецепт у бешбармака?"))
    assert reply.text.startswith("Извините, я не знаю")
    assert any(d == MenuCB(section="vote").pack() for _, d in buttons(reply.reply_markup))
    (row,) = assistant.db["unanswered"].rows
    assert row["reason"] == "no_match" and row["lang"] == "ru" and "бешбармак" in row["text"]


async def test_did_you_mean_and_none_of_these(chat_factory, assistant: Assistant, session) -> None:
    chat = chat_factory(language_code="ru")
    question = next(
        q
        for q in ("выборы", "голосование", "аким", "сайлау", "маслихат выборы аким")
        if assistant.ask(q, record=False).kind == "suggest"
    )
    reply = only_message(await chat.send(question))
    options = buttons(reply.reply_markup)
    assert 2 <= len(options) <= 4
    assert options[-1][1].startswith("none:")
    assert all(d.startswith("t:") for _, d in options[:-1])
    # choosing a suggestion answers it
    answer = only_message(await chat.press(options[0][1], result_of(session, reply)))
    assert "📎" in answer.text
    # "none of these" records the question and offers the menu
    requests = await chat.press(options[-1][1], result_of(session, reply))
    assert sent(requests)[-1].text.startswith("Извините")
    assert [r["text"] for r in assistant.db["unanswered"].rows_where("reason = 'none_of_these'")] == [
        question
    ]


async def test_every_published_topic_reachable_by_buttons(
    chat_factory, assistant: Assistant, session
) -> None:
    chat = chat_factory(language_code="kk")
    menu = only_message(await chat.send("/menu"))
    reached: set[str] = set()
    for _, section_data in buttons(menu.reply_markup):
        section = MenuCB.unpack(section_data).section
        if section not in {*SECTIONS, MORE}:
            continue
        listing = only_message(await chat.press(section_data, result_of(session, menu)))
        for _, data in buttons(listing.reply_markup):
            if data.startswith("t:"):
                topic = TopicCB.unpack(data).topic
                answer = only_message(await chat.press(data, result_of(session, listing)))
                assert_valid_html(answer.text)
                assert answer.text == topic_answer(assistant, topic, "kk")
                reached.add(topic)
    published = {e.topic for e in read_faq(assistant.db) if e.published}
    assert reached == published


@pytest.mark.parametrize(
    "fields",
    [
        {
            "sticker": Sticker(
                file_id="s",
                file_unique_id="s",
                type="regular",
                width=1,
                height=1,
                is_animated=False,
                is_video=False,
            )
        },
        {"photo": [PhotoSize(file_id="p", file_unique_id="p", width=1, height=1)]},
        {"voice": Voice(file_id="v", file_unique_id="v", duration=3)},
    ],
)
async def test_non_text_messages_get_a_reply(chat_factory, fields: dict) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send_message(**fields))
    assert "только текстовые" in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "😀😀🎉",
        "\u200b\u200f\u202e",
        "?!",
    ],
)
async def test_no_words_gets_a_prompt(chat_factory, assistant: Assistant, text: str) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send(text))
    assert reply.text == gettext("Please type your question in words, or choose a topic:", "ru")
    assert assistant.db["unanswered"].count == 0


@pytest.mark.parametrize(
    "text",
    [
        "а" * 4096,
        "<script>alert(1)</script> когда выборы & <b>",
        "\u202eкогда открываются участки\u200b?",
        "Сайлау 🗳️ қашан?" * 200,
        "ﷺ مرحبا متى الانتخابات",
    ],
)
async def test_odd_text_gets_a_valid_reply(chat_factory, assistant: Assistant, text: str) -> None:
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send(text[:4096]))
    assert reply.text
    assert_valid_html(reply.text)
    assert "<script>" not in reply.text
    for row in assistant.db["unanswered"].rows:
        assert len(row["text"]) <= 500


@pytest.mark.parametrize(
    "data",
    [
        "t:no-such-topic:ru",
        "t:voting-hours:xx",
        "fb:voting-hours:ru:7",
        "lang:en",
        "menu:nope",
        "garbage",
        "t:" + "x" * 60,
        "none:zz",
    ],
)
async def test_forged_callback_data_gets_clear_reply(chat_factory, data: str) -> None:
    chat = chat_factory(language_code="ru")
    requests = await chat.press(data)
    answers = [r for r in requests if isinstance(r, AnswerCallbackQuery)]
    assert len(answers) == 1
    assert answers[0].text and ("устарела" in answers[0].text or "недоступна" in answers[0].text)


async def test_unknown_command(chat_factory) -> None:
    chat = chat_factory(language_code="id")
    reply = only_message(await chat.send("/nonsense"))
    assert reply.text == gettext("I don't know this command. Choose a topic or type your question:", "id")


async def test_privacy_and_forget(chat_factory, assistant: Assistant, session) -> None:
    chat = chat_factory(language_code="en")
    assert "ничего" not in only_message(await chat.send("/privacy")).text  # English Telegram: kk default
    offer = only_message(await chat.send("/language"))
    await chat.press(LangCB(code="ru").pack(), result_of(session, offer))
    shown = only_message(await chat.send("/privacy")).text
    assert str(chat.user.id) in shown and "Русский" in shown
    assert "Done" not in only_message(await chat.send("/forget")).text
    assert users.user_data(assistant.db, chat.user.id) is None
    assert "ничего" in only_message(await chat.send("/privacy")).text.lower() or "ештеңе" in (
        only_message(await chat.send("/privacy")).text
    )


async def test_error_is_logged_and_apologised(
    chat_factory, assistant: Assistant, monkeypatch, caplog
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(assistant.matcher, "match", boom)
    chat = chat_factory(language_code="ru")
    reply = only_message(await chat.send("когда выборы?"))
    assert reply.text == gettext(
        "Sorry, something went wrong on my side. Please try again in a moment.", "ru"
    )
    assert "simulated failure" in caplog.text


async def test_flood_is_throttled(chat_factory) -> None:
    chat = chat_factory(language_code="ru", throttle=True)
    replies = []
    for _ in range(14):
        replies.extend(sent(await chat.send("когда открываются участки?")))
    warnings = [r for r in replies if "Слишком много" in r.text]
    assert len(warnings) == 1
    assert len(replies) == 11  # ten answers, one warning, the rest dropped
