"""/unanswered: grouping of voters' unanswered questions, and turning a group into a phrasing
(the matcher answers it at once) or a new draft; handled groups no longer show."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery, SendMessage

from bot import audit
from bot.faq import editing as faq
from bot.faq import feedback, unanswered
from bot.telegram.local_chat import buttons
from handlers.callbacks import UnansweredCB, UnansweredPageCB
from tests.test_admin import OWNER, STRANGER
from tests.test_admin_faq import answered_topic, messages, texts
from tests.test_handlers import assert_valid_html

FINE = "Штраф за неявку на выборы"
FINE_TOPIC = "who-can-vote"


def alerts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, AnswerCallbackQuery) and r.show_alert]


def group_buttons(message: SendMessage, action: str) -> list[tuple[str, UnansweredCB]]:
    found = []
    for label, data in buttons(message.reply_markup):
        if data.startswith("admun:") and UnansweredCB.unpack(data).action == action:
            found.append((label, UnansweredCB.unpack(data)))
    return found


def test_grouping_is_by_similar_folded_text_newest_first(assistant) -> None:
    db = assistant.db
    for text, reason in [
        ("resep rendang padang yang enak", "no_match"),
        ("штраф за неявку на выборы", "no_match"),
        ("Штраф за неявку на выборы!!", "none_of_these"),
        ("shtraf za neiavku na vibori", "no_match"),  # the same words typed in Latin
        ("выборы", "no_match"),  # short: does not swallow the longer question
        ("ШТРАФ ЗА НЕЯВКУ НА ВЫБОРЫ?", "not_helpful"),
    ]:
        feedback.record_unanswered(db, text, "ru", reason)
    groups = unanswered.groups(db)
    assert [g.count for g in groups] == [4, 1, 1]
    fine, short, pemilu = groups
    assert fine.text == "ШТРАФ ЗА НЕЯВКУ НА ВЫБОРЫ?" and short.text == "выборы" and pemilu.count == 1
    assert fine.reasons == {"not_helpful": 1, "no_match": 2, "none_of_these": 1}
    assert unanswered.groups(db) == groups  # deterministic
    unanswered.mark_handled(db, OWNER, fine, "ignored")
    assert [g.text for g in unanswered.groups(db)] == ["выборы", "resep rendang padang yang enak"]
    assert unanswered.find(db, fine.id) is None


async def test_list_shows_groups_with_counts(people, assistant) -> None:
    voter, owner = people(STRANGER), people(OWNER)
    for question in ("resep rendang padang yang enak", FINE, FINE + "?", FINE.upper() + "!"):
        assert answered_topic(await voter.send(question)) is None
    (listing,) = messages(await owner.send("/unanswered"))
    assert_valid_html(listing.text)
    lines = [line for line in listing.text.splitlines() if line[:2] in ("1.", "2.")]
    assert lines[0].startswith("1. ×3 · ru · «" + FINE.upper() + "!»")
    assert lines[1].startswith("2. ×1 · id · «resep rendang padang yang enak»")
    assert [label[:2] for label, _ in group_buttons(listing, "o")] == ["1.", "2."]


async def test_attach_as_phrasing_makes_the_bot_answer(people, assistant, session) -> None:
    voter, owner = people(STRANGER), people(OWNER)
    assert answered_topic(await voter.send(FINE)) is None  # "I don't know", and kept
    (listing,) = messages(await owner.send("/unanswered"))
    (_label, group), *_ = group_buttons(listing, "o")
    (view,) = messages(await owner.press(group.pack()))
    assert_valid_html(view.text)
    assert len(group_buttons(view, "a")) >= 1  # the matcher's suggestions
    assert group_buttons(view, "n") and group_buttons(view, "i")
    (topics,) = messages(await owner.press(group_buttons(view, "t")[0][1].pack()))
    attach = next(cb for label, cb in group_buttons(topics, "a") if label == FINE_TOPIC)

    done = texts(await owner.press(attach.pack()))
    assert done[0].startswith("✅") and "⚠️" not in done[0]
    assert answered_topic(await voter.send(FINE)) == FINE_TOPIC  # answered at once
    live = faq.current(assistant.db, FINE_TOPIC)
    assert live.version == 2 and FINE in live.document["questions"]["ru"]
    assert live.change_source == faq.VOTER_QUESTION
    entry = audit.recent(assistant.db, action="faq.phrasing")[0]
    assert entry.user_id == OWNER and FINE in entry.after["questions"]["ru"]
    assert FINE not in entry.before["questions"]["ru"]
    assert alerts(await owner.press(attach.pack()))  # handled: not twice
    assert FINE not in " ".join(texts(await owner.send("/unanswered")))
    (row,) = assistant.db.execute("SELECT handled_by, handled_as FROM unanswered").fetchall()
    assert row == (OWNER, "phrasing:" + FINE_TOPIC)


async def test_attach_keeps_an_open_draft_publishable(people, assistant) -> None:
    voter, owner = people(STRANGER), people(OWNER)
    await owner.send(f"/faq_edit {FINE_TOPIC}")
    await owner.press("admfe:field:as_of")
    await owner.send("2026-12-01")
    await owner.send("https://www.election.gov.kz/test")
    await voter.send(FINE)
    group = unanswered.groups(assistant.db)[0]
    await owner.press(UnansweredCB(group=group.id, action="a", topic=FINE_TOPIC).pack())
    draft = faq.open_draft(assistant.db, FINE_TOPIC)
    assert draft.document["as_of"] == "2026-12-01" and FINE in draft.document["questions"]["ru"]
    faq.publish(assistant.db, OWNER, draft.id)  # not refused as made from an older version
    assert faq.current(assistant.db, FINE_TOPIC).id == draft.id


async def test_new_entry_from_a_question_starts_a_draft(people, assistant) -> None:
    voter, owner = people(STRANGER), people(OWNER)
    await voter.send(FINE)
    group = unanswered.groups(assistant.db)[0]
    prompt = texts(await owner.press(UnansweredCB(group=group.id, action="n").pack()))
    assert FINE in prompt[0]
    saved = texts(await owner.send("voting-fines"))
    assert saved[0].startswith("✏️")
    draft = faq.open_draft(assistant.db, "voting-fines")
    assert draft.document["questions"] == {"ru": [FINE]} and draft.change_source == faq.VOTER_QUESTION
    assert faq.current(assistant.db, "voting-fines") is None
    assert answered_topic(await voter.send(FINE)) is None  # a draft is never served
    assert unanswered.groups(assistant.db)[0].text == FINE  # the new question, not the handled one
    assert len(unanswered.groups(assistant.db)) == 1
    assert assistant.db.execute("SELECT handled_as FROM unanswered WHERE id = ?", [group.id]).fetchone() == (
        "draft:voting-fines",
    )


async def test_ignore_and_pages(people, assistant) -> None:
    owner = people(OWNER)
    questions = [
        "рецепт бешбармака",
        "погода в Астане завтра",
        "курс доллара сегодня",
        "кто выиграл чемпионат по футболу",
        "сколько стоит билет в Алматы",
        "как приготовить баурсаки",
        "где купить телефон",
        "расписание поездов",
    ]
    for question in questions:
        feedback.record_unanswered(assistant.db, question, "ru", "no_match")
    (first,) = messages(await owner.send("/unanswered"))
    assert len(group_buttons(first, "o")) == 6 and questions[-1] in first.text
    forward = next(d for _, d in buttons(first.reply_markup) if d.startswith("admuq:"))
    (second,) = messages(await owner.press(forward))
    assert [label[:2] for label, _ in group_buttons(second, "o")] == ["7.", "8."]
    assert questions[0] in second.text and questions[-1] not in second.text
    _label, oldest = group_buttons(second, "o")[-1]
    assert alerts(await owner.press(UnansweredCB(group=oldest.group, action="i").pack()))
    assert questions[0] not in " ".join(texts(await owner.send("/unanswered")))
    assert audit.recent(assistant.db, action="unanswered.handled")[0].after == {
        "as": "ignored",
        "questions": 1,
    }
    assert texts(await owner.press(UnansweredPageCB(page=99).pack()))  # clamped to the last page


async def test_strangers_cannot_use_the_buttons(people, assistant) -> None:
    voter = people(STRANGER)
    await voter.send(FINE)
    group = unanswered.groups(assistant.db)[0]
    attach = UnansweredCB(group=group.id, action="a", topic=FINE_TOPIC).pack()
    requests = await voter.press(attach)
    assert alerts(requests) and not messages(requests)
    assert audit.recent(assistant.db, action="denied")[0].target == attach
    assert FINE not in assistant.entry(FINE_TOPIC).questions["ru"]
    assert unanswered.groups(assistant.db)[0].id == group.id
    assert answered_topic(await voter.send(FINE)) is None
