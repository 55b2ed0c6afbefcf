"""Content zip upload: checked, validated, summarised, applied only after confirmation, in
one transaction, audited, with a copy of the content before; bad archives change nothing."""

from __future__ import annotations

import io
import zipfile

import yaml
from aiogram.methods import SendMessage

from bot import audit
from bot.content.export import content_archive
from bot.faq import editing as faq_editing
from bot.telegram.local_chat import buttons
from handlers.callbacks import ContentUploadCB, UploadCB
from tests.test_admin import OWNER, STRANGER

NEW_VOTE = {
    "id": "2027-06-01-test-akim",
    "type": "akim",
    "level": "rural",
    "date": "2027-06-01",
    "status": "scheduled",
    "name": {"kk": "Әкім сайлауы (тест)", "ru": "Выборы акима (тест)", "id": "Pemilihan akim (uji)"},
    "sources": ["https://www.election.gov.kz/test"],
}


def edited_archive(db, change) -> bytes:
    """The current content exported, with ``change(files)`` applied to its files."""
    source = zipfile.ZipFile(io.BytesIO(content_archive(db)))
    files = {name: source.read(name) for name in source.namelist()}
    change(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def add_vote_and_edit_faq(files: dict[str, bytes]) -> None:
    votes = yaml.safe_load(files["elections.yaml"])
    files["elections.yaml"] = yaml.safe_dump([*votes, NEW_VOTE], allow_unicode=True).encode()
    entry = yaml.safe_load(files["faq/voting-hours.yaml"])
    entry["answer"]["ru"] = "Новый ответ о часах работы участков (тест)."
    files["faq/voting-hours.yaml"] = yaml.safe_dump(entry, allow_unicode=True).encode()


def texts(requests) -> list[SendMessage]:
    return [r for r in requests if isinstance(r, SendMessage)]


async def test_zip_is_applied_only_after_confirmation(people, assistant) -> None:
    owner, db = people(OWNER), assistant.db
    data = edited_archive(db, add_vote_and_edit_faq)
    (report,) = texts(await owner.send_document(data, "content.zip"))
    assert "elections" in report.text and "1" in report.text and "FAQ" in report.text
    assert db.execute("SELECT 1 FROM elections WHERE id = ?", [NEW_VOTE["id"]]).fetchone() is None
    apply = next(d for _, d in buttons(report.reply_markup) if ContentUploadCB.unpack(d).apply)
    assert not texts(await people(STRANGER).press(apply))  # not an admin: nothing happens
    assert db.execute("SELECT 1 FROM elections WHERE id = ?", [NEW_VOTE["id"]]).fetchone() is None
    await owner.press(apply)
    assert db.execute("SELECT status FROM elections WHERE id = ?", [NEW_VOTE["id"]]).fetchone() == (
        "scheduled",
    )
    draft = faq_editing.open_draft(db, "voting-hours")
    assert draft is not None and "Новый ответ" in draft.document["answer"]["ru"]
    assert "Новый ответ" not in assistant.entry("voting-hours").answers["ru"]  # a draft, not yet served
    entry = audit.recent(db, action="content.import")[0]
    copy = db.execute(
        "SELECT content FROM uploads WHERE id = ?", [entry.before["copy_upload_id"]]
    ).fetchone()[0]
    assert "elections.yaml" in zipfile.ZipFile(io.BytesIO(copy)).namelist()
    assert NEW_VOTE["id"].encode() not in zipfile.ZipFile(io.BytesIO(copy)).read("elections.yaml")


def bad_status(files: dict[str, bytes]) -> None:
    files["elections.yaml"] = yaml.safe_dump([{**NEW_VOTE, "status": "maybe"}], allow_unicode=True).encode()


def stray_file(files: dict[str, bytes]) -> None:
    files["../escape.yaml"] = b"x: 1"


async def test_bad_archives_change_nothing(people, assistant) -> None:
    owner, db = people(OWNER), assistant.db
    before = db.execute("SELECT count(*) FROM elections").fetchone()[0]
    cases = [
        (edited_archive(db, bad_status), "status: должно быть одним из: scheduled, held, unverified"),
        (edited_archive(db, stray_file), "../escape.yaml, -, (file): не файл из content/"),
        (b"PK\x03\x04 not really a zip", "не zip-файл"),  # problems in the admin's language
    ]
    for data, word in cases:
        (reply,) = texts(await owner.send_document(data, "content.zip"))
        assert word in reply.text and reply.reply_markup is None, word
    assert db.execute("SELECT count(*) FROM elections").fetchone()[0] == before
    assert db.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0


async def test_a_candidate_button_cannot_apply_a_content_zip(people, assistant) -> None:
    owner, db = people(OWNER), assistant.db
    await owner.send_document(edited_archive(db, add_vote_and_edit_faq), "content.zip")
    (upload_id,) = [r[0] for r in db.execute("SELECT id FROM uploads WHERE status = 'pending'")]
    requests = await owner.press(UploadCB(upload=upload_id, apply=True).pack())
    assert [r for r in requests if getattr(r, "show_alert", False)]
    assert db.execute("SELECT status FROM uploads WHERE id = ?", [upload_id]).fetchone() == ("pending",)
    assert db.execute("SELECT 1 FROM elections WHERE id = ?", [NEW_VOTE["id"]]).fetchone() is None
