"""FAQ entries edited by admins: every change is a version with its source, drafts are
reviewed before they reach voters, publishing writes the live FAQ with an audit entry, and
no version is ever deleted.

Versions live in ``faq_versions``; a document is the entry in the ``content/faq`` YAML shape
(:func:`bot.content.entry_to_dict`), partial while it is a draft. The live FAQ tables always
hold the document of the topic's one ``published`` version: :func:`sync_live` records the
stored entries as versions on first use (and again after ``content reload``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from bot import audit
from bot.db import utcnow
from bot.faq.documents import (
    MAX_TEXT,
    MIN_SOURCE,
    EditRefused,
    apply_edit,
    check_source,
    check_topic_id,
    missing_fields,
    new_document,
)
from bot.faq.entries import FaqEntry, entry_to_dict, parse_entry, read_faq
from bot.i18n import N_
from bot.languages import LANGS

DRAFT, PUBLISHED, SUPERSEDED, DISCARDED = "draft", "published", "superseded", "discarded"
VOTER_QUESTION = "voter question from /unanswered"
SEED_SOURCE = "stored FAQ (content/faq files)"
_COLUMNS = (
    "id, topic, version, status, action, document, change_source, base_id, replaced_id, "
    "created_by, created_at, published_by, published_at"
)


@dataclass(frozen=True)
class Version:
    """One version of one FAQ entry."""

    id: int
    topic: str
    version: int
    status: str
    action: str
    document: dict
    change_source: str
    base_id: int | None  # the published version a draft was made from
    replaced_id: int | None  # the published version this one replaced when published
    created_by: int
    created_at: str
    published_by: int | None
    published_at: str | None


@dataclass(frozen=True)
class TopicState:
    """A topic in the /faq list: its live version and any open draft."""

    topic: str
    titles: dict[str, str]
    live: Version | None
    draft: Version | None


def _versions(db: sqlite_utils.Database, where: str, params: list) -> list[Version]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM faq_versions WHERE {where} ORDER BY topic, version DESC",  # noqa: S608
        params,
    ).fetchall()
    return [Version(*r[:5], json.loads(r[5]), *r[6:]) for r in rows]  # type: ignore[misc]


def get(db: sqlite_utils.Database, version_id: int) -> Version | None:
    """One version by its ID."""
    found = _versions(db, "id = ?", [version_id])
    return found[0] if found else None


def current(db: sqlite_utils.Database, topic: str) -> Version | None:
    """The topic's published (live) version."""
    found = _versions(db, "topic = ? AND status = ?", [topic, PUBLISHED])
    return found[0] if found else None


def open_draft(db: sqlite_utils.Database, topic: str) -> Version | None:
    """The topic's draft waiting for review."""
    found = _versions(db, "topic = ? AND status = ?", [topic, DRAFT])
    return found[0] if found else None


def history(db: sqlite_utils.Database, topic: str) -> list[Version]:
    """Every version of a topic, newest first."""
    return _versions(db, "topic = ?", [topic])


def sync_live(db: sqlite_utils.Database) -> None:
    """Record each stored entry that no published version matches (the FAQ as stored
    before versioning, or replaced by ``content reload``) as its published version."""
    live = {e.topic: entry_to_dict(e) for e in read_faq(db)}
    published = {v.topic: v for v in _versions(db, "status = ?", [PUBLISHED])}
    changed = [t for t, doc in live.items() if t not in published or published[t].document != doc]
    gone = [t for t in published if t not in live]
    if not changed and not gone:
        return
    with db.atomic():
        for topic in (*changed, *gone):
            if topic in published:
                db["faq_versions"].update(published[topic].id, {"status": SUPERSEDED})
        for topic in changed:
            old = published.get(topic)
            _insert(
                db,
                topic,
                live[topic],
                SEED_SOURCE,
                "baseline" if old is None else "reload",
                audit.SYSTEM,
                None,
                status=PUBLISHED,
                published_by=audit.SYSTEM,
                published_at=utcnow(),
                replaced_id=old.id if old else None,
            )


def _insert(
    db: sqlite_utils.Database,
    topic: str,
    document: dict,
    source: str,
    action: str,
    by: int,
    base_id: int | None,
    status: str = DRAFT,
    **extra: object,
) -> Version:
    """A new version with the topic's next number."""
    number = db.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM faq_versions WHERE topic = ?", [topic])
    row = {
        "topic": topic,
        "version": number.fetchone()[0],
        "status": status,
        "action": action,
        "document": json.dumps(document, ensure_ascii=False),
        "change_source": source,
        "base_id": base_id,
        "created_by": by,
        "created_at": utcnow(),
        **extra,
    }
    found = get(db, int(db["faq_versions"].insert(row).last_pk))  # type: ignore[arg-type]
    assert found is not None
    return found


def overview(db: sqlite_utils.Database) -> list[TopicState]:
    """Every topic with a live version or a draft, alphabetical."""
    sync_live(db)
    live = {v.topic: v for v in _versions(db, "status = ?", [PUBLISHED])}
    drafts = {v.topic: v for v in _versions(db, "status = ?", [DRAFT])}
    states = []
    for topic in sorted(set(live) | set(drafts)):
        doc = (live.get(topic) or drafts[topic]).document
        states.append(TopicState(topic, dict(doc.get("title") or {}), live.get(topic), drafts.get(topic)))
    return states


def working_document(db: sqlite_utils.Database, topic: str) -> dict:
    """What the next edit of ``topic`` starts from: its draft, else its live entry, else new."""
    sync_live(db)
    version = open_draft(db, topic) or current(db, topic)
    return version.document if version else new_document(topic)


def save_draft(
    db: sqlite_utils.Database,
    by: int,
    topic: str,
    document: dict,
    source: str,
    action: str,
    base_id: int | None,
) -> Version:
    """Store ``document`` as the topic's draft (an older draft is kept, superseded); audited."""
    source = check_source(source)
    with db.atomic():
        old = open_draft(db, topic)
        live = current(db, topic)
        if old is not None:
            db["faq_versions"].update(old.id, {"status": SUPERSEDED})
        document = {**document, "topic": topic}
        version = _insert(db, topic, document, source, action, by, base_id)
        before = old.document if old else live.document if live else None
        audit.record(
            db, by, "faq.draft", topic, before=before, after=document, note=f"v{version.version}: {source}"
        )
    return version


def edit_field(
    db: sqlite_utils.Database, by: int, topic: str, lang: str, field: str, value: str, source: str
) -> Version:
    """Change one field of the topic's draft (started from the live entry when none)."""
    topic = check_topic_id(topic)
    source = check_source(source)
    sync_live(db)
    old, live = open_draft(db, topic), current(db, topic)
    start = old.document if old else live.document if live else new_document(topic)
    document = apply_edit(start, lang, field, value)
    base_id = old.base_id if old else live.id if live else None
    return save_draft(db, by, topic, document, source, "edit", base_id)


def unpublish(db: sqlite_utils.Database, by: int, topic: str, source: str) -> Version:
    """A draft that, once published, hides the topic from voters (its texts are kept)."""
    source = check_source(source)
    sync_live(db)
    live = current(db, topic)
    if live is None or live.document.get("status") != "published":
        raise EditRefused(N_("{topic} is not published."), topic=topic)
    document = {**live.document, "status": "draft"}
    return save_draft(db, by, topic, document, source, "delete", live.id)


def import_entries(
    db: sqlite_utils.Database, by: int, entries: list[FaqEntry], source: str, filename: str
) -> tuple[list[Version], list[str]]:
    """Drafts from validated entries, all or nothing; returns (drafts, unchanged topics)."""
    source = check_source(source)
    sync_live(db)
    drafts, unchanged = [], []
    with db.atomic():
        for entry in entries:
            document = entry_to_dict(entry)
            live, old = current(db, entry.topic), open_draft(db, entry.topic)
            if document in [v.document for v in (live, old) if v is not None]:
                unchanged.append(entry.topic)  # as published, or as its draft already is
                continue
            base_id = live.id if live else None
            drafts.append(save_draft(db, by, entry.topic, document, source, "upload", base_id))
        audit.record(
            db,
            by,
            "faq.upload",
            filename,
            after={"drafts": [v.topic for v in drafts], "unchanged": unchanged},
            note=source,
        )
    return drafts, unchanged


def discard(db: sqlite_utils.Database, by: int, version_id: int) -> Version:
    """Drop a draft (it is kept as ``discarded``); audited."""
    version = get(db, version_id)
    if version is None or version.status != DRAFT:
        raise EditRefused(N_("This draft was already published, discarded or replaced."))
    with db.atomic():
        db["faq_versions"].update(version.id, {"status": DISCARDED})
        audit.record(
            db, by, "faq.discard", version.topic, before=version.document, note=f"v{version.version}"
        )
    return version


def _write_live(db: sqlite_utils.Database, entry: FaqEntry) -> None:
    """Replace one topic's rows in the live FAQ tables (inside the caller's transaction)."""
    for table in ("faq_questions", "faq_texts", "faq_entries"):
        db.execute(f"DELETE FROM {table} WHERE topic = ?", [entry.topic])  # noqa: S608 - fixed names
    db["faq_entries"].insert(
        {
            "topic": entry.topic,
            "status": entry.status,
            "as_of": entry.as_of.isoformat(),
            "sources": json.dumps(list(entry.sources), ensure_ascii=False),
            "updated_at": utcnow(),
        }
    )
    db["faq_texts"].insert_all(
        {"topic": entry.topic, "lang": lang, "title": entry.titles[lang], "answer": entry.answers[lang]}
        for lang in LANGS
    )
    db["faq_questions"].insert_all(
        {"topic": entry.topic, "lang": lang, "text": q} for lang in LANGS for q in entry.questions[lang]
    )


def _make_live(db: sqlite_utils.Database, by: int, version: Version, action: str) -> Version:
    """Publish ``version`` (validated): live tables, statuses and audit in one transaction."""
    missing = missing_fields(version.document)
    if len(version.change_source.strip()) < MIN_SOURCE:
        missing.append("change_source")
    if missing:
        raise EditRefused(N_("Not published: missing {fields}."), fields=", ".join(missing))
    entry = parse_entry(version.document, f"{version.topic} v{version.version}", version.topic)
    live = current(db, version.topic)
    with db.atomic():
        _write_live(db, entry)
        if live is not None:
            db["faq_versions"].update(live.id, {"status": SUPERSEDED})
        db["faq_versions"].update(
            version.id,
            {
                "status": PUBLISHED,
                "published_by": by,
                "published_at": utcnow(),
                "replaced_id": live.id if live else None,
            },
        )
        audit.record(
            db,
            by,
            action,
            version.topic,
            before=live.document if live else None,
            after=version.document,
            note=f"v{version.version}: {version.change_source}",
        )
    found = get(db, version.id)
    assert found is not None
    return found


def publish(db: sqlite_utils.Database, by: int, version_id: int) -> Version:
    """Publish a draft; refused when incomplete or made from an older published version.

    Raises :class:`EditRefused`, or :class:`bot.content.ContentError` naming the field.
    """
    sync_live(db)
    version = get(db, version_id)
    if version is None or version.status != DRAFT:
        raise EditRefused(N_("This draft was already published, discarded or replaced."))
    live = current(db, version.topic)
    if version.base_id != (live.id if live else None):
        raise EditRefused(
            N_(
                "The published entry changed after this draft was made (it is now version "
                "{version}). Discard the draft and edit again."
            ),
            version=live.version if live else 0,
        )
    return _make_live(db, by, version, "faq.publish")


def _publish_copy(
    db: sqlite_utils.Database, by: int, topic: str, document: dict, source: str, action: str
) -> Version:
    """A new version with ``document``, published at once (open drafts stay as they are)."""
    live = current(db, topic)
    with db.atomic():
        version = _insert(db, topic, document, source, action, by, live.id if live else None, "new")
        return _make_live(db, by, version, "faq." + action)


def undo(db: sqlite_utils.Database, by: int, topic: str) -> Version:
    """Publish again what was live before the current version (an entry that was new
    before it is hidden); a new version, audited."""
    sync_live(db)
    live = current(db, topic)
    if live is None:
        raise EditRefused(N_("{topic} has no published version."), topic=topic)
    previous = get(db, live.replaced_id) if live.replaced_id else None
    if previous is None and live.action == "baseline":
        raise EditRefused(N_("Nothing to undo: version {version} is the first one."), version=live.version)
    document = previous.document if previous else {**live.document, "status": "draft"}
    restored = previous.version if previous else 0
    source = f"undo of v{live.version}" + (f", restores v{restored}" if restored else ", hides the topic")
    return _publish_copy(db, by, topic, document, source, "undo")


def revert(db: sqlite_utils.Database, by: int, version_id: int) -> Version:
    """Publish again a version that was once published; a new version, audited."""
    sync_live(db)
    old = get(db, version_id)
    if old is None or old.published_at is None:
        raise EditRefused(N_("Only a version that was published can be restored."))
    live = current(db, old.topic)
    if live is not None and live.id == old.id:
        raise EditRefused(N_("Version {version} is the published one."), version=old.version)
    return _publish_copy(db, by, old.topic, old.document, f"revert to v{old.version}", "revert")


def add_phrasing(
    db: sqlite_utils.Database, by: int, topic: str, lang: str, text: str, source: str = VOTER_QUESTION
) -> Version:
    """Publish the topic with one more phrasing; an open draft made from the same live
    version gets it too (so it can still be published)."""
    sync_live(db)
    live = current(db, topic)
    if live is None or live.document.get("status") != "published":
        raise EditRefused(N_("{topic} is not published."), topic=topic)
    document = apply_edit(live.document, lang, "add_question", text[:MAX_TEXT])
    draft = open_draft(db, topic)
    with db.atomic():
        version = _publish_copy(db, by, topic, document, check_source(source), "phrasing")
        if draft is not None and draft.base_id == live.id:
            try:
                rebased = apply_edit(draft.document, lang, "add_question", text[:MAX_TEXT])
            except EditRefused:
                rebased = draft.document
            save_draft(db, by, topic, rebased, draft.change_source, draft.action, version.id)
    return version
