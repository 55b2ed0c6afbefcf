"""Questions voters did not get an answer to, grouped for admins to act on.

Questions are grouped greedily, newest first: each joins the first group whose newest
question is similar (rapidfuzz ``token_set_ratio`` of the folded texts, lengths not too far
apart), else starts a group. The same rows always give the same groups.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlite_utils
from rapidfuzz import fuzz

from bot import audit
from bot.db import utcnow
from bot.text.normalize import key, normalize

SIMILAR = 85  # token_set_ratio, 0..100
MIN_LENGTH_RATIO = 0.5  # a short question does not swallow a long one that contains it
MAX_ROWS = 2000  # the newest unhandled questions considered


@dataclass(frozen=True)
class Group:
    """Similar unanswered questions; the newest one speaks for the group."""

    ids: tuple[int, ...]  # newest first
    text: str  # the newest question
    examples: tuple[str, ...]  # distinct questions, newest first
    lang: str | None
    reasons: dict[str, int]
    last_at: str

    @property
    def id(self) -> int:
        """The group's stable handle: the ID of its newest question."""
        return self.ids[0]

    @property
    def count(self) -> int:
        """How many times it was asked."""
        return len(self.ids)


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return a == b
    if min(len(a), len(b)) / max(len(a), len(b)) < MIN_LENGTH_RATIO:
        return False
    return fuzz.token_set_ratio(a, b) >= SIMILAR


def groups(db: sqlite_utils.Database) -> list[Group]:
    """Unhandled questions in groups, the group asked most recently first."""
    rows = db.execute(
        "SELECT id, text, lang, reason, created_at FROM unanswered WHERE handled_at IS NULL "
        "AND text NOT GLOB '[[]*]' ORDER BY id DESC LIMIT ?",  # not "[topic]": a vote, no question
        [MAX_ROWS],
    ).fetchall()
    keys: list[str] = []
    members: list[list[tuple]] = []
    for row in rows:
        folded = key(row[1]) or normalize(row[1])
        for index, group_key in enumerate(keys):
            if _similar(folded, group_key):
                members[index].append(row)
                break
        else:
            keys.append(folded)
            members.append([row])
    result = []
    for group_rows in members:
        langs = Counter(r[2] for r in group_rows if r[2])
        newest = group_rows[0]
        result.append(
            Group(
                ids=tuple(r[0] for r in group_rows),
                text=newest[1],
                examples=tuple(dict.fromkeys(r[1] for r in group_rows)),
                lang=newest[2] or (langs.most_common(1)[0][0] if langs else None),
                reasons=dict(Counter(r[3] for r in group_rows)),
                last_at=newest[4],
            )
        )
    return result


def find(db: sqlite_utils.Database, group_id: int) -> Group | None:
    """The unhandled group whose newest question is ``group_id`` (None once handled)."""
    return next((g for g in groups(db) if group_id in g.ids), None)


def mark_handled(db: sqlite_utils.Database, by: int, group: Group, handled_as: str) -> int:
    """Mark a group's questions as handled (``phrasing:<topic>``, ``draft:<topic>``,
    ``ignored``), audited; return how many rows."""
    with db.atomic():
        placeholders = ", ".join("?" * len(group.ids))
        count = db.execute(
            f"UPDATE unanswered SET handled_at = ?, handled_by = ?, handled_as = ? "  # noqa: S608
            f"WHERE handled_at IS NULL AND id IN ({placeholders})",
            [utcnow(), by, handled_as, *group.ids],
        ).rowcount
        audit.record(
            db, by, "unanswered.handled", group.text[:50], after={"as": handled_as, "questions": count}
        )
    return count
