"""FAQ editing by admins through the real Dispatcher: authorisation, drafts never served,
preview → publish → undo / revert, refusals, YAML upload and export, audit entries."""

from __future__ import annotations

import pytest
import yaml
from aiogram.methods import AnswerCallbackQuery, SendDocument, SendMessage

from bot import audit
from bot.conversation.assistant import Assistant
from bot.faq import editing as faq
from bot.telegram.local_chat import buttons
from handlers.callbacks import (
    FaqDraftCB,
    FaqEditCB,
    FaqRevertCB,
    UnansweredCB,
    UnansweredPageCB,
    VoteCB,
)
from tests.test_admin import HELPER, OWNER, STRANGER
from tests.test_handlers import assert_valid_html, result_of

TOPIC = "voting-hours"
QUESTION = "Во сколько открываются избирательные участки?"
NEW_TITLE = "Часы работы участков (новое)"
SOURCE = "https://www.election.gov.kz/test-source"
NEW_TOPIC = "voting-fines"
NEW_QUESTION = "Есть ли штраф за неявку на выборы?"


def messages(requests) -> list[SendMessage]:
    return [r for r in requests if isinstance(r, SendMessage)]


def texts(requests) -> list[str]:
    return [r.text for r in messages(requests)]


def alerts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, AnswerCallbackQuery) and r.show_alert]


def answered_topic(requests) -> str | None:
    """The topic a voter was answered with (read from the helpful / not helpful buttons)."""
    for request in messages(requests):
        for _label, data in buttons(request.reply_markup):
            if data.startswith("fb:"):
                return VoteCB.unpack(data).topic
    return None


def draft_button(requests, action: str) -> tuple[str, SendMessage]:
    """The callback data of a draft's Publish / Discard / Preview button, and its message."""
    for request in messages(requests):
        for _label, data in buttons(request.reply_markup):
            if data.startswith("admfd:") and FaqDraftCB.unpack(data).action == action:
                return data, request
    raise AssertionError(f"no {action} button")


def live_title(assistant: Assistant, topic: str, lang: str = "ru") -> str | None:
    row = assistant.db.execute(
        "SELECT title FROM faq_texts WHERE topic = ? AND lang = ?", [topic, lang]
    ).fetchone()
    return row[0] if row else None


async def edit(chat, topic: str, field: str, lang: str | None, value: str, source: str = SOURCE):
    """Walk through /faq_edit; return the requests of the last step."""
    await chat.send(f"/faq_edit {topic}")
    await chat.press(FaqEditCB(step="field", value=field).pack())
    if lang is not None:
        await chat.press(FaqEditCB(step="lang", value=lang).pack())
    await chat.send(value)
    return await chat.send(source)


def new_entry(topic: str = NEW_TOPIC, **changes) -> dict:
    entry = {
        "topic": topic,
        "status": "published",
        "as_of": "2026-05-01",
        "sources": ["https://adilet.zan.kz/test"],
        "title": {"kk": "Айыппұл бар ма", "ru": "Штраф за неявку", "id": "Denda tidak memilih"},
        "questions": {
            "kk": ["Сайлауға бармасам айыппұл бар ма?"],
            "ru": [NEW_QUESTION, "Оштрафуют ли, если не пойти голосовать?"],
            "id": ["Apakah ada denda jika tidak memilih?"],
        },
        "answer": {
            "kk": "Жоқ. Дауыс беру — ерікті. (тест)",
            "ru": "Нет. Участие в выборах добровольное. (тест)",
            "id": "Tidak. Memilih bersifat sukarela. (uji)",
        },
    }
    entry.update(changes)
    return entry


def as_yaml(*entries: dict) -> bytes:
    return yaml.safe_dump_all(entries, allow_unicode=True, sort_keys=False).encode()


def drafts(assistant: Assistant) -> int:
    return assistant.db.execute("SELECT count(*) FROM faq_versions WHERE status = 'draft'").fetchone()[0]


FAQ_COMMANDS = [
    "/faq",
    f"/faq_show {TOPIC}",
    "/faq_edit",
    f"/faq_preview {TOPIC}",
    f"/faq_history {TOPIC}",
    f"/undo {TOPIC}",
    f"/faq_delete {TOPIC} source=x",
    "/faq_export",
    "/unanswered",
]


@pytest.mark.parametrize("command", FAQ_COMMANDS)
async def test_strangers_get_the_normal_reply_and_are_audited(people, assistant, command) -> None:
    stranger = people(STRANGER)
    requests = await stranger.send(command)
    assert texts(requests) == [texts(await stranger.send("/nosuchcommand"))[0]]
    assert not [r for r in requests if isinstance(r, SendDocument)]
    denied = audit.recent(assistant.db, action="denied")
    assert denied[-1].user_id == STRANGER and denied[-1].target == command
    assert not assistant.db.execute("SELECT count(*) FROM faq_versions").fetchone()[0]


async def test_owner_and_added_admin_may_use_them(people, assistant) -> None:
    owner, helper = people(OWNER), people(HELPER)
    assert not texts(await helper.send("/faq"))[0].startswith("📚")  # not an admin yet
    await owner.send(f"/addadmin {HELPER}")
    for chat in (owner, helper):
        listing = texts(await chat.send("/faq"))[0]
        assert listing.startswith("📚") and f"<code>{TOPIC}</code> v1" in listing
        assert_valid_html(listing)
    await owner.send(f"/removeadmin {HELPER}")
    assert not texts(await helper.send("/faq"))[0].startswith("📚")


@pytest.mark.parametrize(
    "data",
    [
        FaqDraftCB(version=1, action="publish").pack(),
        FaqRevertCB(version=1).pack(),
        FaqEditCB(step="topic", value=TOPIC).pack(),
        UnansweredCB(group=1, action="i").pack(),
        UnansweredPageCB(page=0).pack(),
    ],
)
async def test_strangers_buttons_are_refused_and_audited(people, assistant, data) -> None:
    await edit(people(OWNER), TOPIC, "title", "ru", NEW_TITLE)  # a draft a stranger might try to publish
    before = assistant.db.execute("SELECT count(*), max(status) FROM faq_versions WHERE id = 1").fetchone()
    requests = await people(STRANGER).press(data)
    assert alerts(requests) and not messages(requests)
    denied = audit.recent(assistant.db, action="denied")[0]
    assert denied.user_id == STRANGER and denied.target == data
    assert (
        assistant.db.execute("SELECT count(*), max(status) FROM faq_versions WHERE id = 1").fetchone()
        == before
    )
    assert live_title(assistant, TOPIC) != NEW_TITLE


async def test_forged_buttons_alert_the_admin(people, assistant) -> None:
    owner = people(OWNER)
    for data in ("admfd:abc:publish", "admfd:1:explode", FaqDraftCB(version=999, action="publish").pack()):
        assert alerts(await owner.press(data)), data
    assert alerts(await owner.press(FaqRevertCB(version=999).pack()))
    assert alerts(await owner.press(FaqEditCB(step="lang", value="ru").pack()))  # not in that step
    assert not audit.recent(assistant.db, action="faq.publish")


async def test_draft_preview_publish_undo_and_revert(people, assistant, session) -> None:
    owner, voter = people(OWNER), people(STRANGER)
    old_title = live_title(assistant, TOPIC)
    assert answered_topic(await voter.send(QUESTION)) == TOPIC

    saved = await edit(owner, TOPIC, "title", "ru", NEW_TITLE)
    assert texts(saved)[0].startswith("✏️") and f"{TOPIC}" in texts(saved)[0]
    answer = " ".join(texts(await voter.send(QUESTION)))
    assert old_title in answer and NEW_TITLE not in answer  # drafts are never served

    preview = await owner.send(f"/faq_preview {TOPIC}")
    kk, ru, id_, control = messages(preview)
    assert NEW_TITLE in ru.text and old_title not in ru.text and NEW_TITLE not in kk.text + id_.text
    assert "title.ru" in control.text and SOURCE in control.text
    for message in (kk, ru, id_, control):
        assert_valid_html(message.text)
    publish, message = draft_button(preview, "publish")

    done = await owner.press(publish, result_of(session, message))
    assert texts(done)[0].startswith("✅")
    assert NEW_TITLE in " ".join(texts(await voter.send(QUESTION)))
    entry = audit.recent(assistant.db, action="faq.publish")[0]
    assert entry.user_id == OWNER and entry.target == TOPIC
    assert entry.before["title"]["ru"] == old_title and entry.after["title"]["ru"] == NEW_TITLE
    assert SOURCE in entry.note
    assert alerts(await owner.press(publish))  # pressing twice publishes nothing more

    assert texts(await owner.send(f"/undo {TOPIC}"))[0].startswith("↩️")
    answer = " ".join(texts(await voter.send(QUESTION)))
    assert old_title in answer and NEW_TITLE not in answer
    undo = audit.recent(assistant.db, action="faq.undo")[0]
    assert undo.before["title"]["ru"] == NEW_TITLE and undo.after["title"]["ru"] == old_title

    history = messages(await owner.send(f"/faq_history {TOPIC}"))[-1]
    assert all(f"v{n} ·" in history.text for n in (1, 2, 3))
    restore_v2 = next(d for label, d in buttons(history.reply_markup) if label.endswith("v2"))
    await owner.press(restore_v2)
    assert NEW_TITLE in " ".join(texts(await voter.send(QUESTION)))
    assert audit.recent(assistant.db, action="faq.revert")[0].after["title"]["ru"] == NEW_TITLE
    statuses = [v.status for v in faq.history(assistant.db, TOPIC)]
    assert statuses == ["published", "superseded", "superseded", "superseded"]  # nothing lost
    assert audit.recent(assistant.db, action="faq.draft")[0].note.endswith(SOURCE)


async def test_discard_keeps_the_draft_in_history(people, assistant, session) -> None:
    owner = people(OWNER)
    await edit(owner, TOPIC, "add_question", "ru", "новая формулировка про часы работы")
    discard, message = draft_button(await owner.send(f"/faq_preview {TOPIC}"), "discard")
    await owner.press(discard, result_of(session, message))
    assert faq.open_draft(assistant.db, TOPIC) is None
    assert [v.status for v in faq.history(assistant.db, TOPIC)] == ["discarded", "published"]
    assert audit.recent(assistant.db, action="faq.discard")[0].target == TOPIC
    (reply,) = messages(await owner.send(f"/faq_preview {TOPIC}"))  # nothing to preview any more
    assert reply.reply_markup is None and f"/faq_edit {TOPIC}" in reply.text


async def test_new_topic_needs_every_language_and_a_source(people, assistant, session) -> None:
    owner = people(OWNER)
    await edit(owner, NEW_TOPIC, "title", "ru", "Штраф за неявку")
    preview = await owner.send(f"/faq_preview {NEW_TOPIC}")
    control = messages(preview)[-1]
    assert "title.kk" in control.text and "answer.ru" in control.text and "sources" in control.text
    assert not [
        d
        for _, d in buttons(control.reply_markup)
        if d.startswith("admfd:") and FaqDraftCB.unpack(d).action == "publish"
    ]
    (version,) = [v for v in faq.history(assistant.db, NEW_TOPIC)]
    forged = await owner.press(FaqDraftCB(version=version.id, action="publish").pack())
    assert "title.kk" in " ".join(alerts(forged) + texts(forged))
    assert live_title(assistant, NEW_TOPIC) is None and assistant.entry(NEW_TOPIC) is None
    assert not audit.recent(assistant.db, action="faq.publish")


async def test_every_change_needs_a_source(people, assistant) -> None:
    owner = people(OWNER)
    assert "source" in texts(await owner.send(f"/faq_delete {TOPIC}"))[0]
    await owner.send(f"/faq_edit {TOPIC}")
    await owner.press(FaqEditCB(step="field", value="as_of").pack())
    await owner.send("2026-12-01")
    refused = texts(await owner.send("x"))[0]  # too short to be a source: asked again
    assert refused.startswith("⚠️") and drafts(assistant) == 0
    assert texts(await owner.send(SOURCE))[0].startswith("✏️")
    assert faq.open_draft(assistant.db, TOPIC).document["as_of"] == "2026-12-01"
    upload = texts(await owner.send_document(as_yaml(new_entry()), "faq.yaml"))  # no caption
    assert upload and drafts(assistant) == 1 and faq.open_draft(assistant.db, NEW_TOPIC) is None
    assert not audit.recent(assistant.db, action="faq.upload")


async def test_invalid_values_are_refused_in_the_conversation(people, assistant) -> None:
    owner = people(OWNER)
    assert texts(await owner.send("/faq_edit Not An ID!"))[0].startswith("⚠️")
    await owner.send(f"/faq_edit {TOPIC}")
    await owner.press(FaqEditCB(step="field", value="title").pack())
    await owner.press(FaqEditCB(step="lang", value="kk").pack())
    assert texts(await owner.send("x" * 41))[0].startswith("⚠️")  # titles are buttons: 40 at most
    await owner.send("/cancel")
    assert answered_topic(await owner.send(QUESTION)) == TOPIC  # no longer in the conversation
    assert drafts(assistant) == 0
    await owner.send(f"/faq_edit {TOPIC}")
    await owner.press(FaqEditCB(step="field", value="remove_question").pack())
    prompt = texts(await owner.press(FaqEditCB(step="lang", value="ru").pack()))[0]
    assert f"1. {QUESTION}" in prompt
    assert texts(await owner.send("999"))[0].startswith("⚠️")
    await owner.send("1")
    await owner.send(SOURCE)
    assert QUESTION not in faq.open_draft(assistant.db, TOPIC).document["questions"]["ru"]
    assert QUESTION in faq.current(assistant.db, TOPIC).document["questions"]["ru"]


async def test_delete_hides_the_topic_after_publishing_and_undo_brings_it_back(
    people, assistant, session
) -> None:
    owner, voter = people(OWNER), people(STRANGER)
    preview = await owner.send(f'/faq_delete {TOPIC} source="Решение ЦИК №1 (тест)"')
    assert answered_topic(await voter.send(QUESTION)) == TOPIC  # still a draft
    publish, _message = draft_button(preview, "publish")
    await owner.press(publish)
    assert answered_topic(await voter.send(QUESTION)) != TOPIC and assistant.entry(TOPIC) is None
    assert "🙈" in " ".join(texts(await owner.send("/faq")))
    await owner.send(f"/undo {TOPIC}")
    assert answered_topic(await voter.send(QUESTION)) == TOPIC


async def test_export_round_trips_and_upload_creates_drafts(people, assistant, session) -> None:
    owner, voter = people(OWNER), people(STRANGER)
    await owner.send("/faq_export")
    chat_id, name, data = session.documents[-1]
    assert chat_id == OWNER and name == "faq.yaml"
    exported = [d for d in yaml.safe_load_all(data) if d]
    assert len(exported) == assistant.db.execute("SELECT count(*) FROM faq_entries").fetchone()[0]
    same = texts(await owner.send_document(data, "faq.yaml", caption=SOURCE))[0]
    assert "0" in same and drafts(assistant) == 0  # nothing changed, nothing to review

    changed = next(d for d in exported if d["topic"] == TOPIC)
    changed["answer"]["ru"] = "Участки открыты с 7:00 до 20:00 (тест)."
    report = messages(await owner.send_document(as_yaml(changed, new_entry()), "changes.yml", caption=SOURCE))
    assert drafts(assistant) == 2 and f"{NEW_TOPIC} v1" in report[0].text and f"{TOPIC} v2" in report[0].text
    assert answered_topic(await voter.send(NEW_QUESTION)) is None  # drafts are never served
    assert "(тест)" not in " ".join(texts(await voter.send(QUESTION)))

    preview = next(d for _, d in buttons(report[-1].reply_markup) if NEW_TOPIC in _label_of(report[-1], d))
    publish, _message = draft_button(await owner.press(preview), "publish")
    await owner.press(publish)
    assert answered_topic(await voter.send(NEW_QUESTION)) == NEW_TOPIC  # the matcher learned it at once
    upload = audit.recent(assistant.db, action="faq.upload")[0]
    assert upload.target == "changes.yml" and upload.after["drafts"] == [TOPIC, NEW_TOPIC]


def _label_of(message: SendMessage, data: str) -> str:
    return next(label for label, d in buttons(message.reply_markup) if d == data)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (as_yaml(new_entry(), new_entry("other-topic", answer={"kk": "a", "ru": "b"})), "answer.id"),
        (as_yaml(new_entry(sources=[])), "sources"),
        (as_yaml(new_entry(), new_entry()), "встречается больше одного раза"),  # in the admin's language
        (as_yaml(new_entry(topic="Bad ID")), "topic"),
        (b"topic: [unclosed", "YAML"),
        ("topic: штраф".encode("cp1251"), "UTF-8"),
        (b"", "2"),  # empty: refused before reading (at most 2 MB)
    ],
)
async def test_bad_yaml_changes_nothing_and_names_the_problem(people, assistant, content, expected) -> None:
    owner = people(OWNER)
    before = assistant.db.execute("SELECT count(*) FROM faq_versions").fetchone()[0]
    reply = " ".join(texts(await owner.send_document(content, "bad.yaml", caption=SOURCE)))
    assert expected in reply
    if content:
        assert "bad.yaml" in reply
    assert drafts(assistant) == 0
    assert assistant.db.execute("SELECT count(*) FROM faq_versions").fetchone()[0] == before
    assert not audit.recent(assistant.db, action="faq.upload")


async def test_faq_list_and_show(people, assistant) -> None:
    owner = people(OWNER)
    await edit(owner, TOPIC, "title", "ru", NEW_TITLE)
    listing = " ".join(texts(await owner.send("/faq")))
    topics = [
        line.split("<code>")[1].split("</code>")[0] for line in listing.splitlines() if "<code>" in line
    ]
    assert topics == sorted(topics) and len(topics) == len(set(topics)) >= 30
    assert f"<code>{TOPIC}</code> v1 · Время работы участков · ✏️ v2" in listing
    shown = messages(await owner.send(f"/faq_show {TOPIC}"))
    text = "\n".join(m.text for m in shown)
    assert "Время работы участков" in text and NEW_TITLE in text and f"1. {QUESTION}" in text
    for message in shown:
        assert_valid_html(message.text)
    assert "/faq" in texts(await owner.send("/faq_show no-such-topic"))[0]


async def test_unsupported_file_mentions_yaml(people) -> None:
    reply = texts(await people(OWNER).send_document(b"hello", "notes.txt"))[0]
    assert ".yaml" in reply and ".csv" in reply
