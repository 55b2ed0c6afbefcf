"""The conversation core decides every reply, and Telegram, the console and `ask` give the same one.

Each case is a message typed by a user of some interface language, with the kind of reply,
its language and the catalogue topic it must get. The same cases run through the core,
through the real Dispatcher (what a Telegram user receives), through `python -m bot ask
--json --ui` and through the local console.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import CandidateDirectory
from bot.candidates.importing import import_csv
from bot.conversation.assistant import Assistant
from bot.conversation.core import Knowledge, respond
from bot.conversation.render import plain, reply_texts
from bot.conversation.replies import KINDS, MissionCards, NoMission, OutOfScope, SmallTalk, Suggestions
from bot.conversation.smalltalk import classify
from bot.i18n import gettext
from bot.telegram.local_chat import buttons
from tests.test_candidate_handlers import REAL
from tests.test_cli import run
from tests.test_handlers import assert_valid_html

# (text, interface language, kind, reply language, topic)
CASES: list[tuple[str, str, str, str, str | None]] = [
    # small talk, in each language and spelling, answered in kind
    ("сәлем", "ru", "smalltalk", "kk", None),
    ("salem!", "ru", "smalltalk", "kk", None),
    ("салем бот", "id", "smalltalk", "kk", None),
    ("рахмет", "ru", "smalltalk", "kk", None),
    ("привет", "kk", "smalltalk", "ru", None),
    ("спасибо большое", "id", "smalltalk", "ru", None),
    ("ты кто?", "kk", "smalltalk", "ru", None),
    ("halo", "ru", "smalltalk", "id", None),
    ("makasih kak", "kk", "smalltalk", "id", None),
    ("sampai jumpa", "ru", "smalltalk", "id", None),
    ("ok", "id", "smalltalk", "id", None),  # no language of its own: the interface's
    ("hello", "kk", "smalltalk", "kk", None),
    # names are no evidence of a language: the interface language answers
    ("Tokayev", "ru", "candidates", "ru", "candidate-lists"),
    ("Toqaev", "ru", "candidates", "ru", "candidate-lists"),
    ("Тоқаев", "id", "candidates", "id", "candidate-lists"),
    ("Tokayev", "kk", "candidates", "kk", "candidate-lists"),
    ("кандидаты в Жетысу", "id", "candidates", "ru", "candidate-lists"),
    # places: a bare place name shows no language; an embassy question does
    ("Бали", "kk", "missions", "kk", "embassy"),
    ("Bali", "id", "missions", "id", "embassy"),
    ("Tokyo", "id", "missions", "id", "embassy"),
    ("Tokyo", "ru", "missions", "ru", "embassy"),
    ("Surabaya", "ru", "missions", "ru", "embassy"),
    ("Osaka", "kk", "missions", "kk", "embassy"),
    ("консульство в Казани", "kk", "missions", "ru", "embassy"),
    ("kedutaan di Tokyo", "ru", "missions", "id", "embassy"),
    ("Токиодағы елшілік", "ru", "missions", "kk", "embassy"),
    ("посольство в Аргентине", "kk", "no_mission", "ru", "embassy"),
    ("Kedutaan di Argentina", "ru", "no_mission", "id", "embassy"),
    ("Аргентинадағы елшілік", "id", "no_mission", "kk", "embassy"),
    # other countries' elections
    ("выборы президента США", "kk", "out_of_scope", "ru", None),
    ("когда выборы в Госдуму?", "id", "out_of_scope", "ru", None),
    ("kapan pemilu 2029 di Indonesia?", "ru", "out_of_scope", "id", None),
    ("Ресейдегі Дума сайлауы қашан?", "ru", "out_of_scope", "kk", None),
    ("berapa umur minimal untuk milih di pemilu Indonesia?", "ru", "out_of_scope", "id", None),
    ("кто будет участвовать в выборах президента Франции", "kk", "out_of_scope", "ru", None),
    # ... but voting *from* abroad is Kazakhstan's, also with words of taking part
    ("я живу в Германии, как проголосовать на выборах?", "kk", "faq", "ru", "voting-abroad"),
    ("Түркияда тұрамын, сайлауға қалай қатысамын?", "ru", "faq", "kk", "voting-abroad"),
    # the calendar and the FAQ, in the question's language
    ("когда выборы?", "kk", "calendar", "ru", "election-dates"),
    ("Келесі сайлау қашан болады?", "ru", "calendar", "kk", "election-dates"),
    ("Kapan pemilu berikutnya di Kazakhstan?", "kk", "calendar", "id", "election-dates"),
    ("Как голосовать на дому?", "id", "faq", "ru", "home-voting"),
    ("Сайлау учаскелері қашан ашылады?", "ru", "faq", "kk", "voting-hours"),
    ("Bagaimana cara memilih dari luar negeri?", "ru", "faq", "id", "voting-abroad"),
    # nothing known, nothing to read
    ("рецепт плова с бараниной и морковью", "kk", "unknown", "ru", None),
    ("resep nasi goreng yang enak dan gampang", "ru", "unknown", "id", None),
    ("бешбармақтың рецептін айтшы, етті қанша пісіремін", "ru", "unknown", "kk", None),
    ("🙂", "id", "no_text", "id", None),
    ("123 ?!", "kk", "no_text", "kk", None),
    ("👍👍", "ru", "no_text", "ru", None),
]
IDS = [f"{ui}:{text}" for text, ui, *_ in CASES]


@pytest.fixture
def knowledge(assistant: Assistant) -> Knowledge:
    assert import_csv(assistant.db, REAL.encode()).applied
    return Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))


def test_cases_cover_every_kind_in_every_language() -> None:
    covered = {(kind, lang) for _, _, kind, lang, _ in CASES}
    for kind in set(KINDS) - {"suggest"}:  # "did you mean" is tested on its own below
        for lang in ("kk", "ru", "id"):
            assert (kind, lang) in covered, (kind, lang)


@pytest.mark.parametrize(("text", "ui", "kind", "lang", "topic"), CASES, ids=IDS)
def test_core_decides(
    knowledge: Knowledge, text: str, ui: str, kind: str, lang: str, topic: str | None
) -> None:
    reply = respond(text, ui, knowledge)  # type: ignore[arg-type]
    assert (reply.kind, reply.lang, reply.topic) == (kind, lang, topic)
    for message in reply_texts(knowledge.assistant, reply):
        assert_valid_html(message)
        assert 0 < len(message) <= 4096


@pytest.mark.parametrize(
    "text",
    [
        "saya tinggal di Jepang, bisa ikut pemilu kz?",  # "kz" is Kazakhstan
        "бір ғана кандидат болса сайлау өте ме?",  # "ғана" (only) is not Ghana
        "bir gana kandidat bolsa saylau ote me",
    ],
)
def test_kazakhstans_elections_are_not_taken_for_foreign_ones(knowledge: Knowledge, text: str) -> None:
    assert respond(text, None, knowledge).kind != "out_of_scope"


def test_places_get_their_countrys_missions(knowledge: Knowledge) -> None:
    for text, country in [
        ("консульство в Казани", "RU"),
        ("Surabaya", "ID"),
        ("Osaka", "JP"),
        ("Бали", "ID"),
    ]:
        reply = respond(text, "ru", knowledge)
        assert isinstance(reply, MissionCards)
        assert {m.country for m in reply.missions} == {country}, text


def test_missions_and_countries_are_named_in_the_reply_language(knowledge: Knowledge) -> None:
    reply = respond("Tokyo", "id", knowledge)
    assert isinstance(reply, MissionCards)
    assert "Jepang" in reply_texts(knowledge.assistant, reply)[0]
    no = respond("посольство в Аргентине", "kk", knowledge)
    assert isinstance(no, NoMission) and no.countries == ("AR",)
    assert "Аргентина" in reply_texts(knowledge.assistant, no)[0]


def test_out_of_scope_says_what_the_bot_knows(knowledge: Knowledge) -> None:
    reply = respond("kapan pemilu 2029 di Indonesia?", "ru", knowledge)
    assert isinstance(reply, OutOfScope) and reply.countries == ("ID",)
    text = reply_texts(knowledge.assistant, reply)[0]
    assert "Kazakhstan" in text and "Indonesia" in text


@pytest.mark.parametrize(
    "text",
    [
        "я живу в Германии, как проголосовать на выборах?",  # voting abroad: Kazakhstan's vote
        "выборы в Казахстане, я сейчас в США, где голосовать?",
        "kapan pemilu di Kazakhstan?",
        "президент сайлауы қашан?",
    ],
)
def test_voting_from_abroad_and_kazakh_elections_stay_in_scope(knowledge: Knowledge, text: str) -> None:
    assert respond(text, "ru", knowledge).kind != "out_of_scope"


def test_small_talk_needs_the_whole_message() -> None:
    assert classify("сәлеметсіз бе!") is not None
    assert classify("сәлем, сайлау қашан?") is None  # a question after the greeting
    assert classify("спасибо, а где мой участок?") is None
    assert classify("привет бот") == classify("привет")


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
def test_did_you_mean_in_each_language(knowledge: Knowledge, lang: str) -> None:
    tries = {
        "kk": ("сайлау", "дауыс", "әкім", "мәслихат сайлау әкім"),
        "ru": ("выборы", "голосование", "аким", "маслихат выборы аким"),
        "id": (
            "pemilu",
            "suara",
            "akim",
            "maslikhat pemilu akim",
            "pemilu wajib atau tidak",
            "pemilu akim desa",
        ),
    }[lang]
    replies = [respond(t, lang, knowledge) for t in tries]  # type: ignore[arg-type]
    reply = next(r for r in replies if isinstance(r, Suggestions))
    assert reply.lang == lang and reply.suggestions
    assert reply_texts(knowledge.assistant, reply)[0] == gettext(
        "I am not sure I understood. Did you mean:", lang
    )


# --- the same replies through Telegram (the real Dispatcher) -------------------------------


@pytest.mark.parametrize(("text", "ui", "kind", "lang", "topic"), CASES, ids=IDS)
async def test_telegram_shows_what_the_core_decided(
    chat_factory, knowledge: Knowledge, text: str, ui: str, kind: str, lang: str, topic: str | None
) -> None:
    chat = chat_factory(language_code=ui)
    sent = await chat.send(text)
    reply = respond(text, ui, knowledge)  # type: ignore[arg-type]
    expected = reply_texts(knowledge.assistant, reply)
    assert [m.text for m in sent] == expected
    labels = [label for m in sent for label, _ in buttons(m.reply_markup)]
    if kind in ("faq", "calendar"):
        assert "👍 " + gettext("Helpful", lang) in labels  # buttons in the reply's language
    elif kind in ("smalltalk", "out_of_scope", "unknown", "no_text"):
        assert "🗳 " + gettext("How to vote", lang) in labels  # the menu, in the reply's language
    elif kind == "missions":
        assert "🔔 " + gettext("Remind me to vote here", lang) in labels
    elif kind == "candidates":
        assert "☰ " + gettext("Main menu", lang) in labels


async def test_small_talk_is_not_recorded_as_unanswered(chat_factory, assistant: Assistant) -> None:
    chat = chat_factory(language_code="ru")
    for text in ("привет", "спасибо", "halo", "рахмет", "ты кто?"):
        await chat.send(text)
        assert isinstance(respond(text, "ru", Knowledge(assistant, *_directories(assistant))), SmallTalk)
    assert assistant.db["unanswered"].count == 0
    assert assistant.db.execute("SELECT count(*) FROM question_counts").fetchone()[0] == 0
    await chat.send("рецепт плова с бараниной и морковью")
    assert assistant.db["unanswered"].count == 1  # a real miss still is


def _directories(assistant: Assistant) -> tuple[CandidateDirectory, MissionDirectory]:
    return CandidateDirectory(assistant.db), MissionDirectory(assistant.db)


# --- the same replies through `ask --json --ui` and the console ----------------------------


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "real.csv"
    path.write_text(REAL, encoding="utf-8")
    return path


@pytest.mark.parametrize("ui", ["kk", "ru", "id"])
def test_ask_json_gives_the_same_replies(tmp_path: Path, ui: str) -> None:
    assert run(["candidates", "import", str(_csv(tmp_path))], tmp_path).returncode == 0
    cases = [c for c in CASES if c[1] == ui]
    result = run(["ask", "--json", "--ui", ui, "-"], tmp_path, stdin="\n".join(c[0] for c in cases) + "\n")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["query"], r["kind"], r["reply_lang"], r["id"]) for r in records] == [
        (text, kind, lang, topic) for text, _, kind, lang, topic in cases
    ]
    for record in records:
        assert record["answer"] and "<b>" not in record["answer"]
        assert record["lang"] in (None, "kk", "ru", "id")
    names = [
        r for r in records if r["kind"] == "candidates" and r["query"] in ("Tokayev", "Toqaev", "Тоқаев")
    ]
    assert all(r["lang"] is None for r in names)  # a name is no evidence of a language


def test_console_shows_the_same_replies(tmp_path: Path, assistant: Assistant) -> None:
    texts = ["Бали", "привет", "выборы президента США", "Как голосовать на дому?"]
    result = run([], tmp_path, stdin="\n".join([*texts, "/quit"]) + "\n", LANG="ru_RU.UTF-8")
    assert result.returncode == 0, result.stderr
    knowledge = Knowledge(assistant, *_directories(assistant))
    for text in texts:
        for message in reply_texts(assistant, respond(text, "ru", knowledge)):
            assert plain(message) in result.stdout, text


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("Құрылтай сайлауы қашан болды?", "23 тамыз"),
        ("kurultai saylauy qashan", "23 тамыз"),
        ("Когда выборы в Курултай?", "23 августа"),
        ("когда были выборы в курултай", "23 августа"),
        ("Kapan pemilu Kurultai?", "23 Agustus"),
    ],
)
def test_the_kurultai_election_is_answered_with_its_date(
    knowledge: Knowledge, question: str, day: str
) -> None:
    reply = respond(question, None, knowledge)
    assert reply.kind in ("faq", "calendar") and reply.topic in ("kurultai", "election-dates")
    assert day in plain("\n".join(reply_texts(knowledge.assistant, reply)))


def test_the_national_kurultai_is_told_apart_from_the_parliament(knowledge: Knowledge) -> None:
    reply = respond("Ұлттық құрылтай деген не?", None, knowledge)
    text = plain("\n".join(reply_texts(knowledge.assistant, reply)))
    assert reply.topic == "kurultai" and "Ұлттық құрылтай" in text and "консультативтік" in text
