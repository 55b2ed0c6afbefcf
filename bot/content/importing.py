"""Importing a content zip (the layout of ``content/`` and of :mod:`bot.content.export`).

The archive is checked before anything is read (size, file names, no paths outside it,
unpacked size), every file is validated with the seed validators, and a plan says what would
change. Applying it writes elections, parties, areas and missions in one transaction, with an
audit entry and a copy of the content as it was before; FAQ files become drafts that admins
preview and publish as usual.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from bot import audit
from bot.abroad.missions import load_missions, parse_missions
from bot.content.export import content_archive
from bot.content.reference import parse_areas, parse_elections, parse_parties
from bot.db import utcnow
from bot.faq import editing as faq_editing
from bot.faq.entries import ContentError, FaqEntry, entry_to_dict, load_faq_files, read_faq
from bot.i18n import N_

MAX_ZIP = 10 * 1024 * 1024
MAX_UNPACKED = 30 * 1024 * 1024
NAMES = re.compile(r"(faq/[a-z0-9][a-z0-9-]*\.yaml|elections\.yaml|parties\.yaml|missions\.yaml|areas\.csv)")
TABLES = ("areas", "elections", "parties", "missions")


@dataclass
class ContentPlan:
    """What an import would change: per table, rows in the file and rows new or different."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    faq: list[FaqEntry] = field(default_factory=list)
    faq_changed: int = 0


def unpack(data: bytes, directory: Path) -> list[str]:
    """Extract a content zip into ``directory``; return its file names.

    Raises :class:`ContentError` for anything but the expected files.
    """
    if len(data) > MAX_ZIP:
        raise ContentError("(upload)", "-", "(file)", N_("larger than {n} MB"), n=MAX_ZIP // 1024 // 1024)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise ContentError("(upload)", "-", "(file)", N_("not a zip file")) from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        for member in members:
            if not NAMES.fullmatch(member.filename):
                raise ContentError(member.filename, "-", "(file)", N_("not a file of content/"))
        if sum(m.file_size for m in members) > MAX_UNPACKED:
            raise ContentError("(upload)", "-", "(file)", N_("too large once unpacked"))
        if not members:
            raise ContentError("(upload)", "-", "(file)", N_("empty"))
        for member in members:
            if member.flag_bits & 0x1:
                raise ContentError(
                    member.filename, "-", "(file)", N_("encrypted: send it without a password")
                )
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise ContentError(
                    member.filename, "-", "(file)", N_("compressed with an unsupported method")
                )
            try:
                content = archive.read(member)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
                raise ContentError(member.filename, "-", "(file)", N_("damaged in the zip")) from None
            if len(content) != member.file_size:
                raise ContentError(member.filename, "-", "(file)", N_("damaged in the zip"))
            target = directory / member.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    return sorted(m.filename for m in members)


def _changed(db: sqlite_utils.Database, table: str, rows: list[dict]) -> int:
    ignored = {"updated_at", "is_sample"}
    stored = {r["id"]: r for r in db[table].rows}
    return sum(
        1
        for row in rows
        if row["id"] not in stored
        or any(stored[row["id"]].get(k) != v for k, v in row.items() if k not in ignored)
    )


def plan(db: sqlite_utils.Database, directory: Path) -> ContentPlan:
    """Validate the unpacked files; raise :class:`ContentError` naming the first problem."""
    result = ContentPlan()
    if (directory / "areas.csv").exists():
        result.rows["areas"] = parse_areas(directory / "areas.csv")
    if (directory / "elections.yaml").exists():
        result.rows["elections"] = parse_elections(directory / "elections.yaml")
    if (directory / "parties.yaml").exists():
        result.rows["parties"] = parse_parties(directory / "parties.yaml")
    if (directory / "missions.yaml").exists():
        known = {r[0] for r in db.execute("SELECT id FROM elections")}
        known |= {r["id"] for r in result.rows.get("elections", [])}
        result.rows["missions"], _polling = parse_missions(directory / "missions.yaml", known)
    for table, rows in result.rows.items():
        result.changed[table] = _changed(db, table, rows)
    if (directory / "faq").is_dir():
        result.faq = load_faq_files(directory / "faq")
        stored = {e.topic: entry_to_dict(e) for e in read_faq(db)}
        result.faq_changed = sum(1 for e in result.faq if stored.get(e.topic) != entry_to_dict(e))
    return result


def apply(db: sqlite_utils.Database, by: int, directory: Path, content: ContentPlan, filename: str) -> int:
    """Write the reference data in one transaction (FAQ entries become drafts); keep a copy
    of the content before, as an upload row; return that row's ID."""
    before = content_archive(db)
    with db.atomic():
        backup_id = (
            db["uploads"]
            .insert(
                {
                    "user_id": by,
                    "kind": "content-before-import",
                    "filename": f"before-{filename}",
                    "content": before,
                    "status": "kept",
                    "created_at": utcnow(),
                }
            )
            .last_pk
        )
        if "areas" in content.rows:
            areas = sorted(content.rows["areas"], key=lambda a: a["parent_id"] is not None)
            db["areas"].upsert_all(areas, pk="id")
        for table in ("elections", "parties"):
            if table in content.rows:
                db[table].upsert_all(content.rows[table], pk="id")
        if "missions" in content.rows:
            load_missions(db, directory / "missions.yaml")
        if content.faq:
            faq_editing.import_entries(db, by, content.faq, f"content import {filename}", filename)
        audit.record(
            db,
            by,
            "content.import",
            filename,
            before={"copy_upload_id": backup_id},
            after={"changed": content.changed, "faq_drafts": content.faq_changed},
            note=filename,
        )
    return int(backup_id)
