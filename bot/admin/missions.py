"""Admins edit missions by command: set a contact field, mark fields verified (only verified
fields are shown to voters), record whether a polling station opens for an election.
Every change needs a source and is audited with the row before and after."""

from __future__ import annotations

import json

import sqlite_utils

from bot import audit
from bot.abroad.missions import HOURS, PUBLIC_FIELDS
from bot.db import utcnow
from bot.faq.entries import ContentError
from bot.i18n import N_

SOURCE = "command"


def _mission(db: sqlite_utils.Database, mission_id: str) -> dict:
    row = next(iter(db["missions"].rows_where("id = ?", [mission_id])), None)
    if row is None:
        raise ContentError(SOURCE, mission_id, "id", N_("no such mission (see /missions)"))
    return row


def _with_source(row: dict, source: str) -> str:
    if not source.strip():
        raise ContentError(SOURCE, row["id"], "source", N_("every change needs a source"))
    sources = json.loads(row["sources"] or "[]")
    return json.dumps(sources if source in sources else [*sources, source], ensure_ascii=False)


def set_field(
    db: sqlite_utils.Database, by: int, mission_id: str, field: str, value: str, source: str, verified: bool
) -> dict:
    """Set a contact field; it is shown to voters only when ``verified`` (a changed value
    needs confirming again). Returns the row after the change."""
    before = _mission(db, mission_id)
    if field not in PUBLIC_FIELDS:
        raise ContentError(
            SOURCE, mission_id, field, N_("can set only {allowed}"), allowed=", ".join(PUBLIC_FIELDS)
        )
    confirmed = set(json.loads(before["verified"] or "[]")) - {field}
    pending = {k: v for k, v in json.loads(before["unverified"] or "{}").items() if k != field}
    if verified:
        confirmed.add(field)
    changes = {
        field: value.strip() or None,
        "verified": json.dumps(sorted(confirmed)),
        "unverified": json.dumps(pending, ensure_ascii=False),
        "sources": _with_source(before, source),
        "updated_at": utcnow(),
    }
    return _save(db, by, "mission.set", before, changes, source)


def verify(db: sqlite_utils.Database, by: int, mission_id: str, fields: list[str], source: str) -> dict:
    """Mark fields confirmed from an official source; a value kept as unverified is moved into
    place. Returns the row after the change."""
    before = _mission(db, mission_id)
    pending = json.loads(before["unverified"] or "{}")
    confirmed = set(json.loads(before["verified"] or "[]"))
    changes: dict = {}
    for field in fields:
        if field not in PUBLIC_FIELDS:
            raise ContentError(
                SOURCE, mission_id, field, N_("can verify only {allowed}"), allowed=", ".join(PUBLIC_FIELDS)
            )
        if field in pending:
            changes[field] = pending.pop(field)
        if not (changes.get(field) or before[field]):
            raise ContentError(SOURCE, mission_id, field, N_("has no value to verify; set it first"))
        confirmed.add(field)
    changes |= {
        "verified": json.dumps(sorted(confirmed)),
        "unverified": json.dumps(pending, ensure_ascii=False),
        "sources": _with_source(before, source),
        "updated_at": utcnow(),
    }
    return _save(db, by, "mission.verify", before, changes, source)


def set_polling(
    db: sqlite_utils.Database,
    by: int,
    mission_id: str,
    election_id: str,
    is_open: bool,
    hours: str | None,
    source: str,
) -> dict:
    """Record whether a polling station opens at a mission for an election (hours local)."""
    _mission(db, mission_id)
    if db.execute("SELECT 1 FROM elections WHERE id = ?", [election_id]).fetchone() is None:
        raise ContentError(
            SOURCE, mission_id, "election", N_("unknown election “{value}”"), value=election_id
        )
    if is_open and not (hours and HOURS.fullmatch(hours)):
        raise ContentError(SOURCE, mission_id, "hours", N_("must be local hours like 07:00-20:00"))
    if not source.strip():
        raise ContentError(SOURCE, mission_id, "source", N_("every change needs a source"))
    key = {"mission_id": mission_id, "election_id": election_id}
    before = next(
        iter(db["mission_polling"].rows_where("mission_id = ? AND election_id = ?", [*key.values()])), None
    )
    after = {
        **key,
        "open": int(is_open),
        "hours": hours if is_open else None,
        "source": source,
        "updated_at": utcnow(),
    }
    with db.atomic():
        db["mission_polling"].upsert(after, pk=("mission_id", "election_id"))
        audit.record(db, by, "mission.polling", f"{mission_id}/{election_id}", before, after, note=source)
    return after


def _save(db: sqlite_utils.Database, by: int, action: str, before: dict, changes: dict, source: str) -> dict:
    after = {**before, **changes}
    with db.atomic():
        db["missions"].update(before["id"], changes)
        audit.record(db, by, action, before["id"], before=before, after=after, note=source)
    return after
