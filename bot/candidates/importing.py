"""Candidate CSV import and export.

Files may be UTF-8 (with or without BOM) or cp1251, comma-, semicolon- or tab-separated
(as Excel in Kazakhstan writes them), decided for the whole file: a file that mixes UTF-8
rows with rows in another encoding, or has bytes that are text in neither, is rejected naming
the first such line, never stored garbled. Every row is validated first; a file with any
rejected row applies nothing, and a valid one is applied in one transaction, so a crash
mid-import leaves the old data. Re-importing the same file changes nothing.

Files come from outside, so they are bounded (size, rows, cell lengths that keep a candidate
card within one Telegram message) and checked for spreadsheet formulas: export neutralises
cells that a spreadsheet would run (the OWASP rule: a ' before = + - @ tab or CR), import
takes that ' off again and rejects text cells that start like a formula.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlite_utils

from bot.db import utcnow
from bot.faq.entries import MAX_SOURCE
from bot.i18n import N_
from bot.text.collation import sort_keys
from bot.text.names import name_key, to_latin
from bot.text.normalize import key

COLUMNS = (
    "election_id",
    "area",
    "constituency",
    "system",
    "seats",
    "full_name",
    "name_latin",
    "birth_year",
    "party",
    "list_position",
    "status",
    "votes",
    "source",
)
REQUIRED = ("area", "full_name", "birth_year", "source")
STATUSES = ("registered", "withdrawn", "deregistered", "elected")
SYSTEMS = ("single_member", "party_list")
SELF_NOMINATED = frozenset(
    key(s)
    for s in (
        "self",
        "self-nominated",
        "independent",
        "самовыдвижение",
        "самовыдвиженец",
        "өзін-өзі ұсыну",
        "өзін өзі ұсынған",
        "calon independen",
        "-",
    )
)
_AREA_WORDS = frozenset(key(w) for w in ("облысы", "облыс", "область", "обл", "region", "oblast", "oblysy"))
MAX_NAME = 150
MAX_NAME_LATIN = 2 * MAX_NAME  # a transliterated name is at most twice as long (щ → şş)
MAX_CONSTITUENCY = 200
MAX_BYTES = 5 * 1024 * 1024  # a national list of candidates is far smaller
MAX_ROWS = 50_000
MAX_ECHOED = 80  # characters of a rejected value repeated in the report
TEXT_COLUMNS = ("constituency", "full_name", "name_latin", "party", "source")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_DASH = re.compile(r"-[^\W\d_](?:[^\W\d_]|[\s'’.,-])*")  # "-" and then words only


@dataclass(frozen=True)
class Rejection:
    """Why one row (1 = the header) was not accepted: ``problem`` is an English message
    template (marked for translation) filled with ``values``."""

    row: int
    column: str
    problem: str
    values: tuple[tuple[str, str], ...] = ()

    @property
    def reason(self) -> str:
        """The reason in English."""
        return self.problem.format(**dict(self.values))

    def translated(self, translate: Callable[[str], str]) -> str:
        """The reason in the language of ``translate`` (a gettext function)."""
        return translate(self.problem).format(**dict(self.values))


MISSING = N_("missing value")
LONGER = N_("longer than {n} characters")


@dataclass
class ImportReport:
    """What an import did (or, for a dry run or a file with errors, would do)."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    applied: bool = False
    encoding: str = "utf-8"
    replaced: list[dict] = field(default_factory=list)  # stored values of the updated rows

    def summary(self) -> str:
        """One line of figures."""
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"rejected {len(self.rejected)} ({'applied' if self.applied else 'nothing applied'})"
        )


class DecodeError(ValueError):
    """A file that is not text in one encoding: ``line`` (1-based) is the first bad line."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem.format(line=line))
        self.line = line
        self.problem = problem


NOT_UTF8 = N_("line {line} is not UTF-8 text, unlike the rest of the file: save the whole file as UTF-8")
NOT_TEXT = N_("line {line} is neither UTF-8 nor Windows-1251 text: save the file as UTF-8")


def _first_bad_line(lines: list[bytes], encoding: str) -> int:
    for number, line in enumerate(lines, start=1):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            return number
    return len(lines)  # a sequence cut at a line end (not reached for these encodings)


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a CSV file, decided for the whole file: UTF-8 (BOM or not) when it
    all is, else cp1251 when it all is and no line is UTF-8 text beyond ASCII (a cp1251 line of
    Cyrillic is never valid UTF-8). Raises :class:`DecodeError` naming the first bad line."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            raise DecodeError(_first_bad_line(data[3:].split(b"\n"), "utf-8"), NOT_UTF8) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    for line in lines:
        if not line.isascii():
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                continue
            raise DecodeError(_first_bad_line(lines, "utf-8"), NOT_UTF8)  # mostly UTF-8: mixed
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError:
        raise DecodeError(_first_bad_line(lines, "cp1251"), NOT_TEXT) from None


def neutralise(value: str) -> str:
    """A cell as a spreadsheet shows it as text (OWASP CSV injection rule)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _unquote(value: str) -> str:
    """Take off the ' that :func:`neutralise` put before a formula character."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def _formula_like(value: str) -> bool:
    """True for text a spreadsheet could run: = + @ tab CR, or "-" and not just words."""
    if value.startswith("-"):
        return _PLAIN_DASH.fullmatch(value) is None
    return value.startswith(FORMULA_START)


FORMULA = N_("starts like a spreadsheet formula (= + - @): write it as plain text")


def _reader(text: str) -> csv.DictReader:
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    return csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)


class _Lookup:
    """Resolves area and party spellings (IDs or names in any script) to IDs."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.elections = {row[0] for row in db.execute("SELECT id FROM elections")}
        self.areas: dict[str, str] = {}
        loose: dict[str, str] = {}
        for area_id, *names in db.execute("SELECT id, name_kk, name_ru, name_en FROM areas"):
            for name in (area_id, *names):
                self.areas.setdefault(key(name), area_id)
                stripped = " ".join(w for w in key(name).split() if w not in _AREA_WORDS)
                loose.setdefault(stripped, area_id)
        for name, area_id in loose.items():
            self.areas.setdefault(name, area_id)
        self.parties: dict[str, str] = {}
        for party_id, kk, ru, id_, aliases in db.execute(
            "SELECT id, name_kk, name_ru, name_id, aliases FROM parties"
        ):
            for name in (party_id, kk, ru, id_, *json.loads(aliases or "[]")):
                self.parties.setdefault(key(name), party_id)


def _shorten(value: str) -> str:
    """A value as repeated in a report: long ones cut, so the report fits a message."""
    return value if len(value) <= MAX_ECHOED else value[: MAX_ECHOED - 1] + "…"


def _int(value: str, low: int, high: int) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


def _parse_rows(
    rows: Iterable[dict[str, str]], lookup: _Lookup, election: str | None, report: ImportReport
) -> list[dict]:
    """Validate rows; return candidate records (with ballot fields) for the valid ones."""
    this_year = datetime.now(UTC).year
    records: list[dict] = []
    seen: dict[tuple, int] = {}
    ballots: dict[str, tuple[int, int | None, str]] = {}
    for number, row in enumerate(rows, start=2):
        cell = {c: _unquote((row.get(c) or "").strip()) for c in COLUMNS}

        def reject(column: str, problem: str, number: int = number, **values: object) -> None:
            pairs = tuple((k, _shorten(str(v))) for k, v in values.items())
            report.rejected.append(Rejection(number, column, problem, pairs))

        formula = next(
            (c for c in TEXT_COLUMNS if _formula_like(cell[c]) and not (c == "party" and cell[c] == "-")),
            None,
        )  # a lone "-" party is a self-nomination, and text in every spreadsheet
        if formula is not None:
            reject(formula, FORMULA)
            continue
        limits = (("constituency", MAX_CONSTITUENCY), ("name_latin", MAX_NAME_LATIN), ("source", MAX_SOURCE))
        too_long = next(((c, n) for c, n in limits if len(cell[c]) > n), None)
        if too_long is not None:
            reject(too_long[0], LONGER, n=too_long[1])
            continue

        election_id = cell["election_id"] or election or ""
        if election_id not in lookup.elections:
            if election_id:
                reject("election_id", N_("unknown election “{value}”"), value=election_id)
            else:
                reject("election_id", MISSING)
            continue
        area_id = lookup.areas.get(key(cell["area"]))
        if area_id is None:
            if cell["area"]:
                reject("area", N_("unknown area “{value}”"), value=cell["area"])
            else:
                reject("area", MISSING)
            continue
        name = " ".join(cell["full_name"].split())
        if not name or len(name) > MAX_NAME:
            if name:
                reject("full_name", LONGER, n=MAX_NAME)
            else:
                reject("full_name", MISSING)
            continue
        year = _int(cell["birth_year"], 1900, this_year - 18)
        if year is None:
            reject("birth_year", N_("bad year “{value}”"), value=cell["birth_year"])
            continue
        party_text = key(cell["party"])
        party_id = None if party_text in SELF_NOMINATED or not party_text else lookup.parties.get(party_text)
        if party_text and party_text not in SELF_NOMINATED and party_id is None:
            reject("party", N_("unknown party “{value}”"), value=cell["party"])
            continue
        status = cell["status"].lower() or "registered"
        if status not in STATUSES:
            reject("status", N_("must be one of {values}"), values=", ".join(STATUSES))
            continue
        position = _int(cell["list_position"], 1, 10_000) if cell["list_position"] else None
        if cell["list_position"] and position is None:
            reject("list_position", N_("bad number “{value}”"), value=cell["list_position"])
            continue
        votes = _int(cell["votes"], 0, 100_000_000) if cell["votes"] else None
        if cell["votes"] and votes is None:
            reject("votes", N_("bad number “{value}”"), value=cell["votes"])
            continue
        seats = _int(cell["seats"], 1, 1000) if cell["seats"] else None
        if cell["seats"] and seats is None:
            reject("seats", N_("bad number “{value}”"), value=cell["seats"])
            continue
        system = cell["system"] or ("party_list" if position else "single_member")
        if system not in SYSTEMS:
            reject("system", N_("must be one of {values}"), values=", ".join(SYSTEMS))
            continue
        if not cell["source"]:
            reject("source", MISSING)
            continue
        constituency = " ".join(cell["constituency"].split())
        ballot_id = f"{election_id}/{area_id}/{key(constituency).replace(' ', '-') or 'all'}"
        first = ballots.setdefault(ballot_id, (number, seats, system))
        if (first[1], first[2]) != (seats, system) and first[0] != number:
            reject("seats", N_("seats or system differ from row {row} for the same ballot"), row=first[0])
            continue
        natural = (ballot_id, name_key(name), year)
        if natural in seen:
            reject("full_name", N_("duplicate of row {row}"), row=seen[natural])
            continue
        seen[natural] = number
        records.append(
            {
                "ballot": {
                    "id": ballot_id,
                    "election_id": election_id,
                    "area_id": area_id,
                    "constituency": constituency,
                    "seats": seats,
                    "system": system,
                },
                "ballot_id": ballot_id,
                "full_name": name,
                "name_latin": cell["name_latin"] or to_latin(name),
                "name_key": natural[1],
                "birth_year": year,
                "party_id": party_id,
                "list_position": position,
                "status": status,
                "votes": votes,
                "source": cell["source"],
            }
        )
    return records


_COMPARED = ("full_name", "name_latin", "party_id", "list_position", "status", "votes", "source")
_SELECT_EXISTING = (
    "SELECT ballot_id, name_key, birth_year, id, full_name, name_latin, party_id, list_position, status,"
    " votes, source FROM candidates"
)


def import_rows(
    db: sqlite_utils.Database,
    rows: Iterable[dict[str, str]],
    columns: Iterable[str],
    election: str | None = None,
    dry_run: bool = False,
    sample: bool = False,
) -> ImportReport:
    """Validate and (unless ``dry_run`` or any row is rejected) apply candidate rows."""
    report = ImportReport()
    missing = [c for c in REQUIRED if c not in set(columns)]
    if "election_id" not in set(columns) and election is None:
        missing.insert(0, "election_id")
    if missing:
        report.rejected = [Rejection(1, c, N_("missing column")) for c in missing]
        return report
    records = _parse_rows(rows, _Lookup(db), election, report)
    existing = {
        (r[0], r[1], r[2]): dict(zip(("id", *_COMPARED), r[3:], strict=True))
        for r in db.execute(_SELECT_EXISTING)
    }
    to_insert, to_update = [], []
    for record in records:
        old = existing.get((record["ballot_id"], record["name_key"], record["birth_year"]))
        if old is None:
            report.added += 1
            to_insert.append(record)
        elif any(old[c] != record[c] for c in _COMPARED):
            report.updated += 1
            report.replaced.append(old)
            to_update.append({**record, "id": old["id"]})
        else:
            report.unchanged += 1
    if report.rejected or dry_run:
        return report
    _apply(db, records, to_insert, to_update, sample)
    report.applied = True
    return report


def _apply(
    db: sqlite_utils.Database, records: list[dict], inserts: list[dict], updates: list[dict], sample: bool
) -> None:
    """Write ballots and candidates in one transaction."""
    now = utcnow()
    ballots = {r["ballot"]["id"]: {**r["ballot"], "is_sample": int(sample)} for r in records}

    def row(record: dict) -> dict:
        fields = {k: v for k, v in record.items() if k != "ballot"}
        return {**fields, **sort_keys(record["full_name"]), "is_sample": int(sample), "updated_at": now}

    with db.atomic():
        db["ballots"].upsert_all(ballots.values(), pk="id")
        db["candidates"].insert_all((row(r) for r in inserts), batch_size=1000)
        for record in updates:
            db["candidates"].update(record["id"], row(record))


def fill_sort_keys(db: sqlite_utils.Database) -> int:
    """Give candidates stored before sort keys existed their alphabetical sort keys."""
    rows = db.execute("SELECT id, full_name FROM candidates WHERE sort_kk IS NULL").fetchall()
    with db.atomic():
        for candidate_id, full_name in rows:
            db["candidates"].update(candidate_id, sort_keys(full_name))
    return len(rows)


TOO_BIG = N_("the file is larger than {n} MB")
TOO_MANY_ROWS = N_("more than {n} rows: split the file")


def import_csv(
    db: sqlite_utils.Database, data: bytes, election: str | None = None, dry_run: bool = False
) -> ImportReport:
    """Import a candidate CSV file given as bytes. A file that is too big, not text in one
    encoding, malformed or too long gives a report with that one rejection, nothing applied."""

    def refuse(row: int, problem: str, encoding: str = "unknown", **values: object) -> ImportReport:
        pairs = tuple((k, str(v)) for k, v in values.items())
        return ImportReport(rejected=[Rejection(row, "-", problem, pairs)], encoding=encoding)

    if len(data) > MAX_BYTES:
        return refuse(1, TOO_BIG, n=MAX_BYTES // (1024 * 1024))
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        return refuse(exc.line, exc.problem, line=exc.line)
    reader = _reader(text)
    try:
        rows = list(itertools.islice(reader, MAX_ROWS + 1))
        columns = [c.strip() for c in (reader.fieldnames or [])]
    except csv.Error as exc:
        return refuse(reader.line_num, N_("malformed CSV: {error}"), encoding, error=exc)
    if len(rows) > MAX_ROWS:
        return refuse(MAX_ROWS + 2, TOO_MANY_ROWS, encoding, n=MAX_ROWS)
    rows = [{(k or "").strip(): v for k, v in r.items()} for r in rows]
    report = import_rows(db, rows, columns, election, dry_run)
    report.encoding = encoding
    return report


def export_csv(db: sqlite_utils.Database, include_sample: bool = False) -> str:
    """All candidates as CSV text in the import format (re-importing it changes nothing),
    with cells a spreadsheet would run as formulas neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    query = """
        SELECT b.election_id, b.area_id, b.constituency, b.system, b.seats, c.full_name,
               c.name_latin, c.birth_year, coalesce(c.party_id, 'self'), c.list_position,
               c.status, c.votes, c.source
        FROM candidates c JOIN ballots b ON b.id = c.ballot_id
        WHERE c.is_sample = 0 OR ?
        ORDER BY b.election_id, b.area_id, b.constituency, c.name_key, c.birth_year
    """
    for values in db.execute(query, [int(include_sample)]):
        writer.writerow(["" if v is None else neutralise(v) if isinstance(v, str) else v for v in values])
    return out.getvalue()
