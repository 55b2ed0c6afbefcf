"""What counts as a source a voter can open and check: one URL of a specific page.

Not a source: words instead of a link, internal file names ("shared/CONTENT.md"), a site's bare
home page ("https://www.inform.kz"), or a foreign government's page cited for Kazakh law.
Used by the content audit (tests) and by the admin digest, which lists what to mend.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import sqlite_utils

from bot.faq.entries import MAX_SOURCE
from bot.i18n import N_

# A path that is only a language or an index page: "", "/", "/ru", "/kz/", "/index.php".
_HOME_PATH = re.compile(r"/?([a-z]{2,3}/?)?(index\.(php|html?))?", re.IGNORECASE)
# Government domains of other countries (gob.mx, gov.uk, go.id ...); Kazakhstan's are *.gov.kz.
_FOREIGN_GOVERNMENT = re.compile(r"\.(gov|gob|go|gouv|govt)\.(?!kz$)[a-z]{2}$")


def source_problem(source: str) -> str | None:
    """Why ``source`` is not a checkable page (an untranslated message ID), or None when it is."""
    text = source.strip()
    if len(text) > MAX_SOURCE:
        return N_("too long for a card")
    if not text.startswith(("https://", "http://")) or any(c.isspace() for c in text):
        return N_("not one link to a page")
    parts = urlsplit(text)
    host = (parts.hostname or "").lower()
    if "." not in host:
        return N_("not one link to a page")
    if _HOME_PATH.fullmatch(parts.path) and not parts.query:
        return N_("a home page, not the page that says it")
    if _FOREIGN_GOVERNMENT.search(host):
        return N_("a foreign government's page")
    return None


def published_sources(db: sqlite_utils.Database) -> Iterator[tuple[str, str, str]]:
    """(kind, ID, source) for every source voters can see: FAQ answers, votes, missions, polling
    stations and parties."""
    for topic, sources in db.execute("SELECT topic, sources FROM faq_entries WHERE status = 'published'"):
        for source in json.loads(sources or "[]"):
            yield "faq", topic, source
    for election_id, sources in db.execute(
        "SELECT id, sources FROM elections WHERE coalesce(is_sample, 0) = 0"
    ):
        for source in json.loads(sources or "[]"):
            yield "election", election_id, source
    for mission_id, sources in db.execute("SELECT id, sources FROM missions"):
        for source in json.loads(sources or "[]"):
            yield "mission", mission_id, source
    for mission_id, election_id, source in db.execute(
        "SELECT mission_id, election_id, source FROM mission_polling"
    ):
        yield "polling", f"{mission_id}/{election_id}", source
    for party_id, sources in db.execute("SELECT id, sources FROM parties"):
        for source in json.loads(sources or "[]"):
            yield "party", party_id, source


def weak_sources(db: sqlite_utils.Database) -> list[tuple[str, str, str, str]]:
    """(kind, ID, source, problem) for every published source that is not a checkable page."""
    return [
        (kind, item, source, problem)
        for kind, item, source in published_sources(db)
        if (problem := source_problem(source)) is not None
    ]
