"""The whole-content export reads back with the seed validators and loads into a fresh
database to the same content."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

from aiogram.methods import SendDocument

from bot import audit
from bot.content.export import content_archive
from bot.content.reference import load_reference_data
from bot.conversation.assistant import Assistant
from bot.db import open_database
from bot.faq.entries import entry_to_dict, load_faq_files, read_faq, store_faq
from tests.test_admin import OWNER, STRANGER

TABLES = ("elections", "parties", "areas", "missions", "mission_polling")


def content_rows(db) -> dict[str, list[dict]]:
    drop = {"updated_at"}
    return {
        table: [
            {k: v for k, v in row.items() if k not in drop} for row in db[table].rows_where(order_by="rowid")
        ]
        for table in TABLES
    }


def faq(entries: list) -> dict[str, dict]:
    return {e.topic: entry_to_dict(e) for e in entries}


def test_export_round_trips_through_the_seed_loaders(assistant: Assistant, tmp_path: Path) -> None:
    db = assistant.db
    db["mission_polling"].upsert(
        {"mission_id": "de-berlin-embassy", "election_id": "2024-10-06-referendum", "open": 1,
         "hours": "07:00-20:00", "source": "https://example.test/berlin", "updated_at": "x"},
        pk=("mission_id", "election_id"),
    )  # fmt: skip
    with zipfile.ZipFile(BytesIO(content_archive(db))) as archive:
        archive.extractall(tmp_path / "content")
    exported = tmp_path / "content"
    assert sorted(p.name for p in exported.iterdir()) == [
        "areas.csv", "elections.yaml", "faq", "missions.yaml", "parties.yaml"
    ]  # fmt: skip
    assert faq(load_faq_files(exported / "faq")) == faq(read_faq(db))
    fresh = open_database(tmp_path / "fresh.db")
    load_reference_data(fresh, exported)
    store_faq(fresh, load_faq_files(exported / "faq"))
    assert faq(read_faq(fresh)) == faq(read_faq(db))
    before, after = content_rows(db), content_rows(fresh)
    for table in TABLES:
        key = lambda r: tuple(sorted((k, repr(v)) for k, v in r.items()))  # noqa: E731  (None beside text)
        assert sorted(map(key, after[table])) == sorted(map(key, before[table])), table


async def test_admins_get_the_archive(people, session, assistant) -> None:
    requests = await people(OWNER).send("/export_content")
    assert [r for r in requests if isinstance(r, SendDocument)]
    _chat, name, data = session.documents[-1]
    assert name.startswith("saylau-content-") and name.endswith(".zip")
    assert "faq/voting-hours.yaml" in zipfile.ZipFile(BytesIO(data)).namelist()
    assert audit.recent(assistant.db, action="content.export")[0].user_id == OWNER
    assert not [r for r in await people(STRANGER).send("/export_content") if isinstance(r, SendDocument)]
