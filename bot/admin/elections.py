"""Admins add and edit elections by command: validated like the seed file, audited, and
each change carries its source."""

from __future__ import annotations

import json
import re

import sqlite_utils

from bot import audit
from bot.content.reference import election_row
from bot.faq.entries import ContentError
from bot.i18n import N_

EDITABLE = ("type", "level", "date", "status", "name_kk", "name_ru", "name_id", "seats")
ELECTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]{2,59}$")
SOURCE = "command"


def set_election(
    db: sqlite_utils.Database, by: int, election_id: str, changes: dict[str, str], source: str
) -> tuple[dict | None, dict]:
    """Create or change an election; return its rows before and after.

    Raises :class:`ContentError` naming the field when the result would not be valid.
    """
    if not ELECTION_ID.match(election_id):
        raise ContentError(SOURCE, election_id, "id", N_("use lowercase letters, digits and hyphens"))
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ContentError(
            SOURCE, election_id, unknown[0], N_("can set only {allowed}"), allowed=", ".join(EDITABLE)
        )
    if not source.strip():
        raise ContentError(SOURCE, election_id, "source", N_("every change needs a source"))
    before = next(iter(db["elections"].rows_where("id = ?", [election_id])), None)
    item: dict = {"id": election_id, "name": {}, "sources": []}
    if before is not None:
        item.update({k: before[k] for k in ("type", "level", "date", "status", "seats", "turnout")})
        item.update({k: before[k] for k in ("registered_candidates", "party_nominated", "self_nominated")})
        item["name"] = {lang: before[f"name_{lang}"] for lang in ("kk", "ru", "id")}
        item["sources"] = json.loads(before["sources"] or "[]")
    for field, value in changes.items():
        if field.startswith("name_"):
            item["name"][field[5:]] = value
        elif field == "seats":
            if not value.isdigit():
                raise ContentError(SOURCE, election_id, "seats", N_("must be a whole number"))
            item["seats"] = int(value)
        else:
            item[field] = value
    if source not in item["sources"]:
        item["sources"] = [*item["sources"], source]
    after = election_row(item, SOURCE)
    if before is not None:
        after["is_sample"] = before["is_sample"]
    with db.atomic():
        db["elections"].upsert(after, pk="id")
        audit.record(db, by, "election.set", election_id, before=before, after=after, note=source)
    return before, after
