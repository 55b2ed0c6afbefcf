"""FAQ content: the YAML seed files, their validation, and their copy in SQLite.

The files in ``content/faq/`` seed the database on first start; after that the database
is the source of truth and ``reload_faq`` replaces it from the files on demand.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlite_utils
import yaml

from bot.db import get_meta, set_meta, utcnow
from bot.i18n import N_
from bot.languages import LANGS, Lang
from bot.yaml_content import YamlRefused, load_yaml

CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"
FAQ_DIR = CONTENT_DIR / "faq"
OUT_OF_SCOPE_FILE = CONTENT_DIR / "out_of_scope.yaml"
MAX_ANSWER_CHARS = 1500
MAX_TITLE_CHARS = 40  # a button label; callback data carries only the topic ID
STATUSES = ("published", "draft")
_TOPIC_ID = re.compile(r"^(?![mc]-)[a-z0-9][a-z0-9-]{0,39}$")  # m- and c- start mission and candidate links


# Characters of one source (a link) and sources per entry, for every kind of content: an answer
# or card with its sources fits one Telegram message (4,096 characters).
MAX_SOURCE = 300
MAX_SOURCES = 6


class ContentError(ValueError):
    """Invalid content; the message names the file, the entry and the field.

    ``problem`` is an English message template (marked for translation with ``N_``) filled
    with ``values``: ``str(exc)`` and :attr:`problem_text` are English (CLI, logs), and
    :meth:`translated` gives the problem in an admin's language.
    """

    def __init__(self, source: str, entry: str, field_name: str, problem: str, **values: object) -> None:
        self.source, self.entry, self.field_name = source, entry, field_name
        self.problem, self.values = problem, values
        super().__init__(f"{source}: entry {entry!r}: field {field_name!r}: {self.problem_text}")

    @property
    def problem_text(self) -> str:
        """The problem in English."""
        return self.problem.format(**self.values) if self.values else self.problem

    def translated(self, translate: Callable[[str], str]) -> str:
        """The problem in the language of ``translate`` (a gettext function)."""
        text = translate(self.problem)
        return text.format(**self.values) if self.values else text


@dataclass(frozen=True)
class FaqEntry:
    """One FAQ topic with its texts in every language."""

    topic: str
    status: str
    as_of: date
    sources: tuple[str, ...]
    titles: dict[Lang, str]
    questions: dict[Lang, tuple[str, ...]]
    answers: dict[Lang, str]
    origin: str = field(default="", compare=False)

    @property
    def published(self) -> bool:
        """True when voters may be answered from this entry."""
        return self.status == "published"


def parse_date(value: object) -> date | None:
    """A YAML date or YYYY-MM-DD text as a date; None when it is neither."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


def _text(value: object, source: str, entry: str, name: str, limit: int | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(source, entry, name, N_("must be non-empty text"))
    text = value.strip()
    if limit is not None and len(text) > limit:
        raise ContentError(
            source, entry, name, N_("is {length} characters, at most {limit}"), length=len(text), limit=limit
        )
    return text


def _per_lang(data: dict, source: str, entry: str, name: str) -> dict:
    value = data.get(name)
    if not isinstance(value, dict):
        raise ContentError(source, entry, name, N_("must map each of kk, ru, id to its text"))
    for lang in LANGS:
        if lang not in value:
            raise ContentError(source, entry, f"{name}.{lang}", N_("missing"))
    extra = set(value) - set(LANGS)
    if extra:
        raise ContentError(
            source,
            entry,
            name,
            N_("unknown language(s) {languages}"),
            languages=", ".join(sorted(map(str, extra))),
        )
    return value


def parse_entry(data: object, source: str, expected_topic: str | None = None) -> FaqEntry:
    """Validate one entry (a parsed YAML mapping) and return it."""
    if not isinstance(data, dict):
        raise ContentError(source, "?", "(document)", N_("must be a mapping of fields"))
    topic = data.get("topic")
    if not isinstance(topic, str) or not _TOPIC_ID.match(topic):
        raise ContentError(source, str(topic), "topic", N_("must be an ID like 'voting-hours'"))
    if expected_topic is not None and topic != expected_topic:
        raise ContentError(
            source, topic, "topic", N_("must equal the file name '{name}'"), name=expected_topic
        )
    status = data.get("status", "published")
    if status not in STATUSES:
        raise ContentError(source, topic, "status", N_("must be one of {values}"), values=", ".join(STATUSES))
    as_of = parse_date(data.get("as_of"))
    if as_of is None:
        raise ContentError(source, topic, "as_of", N_("must be a date YYYY-MM-DD"))
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources:
        raise ContentError(source, topic, "sources", N_("needs at least one URL or document title"))
    clean_sources = tuple(_text(s, source, topic, f"sources[{i}]", MAX_SOURCE) for i, s in enumerate(sources))
    titles = _per_lang(data, source, topic, "title")
    questions = _per_lang(data, source, topic, "questions")
    answers = _per_lang(data, source, topic, "answer")
    clean_questions: dict[Lang, tuple[str, ...]] = {}
    for lang in LANGS:
        items = questions[lang]
        if not isinstance(items, list) or not items:
            raise ContentError(source, topic, f"questions.{lang}", N_("needs at least one phrasing"))
        clean_questions[lang] = tuple(
            _text(q, source, topic, f"questions.{lang}[{i}]", 300) for i, q in enumerate(items)
        )
    return FaqEntry(
        topic=topic,
        status=status,
        as_of=as_of,
        sources=clean_sources,
        titles={lang: _text(titles[lang], source, topic, f"title.{lang}", MAX_TITLE_CHARS) for lang in LANGS},
        questions=clean_questions,
        answers={
            lang: _text(answers[lang], source, topic, f"answer.{lang}", MAX_ANSWER_CHARS) for lang in LANGS
        },
        origin=source,
    )


def load_faq_files(directory: Path = FAQ_DIR) -> list[FaqEntry]:
    """Read and validate every ``*.yaml`` file in ``directory``."""
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        source = str(path.relative_to(directory.parent.parent)) if path.is_absolute() else str(path)
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except YamlRefused as exc:
            raise ContentError(source, path.stem, "(document)", exc.template, **exc.values) from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ContentError(
                source, path.stem, "(document)", N_("not valid YAML: {error}"), error=str(exc)
            ) from None
        entries.append(parse_entry(data, source, expected_topic=path.stem))
    if not entries:
        raise ContentError(str(directory), "-", "-", N_("no FAQ files found"))
    return entries


def load_out_of_scope(path: Path = OUT_OF_SCOPE_FILE) -> dict[Lang, tuple[str, ...]]:
    """Example questions the bot must not answer from the FAQ, per language."""
    source = path.name
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(
            source, "out-of-scope", "(document)", N_("cannot read: {error}"), error=str(exc)
        ) from None
    if not isinstance(data, dict):
        raise ContentError(source, "out-of-scope", "(document)", N_("must be a mapping of fields"))
    questions = _per_lang(data, source, "out-of-scope", "questions")
    return {
        lang: tuple(
            _text(q, source, "out-of-scope", f"questions.{lang}[{i}]", 300)
            for i, q in enumerate(questions[lang] or [])
        )
        for lang in LANGS
    }


def entry_to_dict(entry: FaqEntry) -> dict:
    """The YAML-ready form of an entry (the inverse of :func:`parse_entry`)."""
    return {
        "topic": entry.topic,
        "status": entry.status,
        "as_of": entry.as_of.isoformat(),
        "sources": list(entry.sources),
        "title": dict(entry.titles),
        "questions": {lang: list(qs) for lang, qs in entry.questions.items()},
        "answer": dict(entry.answers),
    }


def store_faq(db: sqlite_utils.Database, entries: Iterable[FaqEntry]) -> int:
    """Replace all FAQ rows with ``entries`` in one transaction; return the count."""
    entries = list(entries)
    now = utcnow()
    with db.atomic():
        for table in ("faq_questions", "faq_texts", "faq_entries"):
            db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        db["faq_entries"].insert_all(
            {
                "topic": e.topic,
                "status": e.status,
                "as_of": e.as_of.isoformat(),
                "sources": json.dumps(list(e.sources), ensure_ascii=False),
                "updated_at": now,
            }
            for e in entries
        )
        db["faq_texts"].insert_all(
            {"topic": e.topic, "lang": lang, "title": e.titles[lang], "answer": e.answers[lang]}
            for e in entries
            for lang in LANGS
        )
        db["faq_questions"].insert_all(
            {"topic": e.topic, "lang": lang, "text": q}
            for e in entries
            for lang in LANGS
            for q in e.questions[lang]
        )
        set_meta(db, "faq_loaded_at", now)
    return len(entries)


def read_faq(db: sqlite_utils.Database) -> list[FaqEntry]:
    """All FAQ entries stored in the database, drafts included, ordered by topic."""
    texts: dict[str, dict[str, dict]] = {}
    for row in db.execute("SELECT topic, lang, title, answer FROM faq_texts"):
        texts.setdefault(row[0], {})[row[1]] = {"title": row[2], "answer": row[3]}
    questions: dict[str, dict[str, list[str]]] = {}
    for topic, lang, text in db.execute("SELECT topic, lang, text FROM faq_questions ORDER BY id"):
        questions.setdefault(topic, {}).setdefault(lang, []).append(text)
    entries = []
    for topic, status, as_of, sources in db.execute(
        "SELECT topic, status, as_of, sources FROM faq_entries ORDER BY topic"
    ):
        by_lang = texts.get(topic, {})
        entries.append(
            FaqEntry(
                topic=topic,
                status=status,
                as_of=date.fromisoformat(as_of),
                sources=tuple(json.loads(sources)),
                titles={lang: by_lang.get(lang, {}).get("title", "") for lang in LANGS},
                questions={lang: tuple(questions.get(topic, {}).get(lang, ())) for lang in LANGS},
                answers={lang: by_lang.get(lang, {}).get("answer", "") for lang in LANGS},
                origin="database",
            )
        )
    return entries


def ensure_seeded(db: sqlite_utils.Database, directory: Path = FAQ_DIR) -> bool:
    """Load the seed files into an empty database; return True when it did."""
    if get_meta(db, "faq_loaded_at") is not None:
        return False
    store_faq(db, load_faq_files(directory))
    return True


def reload_faq(db: sqlite_utils.Database, directory: Path = FAQ_DIR) -> int:
    """Validate the seed files and replace the stored FAQ with them (all or nothing)."""
    return store_faq(db, load_faq_files(directory))
