"""Admins' broadcasts to reminder subscribers, each in the subscriber's language.

A broadcast is queued in the outbox (one row per subscriber, a unique key), so sending
resumes after a restart without duplicates; its progress is counted from the outbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape

import sqlite_utils

from bot import audit
from bot.db import utcnow
from bot.delivery import outbox
from bot.i18n import gettext
from bot.languages import LANGS, Lang

KIND = "broadcast"
MAX_TEXT = 3500  # leaves room within Telegram's 4,096 characters


@dataclass(frozen=True)
class Broadcast:
    """One broadcast and its state."""

    id: int
    created_by: int
    texts: dict[str, str]
    status: str  # draft / sending / done / cancelled
    total: int | None
    admin_lang: Lang | None
    status_chat_id: int | None
    status_message_id: int | None


def create(db: sqlite_utils.Database, by: int) -> int:
    """A new, empty draft."""
    with db.atomic():
        return int(
            db["broadcasts"]
            .insert({"created_by": by, "texts": "{}", "status": "draft", "created_at": utcnow()})
            .last_pk
        )


def get(db: sqlite_utils.Database, broadcast_id: int) -> Broadcast | None:
    """One broadcast, or None."""
    row = db.execute(
        "SELECT id, created_by, texts, status, total, admin_lang, status_chat_id, status_message_id "
        "FROM broadcasts "
        "WHERE id = ?",
        [broadcast_id],
    ).fetchone()
    return Broadcast(row[0], row[1], json.loads(row[2]), *row[3:]) if row else None


def set_text(db: sqlite_utils.Database, broadcast_id: int, lang: str, text: str) -> None:
    """Set the draft's text in one language."""
    draft = get(db, broadcast_id)
    if draft is None or draft.status != "draft" or lang not in LANGS:
        raise ValueError("not a draft")
    texts = {**draft.texts, lang: text[:MAX_TEXT]}
    with db.atomic():
        db["broadcasts"].update(broadcast_id, {"texts": json.dumps(texts, ensure_ascii=False)})


def recipients(db: sqlite_utils.Database) -> list[tuple[int, str]]:
    """(user ID, language) of every reminder subscriber, once each."""
    rows = db.execute("SELECT user_id, min(lang) FROM subscriptions GROUP BY user_id ORDER BY user_id")
    return [(r[0], r[1]) for r in rows]


def start(
    db: sqlite_utils.Database,
    broadcast_id: int,
    by: int,
    admin_lang: Lang,
    status_chat_id: int,
    status_message_id: int,
) -> int:
    """Queue a complete draft for every subscriber; return how many messages were queued."""
    draft = get(db, broadcast_id)
    if draft is None or draft.status != "draft" or set(draft.texts) != set(LANGS):
        raise ValueError("the broadcast needs a text in every language")
    people = recipients(db)
    with db.atomic():
        for user_id, lang in people:
            payload = {"broadcast": broadcast_id, "lang": lang}
            outbox.enqueue(db, f"{KIND}/{broadcast_id}/{user_id}", KIND, user_id, payload)
        db["broadcasts"].update(
            broadcast_id,
            {
                "status": "sending",
                "total": len(people),
                "started_at": utcnow(),
                "admin_lang": admin_lang,
                "status_chat_id": status_chat_id,
                "status_message_id": status_message_id,
            },
        )
        audit.record(
            db, by, "broadcast.start", str(broadcast_id), after=draft.texts, note=f"{len(people)} recipients"
        )
    return len(people)


def cancel(db: sqlite_utils.Database, broadcast_id: int, by: int) -> bool:
    """Cancel a draft, or stop a broadcast being sent (what was sent stays sent)."""
    draft = get(db, broadcast_id)
    if draft is None or draft.status not in ("draft", "sending"):
        return False
    with db.atomic():
        db.execute(
            "DELETE FROM outbox WHERE kind = ? AND key LIKE ? AND status = ?",
            [KIND, f"{KIND}/{broadcast_id}/%", outbox.PENDING],
        )
        db["broadcasts"].update(broadcast_id, {"status": "cancelled", "finished_at": utcnow()})
        audit.record(db, by, "broadcast.cancel", str(broadcast_id))
    return True


def text_for(db: sqlite_utils.Database, message: outbox.Outgoing) -> str | None:
    """The broadcast in the recipient's language, as Telegram HTML (None if it was cancelled)."""
    broadcast = get(db, int(message.payload["broadcast"]))
    if broadcast is None or broadcast.status != "sending":
        return None
    return escape(broadcast.texts[message.payload["lang"]])


def progress(db: sqlite_utils.Database, broadcast_id: int) -> dict[str, int]:
    """Messages of a broadcast per outbox status."""
    rows = db.execute(
        "SELECT status, count(*) FROM outbox WHERE kind = ? AND key LIKE ? GROUP BY status",
        [KIND, f"{KIND}/{broadcast_id}/%"],
    )
    return dict(rows.fetchall())


def sending(db: sqlite_utils.Database) -> list[Broadcast]:
    """Broadcasts being sent."""
    ids = [r[0] for r in db.execute("SELECT id FROM broadcasts WHERE status = 'sending' ORDER BY id")]
    return [b for b in (get(db, i) for i in ids) if b is not None]


def finish_if_done(db: sqlite_utils.Database, broadcast_id: int) -> bool:
    """Mark a broadcast done when nothing of it is left to send; True if it just finished."""
    counts = progress(db, broadcast_id)
    if counts.get(outbox.PENDING) or counts.get(outbox.SENDING):
        return False
    with db.atomic():
        changed = db.execute(
            "UPDATE broadcasts SET status = 'done', finished_at = ? WHERE id = ? AND status = 'sending'",
            [utcnow(), broadcast_id],
        ).rowcount
    return changed > 0


def progress_text(broadcast: Broadcast, counts: dict[str, int], lang: Lang, done: bool) -> str:
    """The admin's status message: progress while sending, the final report when done."""
    total = broadcast.total or 0
    sent = counts.get(outbox.SENT, 0)
    unsure = counts.get(outbox.UNCONFIRMED, 0)
    failed = counts.get(outbox.FAILED, 0)
    gone = max(0, total - sum(counts.values()))  # blocked the bot or asked to be forgotten
    if done:
        head = gettext("Broadcast #{id} finished.", lang).format(id=broadcast.id)
    else:
        head = gettext("Broadcast #{id}: sending…", lang).format(id=broadcast.id)
    figures = gettext(
        "Sent {sent} of {total}; not confirmed {unsure}; failed {failed}; blocked the bot {gone}.", lang
    ).format(sent=sent, total=total, unsure=unsure, failed=failed, gone=gone)
    return escape(head + "\n" + figures)
