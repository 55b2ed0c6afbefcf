"""FAQ documents: an entry in the ``content/faq`` YAML shape as a plain dict (partial while
it is a draft), the edits admins make to one, and what it still lacks to be published."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from bot.faq.entries import MAX_ANSWER_CHARS, MAX_TITLE_CHARS, FaqEntry, parse_date
from bot.i18n import N_
from bot.languages import LANGS
from bot.text.normalize import key

PER_LANG_FIELDS = ("title", "answer", "add_question", "remove_question")
FIELDS = (*PER_LANG_FIELDS, "sources", "as_of", "status")
MAX_TEXT = 300  # a phrasing, a source
MIN_SOURCE = 3
TOPIC_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")  # as bot.faq.entries checks it


class EditRefused(ValueError):
    """A change refused; ``message`` is an untranslated msgid, ``params`` fill it in."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message, self.params = message, params


def check_source(source: str) -> str:
    """The source of a change, cleaned; refused when missing or too long."""
    source = " ".join(source.split())
    if len(source) < MIN_SOURCE:
        raise EditRefused(N_("Every change needs a source: a URL or a document title."))
    if len(source) > MAX_TEXT:
        raise EditRefused(N_("The source is at most {n} characters."), n=MAX_TEXT)
    return source


def check_topic_id(topic: str) -> str:
    """A topic ID (lowercase letters, digits, hyphens), or refused."""
    topic = topic.strip().lower()
    if not TOPIC_PATTERN.match(topic):
        raise EditRefused(
            N_("A topic ID has lowercase Latin letters, digits and hyphens, like voting-hours.")
        )
    return topic


def new_document(topic: str) -> dict:
    """The start of a new entry: published when complete, checked today, nothing else yet."""
    today = datetime.now(UTC).date().isoformat()
    return {
        "topic": topic,
        "status": "published",
        "as_of": today,
        "sources": [],
        "title": {},
        "questions": {},
        "answer": {},
    }


def _lines(value: str) -> list[str]:
    return [" ".join(line.split()) for line in value.splitlines() if line.strip()]


def apply_edit(document: dict, lang: str, field: str, value: str) -> dict:
    """A copy of ``document`` with one field changed; refused when the value is not valid."""
    doc = json.loads(json.dumps(document))
    value = value.strip()
    if field in PER_LANG_FIELDS and lang not in LANGS:
        raise EditRefused(N_("Choose a language first."))
    if field == "title":
        if not value or len(value) > MAX_TITLE_CHARS or "\n" in value:
            raise EditRefused(N_("A title is one line of at most {n} characters."), n=MAX_TITLE_CHARS)
        doc.setdefault("title", {})[lang] = value
    elif field == "answer":
        if not value or len(value) > MAX_ANSWER_CHARS:
            raise EditRefused(N_("An answer is plain text of at most {n} characters."), n=MAX_ANSWER_CHARS)
        doc.setdefault("answer", {})[lang] = value
    elif field == "add_question":
        questions = doc.setdefault("questions", {}).setdefault(lang, [])
        known = {key(q) for q in questions}
        added = [q for q in dict.fromkeys(_lines(value)) if key(q) not in known]
        if any(len(q) > MAX_TEXT for q in added):
            raise EditRefused(N_("A phrasing is at most {n} characters."), n=MAX_TEXT)
        if not added:
            raise EditRefused(N_("This phrasing is already there."))
        questions.extend(added)
    elif field == "remove_question":
        questions = doc.setdefault("questions", {}).setdefault(lang, [])
        if not value.isdigit() or not 1 <= int(value) <= len(questions):
            raise EditRefused(N_("Send the number of a phrasing, from 1 to {n}."), n=len(questions))
        del questions[int(value) - 1]
    elif field == "sources":
        sources = _lines(value)
        if not sources or any(len(s) > MAX_TEXT for s in sources):
            raise EditRefused(N_("Send one source per line, each at most {n} characters."), n=MAX_TEXT)
        doc["sources"] = sources
    elif field == "as_of":
        if parse_date(value) is None:
            raise EditRefused(N_("Send the date as YYYY-MM-DD, e.g. 2026-03-15."))
        doc["as_of"] = value
    elif field == "status":
        if value not in ("published", "draft"):
            raise EditRefused(N_("The status is published or draft."))
        doc["status"] = value
    else:
        raise EditRefused(N_("Unknown field."))
    return doc


def missing_fields(document: dict) -> list[str]:
    """What a document still lacks before it can be published (field names)."""
    missing = []
    for name in ("title", "questions", "answer"):
        texts = document.get(name) or {}
        missing += [f"{name}.{lang}" for lang in LANGS if not texts.get(lang)]
    if not document.get("sources"):
        missing.append("sources")
    if parse_date(document.get("as_of")) is None:
        missing.append("as_of")
    return missing


def preview_entry(document: dict) -> FaqEntry:
    """The entry a (possibly partial) document would be, missing texts shown as "—"."""

    def texts(name: str) -> dict:
        return {lang: (document.get(name) or {}).get(lang) or "—" for lang in LANGS}

    questions = document.get("questions") or {}
    return FaqEntry(
        topic=document["topic"],
        status=document.get("status", "published"),
        as_of=parse_date(document.get("as_of")) or datetime.now(UTC).date(),
        sources=tuple(document.get("sources") or ("—",)),
        titles=texts("title"),
        questions={lang: tuple(questions.get(lang) or ()) for lang in LANGS},
        answers=texts("answer"),
        origin="preview",
    )


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """The fields in which ``after`` differs from ``before`` (phrasings as +added -removed)."""
    before = before or {}
    changed = [name for name in ("status", "as_of", "sources") if before.get(name) != after.get(name)]
    for name in ("title", "answer", "questions"):
        for lang in LANGS:
            old, new = (before.get(name) or {}).get(lang), (after.get(name) or {}).get(lang)
            if old == new:
                continue
            if name == "questions":
                added = len(set(new or []) - set(old or []))
                removed = len(set(old or []) - set(new or []))
                changed.append(f"questions.{lang} +{added} -{removed}")
            else:
                changed.append(f"{name}.{lang}")
    return changed
