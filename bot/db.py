"""The SQLite database: opening it and migrating its schema in code.

Each migration is a function applied once, inside a transaction, and recorded in the
``_migrations`` table, so a database created by any earlier version is brought up to date
on start without losing data.
"""

from __future__ import annotations

import contextlib
import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from bot.languages import LANGS

Migration = Callable[[sqlite_utils.Database], None]


def utcnow() -> str:
    """Current UTC time as ISO 8601 text, the format every timestamp column uses."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _m001_faq_and_users(db: sqlite_utils.Database) -> None:
    db["faq_entries"].create(
        {
            "topic": str,
            "status": str,
            "as_of": str,
            "sources": str,  # JSON list of strings
            "updated_at": str,
        },
        pk="topic",
    )
    db["faq_texts"].create(
        {"topic": str, "lang": str, "title": str, "answer": str},
        pk=("topic", "lang"),
        foreign_keys=[("topic", "faq_entries", "topic")],
    )
    db["faq_questions"].create(
        {"id": int, "topic": str, "lang": str, "text": str},
        pk="id",
        foreign_keys=[("topic", "faq_entries", "topic")],
    )
    db["faq_questions"].create_index(["topic"])
    db["users"].create({"user_id": int, "lang": str, "updated_at": str}, pk="user_id")
    # Questions the bot could not answer or that voters marked "not helpful":
    # text, language and time only, never who asked.
    db["unanswered"].create(
        {"id": int, "text": str, "lang": str, "reason": str, "topic": str, "created_at": str},
        pk="id",
        not_null={"text", "reason", "created_at"},
    )
    db["unanswered"].create_index(["created_at"])
    db["feedback"].create(
        {"topic": str, "lang": str, "day": str, "helpful": int, "not_helpful": int},
        pk=("topic", "lang", "day"),
    )
    db["meta"].create({"key": str, "value": str}, pk="key")


def _m002_candidates(db: sqlite_utils.Database) -> None:
    """Elections, areas, parties, ballots and candidates (after Democracy Club's model)."""
    db["elections"].create(
        {
            "id": str,
            "type": str,  # presidential / parliament / maslikhat / akim / referendum
            "level": str,  # national / regional / district / city / rural
            "date": str,
            "status": str,  # scheduled / held / unverified
            "name_kk": str,
            "name_ru": str,
            "name_id": str,
            "seats": int,
            "turnout": float,
            "registered_candidates": int,  # published aggregates, used without candidate rows
            "party_nominated": int,
            "self_nominated": int,
            "sources": str,  # JSON list
            "is_sample": int,
            "updated_at": str,
        },
        pk="id",
        not_null={"type", "date", "status"},
    )
    db["elections"].create_index(["date"])
    db["areas"].create(
        {
            "id": str,
            "parent_id": str,
            "type": str,  # region / city / district / rural_district
            "name_kk": str,
            "name_ru": str,
            "name_en": str,
            "is_sample": int,
        },
        pk="id",
        foreign_keys=[("parent_id", "areas", "id")],
    )
    db["areas"].create_index(["parent_id"])
    db["parties"].create(
        {
            "id": str,
            "name_kk": str,
            "name_ru": str,
            "name_id": str,
            "aliases": str,
            "results": str,
            "sources": str,
        },
        pk="id",
    )
    db["ballots"].create(
        {
            "id": str,  # election/area/constituency
            "election_id": str,
            "area_id": str,
            "constituency": str,  # "" when the contest covers the whole area
            "seats": int,
            "system": str,  # party_list / single_member
            "is_sample": int,
        },
        pk="id",
        foreign_keys=[("election_id", "elections", "id"), ("area_id", "areas", "id")],
    )
    db["ballots"].create_index(["election_id", "area_id"])
    db["candidates"].create(
        {
            "id": int,
            "ballot_id": str,
            "full_name": str,  # as registered, in Cyrillic
            "name_latin": str,
            "name_key": str,  # folded, for search and the natural key
            "birth_year": int,
            "party_id": str,  # null when self-nominated
            "list_position": int,
            "status": str,  # registered / withdrawn / deregistered / elected
            "votes": int,
            "source": str,
            "is_sample": int,
            "updated_at": str,
        },
        pk="id",
        not_null={"ballot_id", "full_name", "name_key", "status", "source"},
        foreign_keys=[("ballot_id", "ballots", "id"), ("party_id", "parties", "id")],
    )
    db["candidates"].create_index(["ballot_id", "name_key", "birth_year"], unique=True)
    db["candidates"].create_index(["party_id"])
    db["candidates"].create_index(["name_key"])


def _m003_missions(db: sqlite_utils.Database) -> None:
    """Embassies and consulates; fields not confirmed by an admin stay hidden from voters."""
    db["missions"].create(
        {
            "id": str,
            "kind": str,  # embassy / consulate
            "country": str,  # ISO 3166-1 alpha-2
            "country_names": str,  # JSON {kk, ru, id, en}
            "country_aliases": str,  # JSON list
            "city_names": str,  # JSON {kk, ru, id, en}
            "city_aliases": str,  # JSON list
            "names": str,  # JSON {kk, ru, id}
            "website": str,
            "email": str,
            "phone": str,
            "address": str,
            "hours": str,
            "latitude": float,
            "longitude": float,
            "verified": str,  # JSON list of field names confirmed from an official source
            "unverified": str,  # JSON {field: value}: kept for admins, never shown to voters
            "sources": str,  # JSON list
            "updated_at": str,
        },
        pk="id",
    )
    db["missions"].create_index(["country"])


def _m004_mission_polling(db: sqlite_utils.Database) -> None:
    """Each mission's time zone, and whether it opens a polling station for an election."""
    db["missions"].add_column("timezone", str)  # IANA name, e.g. Asia/Jakarta
    db["mission_polling"].create(
        {
            "mission_id": str,
            "election_id": str,
            "open": int,  # 1: a polling station opens there for this election; 0: it does not
            "hours": str,  # local time, e.g. 07:00-20:00
            "source": str,
            "updated_at": str,
        },
        pk=("mission_id", "election_id"),
        not_null={"open", "source"},
        foreign_keys=[("mission_id", "missions", "id"), ("election_id", "elections", "id")],
    )


def _m005_reminders(db: sqlite_utils.Database) -> None:
    """Reminder subscriptions, and an outbox that delivers each message at most once."""
    db["subscriptions"].create(
        {
            "user_id": int,
            "election_id": str,  # "*" for every vote
            "lang": str,  # the language reminders are written in
            "mission_id": str,  # the mission the user votes at abroad, if they chose one
            "created_at": str,
        },
        pk=("user_id", "election_id"),
        not_null={"lang", "created_at"},
    )
    db["outbox"].create(
        {
            "id": int,
            "key": str,  # one message per key, ever: e.g. reminder/<election>/<when>/<user>
            "kind": str,  # reminder / broadcast
            "user_id": int,
            "payload": str,  # JSON: what to render, in the user's language at send time
            "status": str,  # pending / sending / sent / unconfirmed / failed / dropped
            "attempts": int,
            "not_before": str,  # UTC ISO time
            "created_at": str,
            "sent_at": str,
            "error": str,
        },
        pk="id",
        not_null={"key", "kind", "user_id", "status", "attempts", "not_before", "created_at"},
    )
    db["outbox"].create_index(["key"], unique=True)
    db["outbox"].create_index(["status", "not_before"])


def _m006_admins_and_audit(db: sqlite_utils.Database) -> None:
    """Admins added in the bot (owners come from ADMIN_IDS), the audit log, and uploads
    waiting for an admin's confirmation."""
    db["admins"].create({"user_id": int, "added_by": int, "added_at": str}, pk="user_id")
    db["audit_log"].create(
        {
            "id": int,
            "at": str,
            "user_id": int,  # who (0: the system)
            "action": str,  # e.g. candidates.import, admin.add, denied
            "target": str,  # what: a topic, an election, a user ID, a file name
            "before": str,  # JSON, or null
            "after": str,  # JSON, or null
            "note": str,  # the change's source or a summary
        },
        pk="id",
        not_null={"at", "user_id", "action"},
    )
    db["audit_log"].create_index(["at"])
    db["uploads"].create(
        {
            "id": int,
            "user_id": int,
            "kind": str,  # candidates
            "filename": str,
            "content": bytes,
            "report": str,  # the dry-run report shown to the admin
            "status": str,  # pending / applied / cancelled / rejected
            "created_at": str,
        },
        pk="id",
        not_null={"user_id", "kind", "content", "status", "created_at"},
    )


def _m007_question_counts_and_broadcasts(db: sqlite_utils.Database) -> None:
    """Anonymous counts of questions per day (for /stats), and admins' broadcasts."""
    db["question_counts"].create(
        {"day": str, "lang": str, "topic": str, "count": int},  # topic "" = not answered
        pk=("day", "lang", "topic"),
        not_null={"count"},
    )
    db["broadcasts"].create(
        {
            "id": int,
            "created_by": int,
            "texts": str,  # JSON {kk, ru, id}
            "status": str,  # draft / sending / done / cancelled
            "total": int,
            "created_at": str,
            "started_at": str,
            "finished_at": str,
            "admin_lang": str,  # the language of the admin's progress message
            "status_chat_id": int,  # the admin's progress message, edited as it goes
            "status_message_id": int,
        },
        pk="id",
        not_null={"created_by", "texts", "status", "created_at"},
    )


def _m008_faq_versions(db: sqlite_utils.Database) -> None:
    """Every version of every FAQ entry (drafts, published, superseded, discarded), and
    which unanswered questions an admin has handled."""
    db["faq_versions"].create(
        {
            "id": int,
            "topic": str,
            "version": int,  # 1, 2, 3... per topic
            "status": str,  # draft / published / superseded / discarded
            "action": str,  # what made it: baseline, edit, upload, delete, phrasing, undo, revert, ...
            "document": str,  # JSON: the entry in the content/faq YAML shape (drafts may be partial)
            "change_source": str,  # the source the admin gave for this change
            "base_id": int,  # the published version a draft was made from (null: none)
            "replaced_id": int,  # the published version this one replaced (what /undo restores)
            "created_by": int,
            "created_at": str,
            "published_by": int,
            "published_at": str,
        },
        pk="id",
        not_null={"topic", "version", "status", "action", "document", "change_source", "created_at"},
    )
    db["faq_versions"].create_index(["topic", "version"], unique=True)
    db["unanswered"].add_column("handled_at", str)  # null: still waiting for an admin
    db["unanswered"].add_column("handled_by", int)
    db["unanswered"].add_column("handled_as", str)  # e.g. phrasing:<topic>, draft:<topic>, ignored


def _m009_candidate_sort_keys(db: sqlite_utils.Database) -> None:
    """Alphabetical order of candidate names per language: CLDR collation sort keys, filled by
    the importer (and for rows from before, by ``bot.candidates.importing.fill_sort_keys``)."""
    for lang in LANGS:
        db["candidates"].add_column(f"sort_{lang}", bytes)
    for lang in LANGS:
        db["candidates"].create_index(["ballot_id", f"sort_{lang}", "birth_year"])


def _m010_denied_attempts(db: sqlite_utils.Database) -> None:
    """Denied admin attempts counted per user (the audit log keeps only the first few a day)."""
    db["denied_attempts"].create(
        {"user_id": int, "count": int, "first_at": str, "last_at": str}, pk="user_id", not_null={"count"}
    )
    db["audit_log"].create_index(["action", "user_id", "at"])  # today's logged attempts, by index


def _m011_party_lists_in_order(db: sqlite_utils.Database) -> None:
    """A party's candidates read in Kazakh alphabetical order off an index, not sorted per query."""
    db["candidates"].create_index(["party_id", "sort_kk", "birth_year"])


MIGRATIONS: list[tuple[str, Migration]] = [
    ("001_faq_and_users", _m001_faq_and_users),
    ("002_candidates", _m002_candidates),
    ("003_missions", _m003_missions),
    ("004_mission_polling", _m004_mission_polling),
    ("005_reminders", _m005_reminders),
    ("006_admins_and_audit", _m006_admins_and_audit),
    ("007_question_counts_and_broadcasts", _m007_question_counts_and_broadcasts),
    ("008_faq_versions", _m008_faq_versions),
    ("009_candidate_sort_keys", _m009_candidate_sort_keys),
    ("010_denied_attempts", _m010_denied_attempts),
    ("011_party_lists_in_order", _m011_party_lists_in_order),
]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply the migrations this database has not seen; return their names."""
    db["_migrations"].create({"name": str, "applied_at": str}, pk="name", if_not_exists=True)
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            migration(db)
            db["_migrations"].insert({"name": name, "applied_at": utcnow()})
        applied.append(name)
    return applied


@contextlib.contextmanager
def startup_lock(path: Path | str) -> Iterator[None]:
    """Hold an exclusive lock beside the database file while a process migrates and seeds it,
    so several workers started at once on a new database do it one after the other."""
    if str(path) == ":memory:":
        yield
        return
    lock_path = Path(f"{path}.startup-lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


PAGE_CACHE_KIB = 512  # SQLite's page cache per connection


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path``, in WAL mode, migrated."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(sqlite3.connect(str(path), check_same_thread=False))
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 5000")
    # With WAL, NORMAL syncs at checkpoints instead of every commit: a crash of the bot loses
    # nothing, a power cut can roll back the last commits, and the file is never corrupted.
    db.execute("PRAGMA synchronous = NORMAL")
    # SQLite's own page cache (2 MB by default): the operating system caches the file as well,
    # so a smaller one costs a read call on a miss, not a disk read, and 1.5 MB less memory.
    db.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    migrate(db)
    return db


def get_meta(db: sqlite_utils.Database, key: str) -> str | None:
    """Read one value from the ``meta`` table."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_meta(db: sqlite_utils.Database, key: str, value: str) -> None:
    """Write one value to the ``meta`` table."""
    db["meta"].upsert({"key": key, "value": value}, pk="key")
