"""Mission commands: voters see a field only once an admin verified it; polling stations per
election; every change audited; strangers and bad input change nothing."""

from __future__ import annotations

from aiogram.methods import SendMessage

from bot import audit
from tests.test_admin import OWNER, STRANGER

JAKARTA = "id-jakarta-embassy"
PHONE = "+62 21 252 0252"


def texts(requests) -> list[str]:
    return [r.text for r in requests if isinstance(r, SendMessage)]


async def card(voter) -> str:
    return "\n".join(texts(await voter.send("Посольство в Джакарте")))


async def test_verified_fields_reach_voters(people, assistant) -> None:
    owner, voter = people(OWNER), people(STRANGER)
    assert PHONE not in await card(voter)  # a single third-party source: hidden
    assert (
        "Сохранено"
        in texts(await owner.send(f"/mission_verify {JAKARTA} phone source=https://www.gov.kz/x"))[0]
    )
    assert PHONE in await card(voter)
    entry = audit.recent(assistant.db, action="mission.verify")[0]
    assert (
        entry.user_id == OWNER
        and "phone" not in entry.before["verified"]
        and "phone" in entry.after["verified"]
    )
    await owner.send(f'/mission_set {JAKARTA} address="Jl. Test 1, Jakarta" source=https://example.test/a')
    assert "Jl. Test 1" not in await card(voter)  # set but not verified
    await owner.send(
        f'/mission_set {JAKARTA} address="Jl. Test 1, Jakarta" verified=yes source=https://www.gov.kz/y'
    )
    assert "Jl. Test 1" in await card(voter)


async def test_polling_station_is_recorded(people, assistant) -> None:
    owner = people(OWNER)
    command = f"/mission_polling {JAKARTA} 2024-10-06-referendum open hours=07:00-20:00 source=https://x.test"
    assert "Сохранено" in texts(await owner.send(command))[0]
    row = assistant.db.execute(
        "SELECT open, hours FROM mission_polling WHERE mission_id = ? AND election_id = ?",
        [JAKARTA, "2024-10-06-referendum"],
    ).fetchone()
    assert row == (1, "07:00-20:00")
    assert (
        audit.recent(assistant.db, action="mission.polling")[0].target == f"{JAKARTA}/2024-10-06-referendum"
    )


async def test_bad_changes_are_refused(people, assistant) -> None:
    owner = people(OWNER)
    before = assistant.db.execute("SELECT * FROM missions ORDER BY id").fetchall()
    for command, word in [
        (f"/mission_set {JAKARTA} colour=red source=x", "colour"),
        ("/mission_set no-such-mission phone=1 source=x", "id"),
        (f"/mission_verify {JAKARTA} address source=x", "address: нечего подтверждать"),  # Russian owner
        (f"/mission_polling {JAKARTA} 2024-10-06-referendum open hours=7-8 source=x", "hours"),
        (f"/mission_polling {JAKARTA} no-such-vote closed source=x", "election"),
    ]:
        reply = texts(await owner.send(command))[0]
        assert "Не сохранено" in reply and word in reply, command
    assert "source=" in texts(await owner.send(f"/mission_verify {JAKARTA} phone"))[0]  # no source
    assert texts(await people(STRANGER).send(f"/mission_verify {JAKARTA} phone source=x"))[0].startswith(
        "Я не"
    )
    assert assistant.db.execute("SELECT * FROM missions ORDER BY id").fetchall() == before
    assert not audit.recent(assistant.db, action="mission.set")
