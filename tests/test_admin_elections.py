"""/election_set: admins add and change votes; voters see the change; each change audited."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import SendMessage

from bot import audit
from bot.calendar.votes import kazakhstan_today
from tests.test_admin import OWNER, STRANGER

NEW_ID = "2027-test-rural-akims"


def texts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, SendMessage)]


def add_command(day: str, status: str = "scheduled", source: str = "https://www.election.gov.kz/x") -> str:
    return (
        f"/election_set {NEW_ID} type=akim level=rural date={day} status={status} "
        'name_kk="Ауыл әкімдерін сайлау (тест)" name_ru="Выборы сельских акимов (тест)" '
        f'name_id="Pemilihan akim desa (uji)" source={source}'
    )


async def test_added_vote_is_announced_to_voters_and_audited(people, assistant) -> None:
    owner, voter = people(OWNER), people(STRANGER)
    day = (kazakhstan_today() + timedelta(days=40)).isoformat()
    assert "Добавлено" in texts(await owner.send(add_command(day)))[0]
    answer = " ".join(texts(await voter.send("Когда следующие выборы?")))
    assert "Выборы сельских акимов (тест)" in answer
    entry = audit.recent(assistant.db, action="election.set")[0]
    assert entry.user_id == OWNER and entry.before is None and entry.after["date"] == day
    await owner.send(f"/election_set {NEW_ID} status=unverified source=https://example.test/unsure")
    answer = " ".join(texts(await voter.send("Когда следующие выборы?")))
    assert "Выборы сельских акимов (тест)" not in answer  # unverified votes are never announced
    entry = audit.recent(assistant.db, action="election.set")[0]
    assert entry.before["status"] == "scheduled" and entry.after["status"] == "unverified"
    assert "https://example.test/unsure" in entry.after["sources"]


async def test_invalid_changes_are_refused_and_nothing_changes(people, assistant) -> None:
    owner = people(OWNER)
    before = assistant.db.execute("SELECT count(*) FROM elections").fetchone()[0]
    reply = texts(await owner.send(add_command("2027-02-30")))[0]
    assert "date" in reply and "Не сохранено" in reply
    assert "source=" in texts(await owner.send(f"/election_set {NEW_ID} status=held"))[0]  # no source
    reply = texts(await owner.send(f"/election_set {NEW_ID} colour=red source=x"))[0]
    assert "colour" in reply
    assert "source=" in texts(await owner.send('/election_set "unbalanced'))[0]
    assert assistant.db.execute("SELECT count(*) FROM elections").fetchone()[0] == before
    assert not audit.recent(assistant.db, action="election.set")
    assert texts(await people(STRANGER).send(add_command("2027-05-01")))[0].startswith("Я не знаю")
    assert assistant.db.execute("SELECT count(*) FROM elections").fetchone()[0] == before


async def test_refusal_is_in_the_admins_language(people) -> None:
    reply = texts(await people(OWNER).send(add_command("2027-02-30")))[0]
    assert reply == "Не сохранено: date: должно быть датой ГГГГ-ММ-ДД"
    reply = texts(await people(OWNER).send(f"/election_set {NEW_ID} seats=many source=x"))[0]
    assert "seats: должно быть целым числом" in reply and "must be" not in reply
