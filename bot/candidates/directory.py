"""The candidate directory: browsing, name search in any script, areas, parties, statistics.

Lists are always in the alphabetical order of the reply's language (CLDR collation, stored as
sort keys per language): the bot never ranks candidates.
"""

from __future__ import annotations

import heapq
import json
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import sqlite_utils
from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

from bot.candidates.importing import fill_sort_keys
from bot.languages import LANGS, Lang
from bot.text.collation import collated, sort_key
from bot.text.names import name_key
from bot.text.normalize import key
from bot.text.postings import Postings, top_rows

NAME_MATCH = 0.86  # mean per-word Jaro-Winkler similarity that counts as the same name
WORD_MATCH = 0.8  # a query word is compared only with name words at least this similar
CANDIDATE_WORDS = ("kandidat", "chandidat", "chalon", "umitker", "balotir")
_AREA_WORDS = ("oblis", "oblast", "region", "regiion")

_BALLOT_FIELDS = ("rowid", "id", "election_id", "area_id", "constituency", "seats", "system", "is_sample")
_CANDIDATE_SQL = """
    SELECT c.id, c.full_name, c.name_latin, c.birth_year, c.party_id, c.list_position, c.status,
           c.votes, c.source, c.is_sample, b.rowid, b.election_id, b.area_id, b.constituency
    FROM candidates c JOIN ballots b ON b.id = c.ballot_id
"""


@dataclass(frozen=True)
class Candidate:
    """One candidate with the contest they stand in."""

    id: int
    full_name: str
    name_latin: str
    birth_year: int
    party_id: str | None
    list_position: int | None
    status: str
    votes: int | None
    source: str
    is_sample: bool
    ballot: int  # ballots.rowid
    election_id: str
    area_id: str
    constituency: str


@dataclass(frozen=True)
class ElectionStats:
    """Figures for one election, from candidate rows or the published aggregates."""

    election_id: str
    candidates: int
    seats: int | None
    party_nominated: int
    self_nominated: int
    from_rows: bool  # False: published aggregate figures (no candidate rows)
    is_sample: bool

    @property
    def per_seat(self) -> float | None:
        """Candidates per seat."""
        return self.candidates / self.seats if self.seats else None


def _order(lang: Lang) -> str:
    """The ORDER BY of candidate lists: the name's sort key in ``lang``, then year and ID."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    return f"c.sort_{lang}, c.birth_year, c.id"


def _candidate(row: tuple) -> Candidate:
    return Candidate(*row[:9], bool(row[9]), *row[10:])  # type: ignore[arg-type]


class NameIndex:
    """Fuzzy name search: each query word is matched (Jaro-Winkler) against the vocabulary
    of name words, and a name matches when all query words match some of its words.

    Names are folded keys, so every script and spelling of a word is one vocabulary entry.
    Rows are kept as compact postings per word and candidate IDs as one array; names are
    given in alphabetical order, so a row number is also the tie-break between equal scores.
    """

    def __init__(self, names: Iterable[tuple[int, str]]) -> None:
        ids = array("q")

        def words_of_each_name() -> Iterator[Iterable[str]]:
            for cid, name in names:
                ids.append(cid)
                yield dict.fromkeys(name.split())  # each word once

        self._postings = Postings(words_of_each_name())
        wide = np.frombuffer(ids, dtype=np.int64)
        fits = not len(wide) or (
            wide.min() >= np.iinfo(np.int32).min and wide.max() <= np.iinfo(np.int32).max
        )
        self.ids = wide.astype(np.int32) if fits else wide  # half the memory for usual IDs
        self.vocabulary = self._postings.features()

    def __len__(self) -> int:
        return len(self.ids)

    def search(self, query: str, limit: int = 20, min_score: float = NAME_MATCH) -> list[tuple[int, float]]:
        """(candidate id, similarity) of names matching ``query`` at least ``min_score``, best first."""
        words = name_key(query).split()[:6]
        if not words or not len(self):
            return []
        min_score = max(min_score, NAME_MATCH)
        # A word can only count in a mean of min_score when the other words match perfectly.
        cutoff = max(WORD_MATCH, len(words) * min_score - (len(words) - 1) - 1e-9)
        rows, total = None, None  # the rows every word so far matches, and their summed similarity
        for word in words:
            matches = process.extract(
                word, self.vocabulary, scorer=JaroWinkler.similarity, score_cutoff=cutoff, limit=30
            )
            word_rows, similarity = self._best_per_row(matches)
            if rows is None:
                rows, total = word_rows, similarity
            else:
                rows, total = _both(rows, total, word_rows, similarity)
            if not len(rows):
                return []  # every word of the query must match
        hit = top_rows(total, limit * 5)
        scores, found = (total[hit] / len(words)).tolist(), rows[hit].tolist()
        ranked = sorted((-round(score, 3), row) for score, row in zip(scores, found, strict=True))
        ids = self.ids[[r for _, r in ranked[:limit]]].tolist()
        return [(cid, -score) for cid, (score, _) in zip(ids, ranked, strict=False) if -score >= min_score]

    def _best_per_row(self, matches: list[tuple[str, float, int]]) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding any of the matched name words (sorted, once each), with the best
        similarity of a word of theirs: work in proportion to the rows found, not to all names."""
        if not matches:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64)
        postings = [self._postings.rows_with(w) for w, _, _ in matches]
        if len(postings) == 1:  # one word: its postings are sorted rows already
            return postings[0], np.full(len(postings[0]), matches[0][1])
        # The matches come best first; a stable sort by row keeps each row's best one first.
        rows = np.concatenate(postings)
        similarity = np.repeat(np.array([s for _, s, _ in matches]), [len(p) for p in postings])
        order = np.argsort(rows, kind="stable")
        rows, similarity = rows[order], similarity[order]
        first = np.ones(len(rows), dtype=bool)
        first[1:] = rows[1:] != rows[:-1]
        return rows[first], similarity[first]


def _both(
    rows: np.ndarray, total: np.ndarray, more_rows: np.ndarray, more: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The rows in both sorted, distinct ``rows`` and ``more_rows``, with ``total + more``."""
    if not len(more_rows):
        return more_rows, more
    at = np.minimum(np.searchsorted(more_rows, rows), len(more_rows) - 1)
    kept = more_rows[at] == rows
    return rows[kept], total[kept] + more[at[kept]]


class CandidateDirectory:
    """Read access to elections, areas, parties, ballots and candidates."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._names: NameIndex | None = None
        fill_sort_keys(db)
        self.refresh()

    def refresh(self) -> None:
        """Reload areas and parties, and rebuild the name index on next use."""
        self._names = None
        self.areas = {row["id"]: row for row in self.db["areas"].rows}
        self.parties = {row["id"]: row for row in self.db["parties"].rows}
        self.elections = {row["id"]: row for row in self.db["elections"].rows}
        self._area_keys: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        for alias in self._area_aliases():  # by first word: a message word starts with it
            self._area_keys.setdefault(alias[0][0], []).append(alias)
        self._area_first_lengths = sorted({len(first) for first in self._area_keys})
        self._party_keys = {
            key(name): pid
            for pid, row in self.parties.items()
            for name in (
                pid,
                row["name_kk"],
                row["name_ru"],
                row["name_id"],
                *json.loads(row["aliases"] or "[]"),
            )
            if len(key(name)) >= 3
        }

    def _area_aliases(self) -> list[tuple[tuple[str, ...], str, bool]]:
        """(folded words, area ID, names the region rather than the city) per spelling."""
        aliases = []
        for area_id, row in self.areas.items():
            for name in (row["name_kk"], row["name_ru"], row["name_en"]):
                words = tuple(w for w in key(name).split() if not w.startswith(_AREA_WORDS))
                if words:
                    aliases.append((words, area_id, row["type"] == "region"))
        return aliases

    # --- browsing -------------------------------------------------------------------------
    def elections_with_candidates(self) -> list[dict]:
        """Elections that have candidate rows, newest first."""
        ids = {
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT election_id FROM ballots b"  # one index probe per ballot, no scan
                " WHERE EXISTS (SELECT 1 FROM candidates c WHERE c.ballot_id = b.id)"
            )
        }
        return sorted(
            (self.elections[i] for i in ids if i in self.elections), key=lambda e: e["date"], reverse=True
        )

    def area_name(self, area_id: str, lang: Lang) -> str:
        """An area's name: Kazakh for kk, Russian for ru, Latin for id."""
        area = self.areas.get(area_id)
        return area[{"kk": "name_kk", "ru": "name_ru", "id": "name_en"}[lang]] if area else area_id

    def areas_of(self, election_id: str, lang: Lang) -> list[str]:
        """Top-level areas (regions, cities) with ballots in the election, alphabetical in ``lang``."""
        rows = self.db.execute("SELECT DISTINCT area_id FROM ballots WHERE election_id = ?", [election_id])
        tops = {self.top_area(r[0]) for r in rows}
        return collated(tops, lang, lambda a: self.area_name(a, lang))

    def top_area(self, area_id: str) -> str:
        """The region or city an area belongs to (stops at a loop, which imports refuse)."""
        seen = {area_id}
        while (parent := self.areas.get(area_id, {}).get("parent_id")) and parent not in seen:
            seen.add(parent)
            area_id = parent
        return area_id

    def _ballots(self, where: str, params: list) -> list[dict]:
        query = f"SELECT {', '.join(_BALLOT_FIELDS)} FROM ballots WHERE {where}"  # noqa: S608 - fixed SQL
        return [dict(zip(_BALLOT_FIELDS, row, strict=True)) for row in self.db.execute(query, params)]

    def ballots_of(self, election_id: str, top_area_id: str, lang: Lang) -> list[dict]:
        """Ballots of the election within a region or city, alphabetical in ``lang`` by area then
        constituency."""
        rows = [
            b
            for b in self._ballots("election_id = ?", [election_id])
            if self.top_area(b["area_id"]) == top_area_id
        ]
        return sorted(
            rows,
            key=lambda b: (
                sort_key(self.area_name(b["area_id"], lang), lang),
                sort_key(b["constituency"], lang),
            ),
        )

    def ballot(self, rowid: int) -> dict | None:
        """One ballot by rowid."""
        found = self._ballots("rowid = ?", [rowid])
        return found[0] if found else None

    def candidates_on(
        self, ballot_rowid: int, lang: Lang, offset: int = 0, limit: int = 10
    ) -> tuple[list[Candidate], int]:
        """One page of a ballot's candidates, alphabetical in ``lang``, and the total count."""
        total = self.db.execute(
            "SELECT count(*) FROM candidates c JOIN ballots b ON b.id = c.ballot_id WHERE b.rowid = ?",
            [ballot_rowid],
        ).fetchone()[0]
        rows = self.db.execute(
            _CANDIDATE_SQL + f" WHERE b.rowid = ? ORDER BY {_order(lang)} LIMIT ? OFFSET ?",
            [ballot_rowid, limit, offset],
        )
        return [_candidate(r) for r in rows], total

    def candidate(self, candidate_id: int) -> Candidate | None:
        """One candidate by ID."""
        row = self.db.execute(_CANDIDATE_SQL + " WHERE c.id = ?", [candidate_id]).fetchone()
        return _candidate(row) if row else None

    # --- search -----------------------------------------------------------------------------
    def name_index(self) -> NameIndex:
        """The name index, built on first use."""
        if self._names is None:
            rows = self.db.execute(
                "SELECT id, name_key, name_latin FROM candidates ORDER BY name_key, birth_year, id"
            )
            self._names = NameIndex((cid, f"{nkey} {name_key(latin or '')}") for cid, nkey, latin in rows)
        return self._names

    def search_names(
        self, query: str, limit: int = 20, min_score: float = 0.0
    ) -> list[tuple[Candidate, float]]:
        """Candidates whose name matches ``query`` (at least ``min_score``) in any script, best first.

        The matches are read in one query, and only those good enough: most messages a voter
        types are no name at all, or match names too loosely to be taken for one.
        """
        hits = self.name_index().search(query, limit, min_score)
        if not hits:
            return []
        by_id = {c.id: c for c in self._candidates_with_ids([cid for cid, _ in hits])}
        return [(by_id[cid], score) for cid, score in hits if cid in by_id]

    def _candidates_with_ids(self, ids: list[int]) -> list[Candidate]:
        """The candidates with these IDs, in one query (in no particular order)."""
        if not ids:
            return []
        marks = ",".join("?" * len(ids))
        return [_candidate(r) for r in self.db.execute(_CANDIDATE_SQL + f" WHERE c.id IN ({marks})", ids)]

    def find_area(self, text: str) -> str | None:
        """The area a question names ("кандидаты в Жетысу", "Алматы облысының ...")."""
        words = key(text).split()
        wants_region = any(w.startswith(_AREA_WORDS) for w in words)
        best: tuple[int, bool, str] | None = None
        for i, word in enumerate(words):
            for length in self._area_first_lengths:
                if length > len(word):
                    break
                for alias, area_id, is_region in self._area_keys.get(word[:length], ()):
                    n = len(alias)
                    if i + n <= len(words) and all(words[i + j].startswith(alias[j]) for j in range(1, n)):
                        rank = (n, is_region == wants_region, area_id)
                        if best is None or rank > best:
                            best = rank
        return best[2] if best else None

    def find_party(self, text: str) -> str | None:
        """The party a question names (any of its names or aliases, as whole words)."""
        folded = f" {key(text)} "
        hits = [(len(k), pid) for k, pid in self._party_keys.items() if f" {k} " in folded]
        return max(hits)[1] if hits else None

    @staticmethod
    def mentions_candidates(text: str) -> bool:
        """True when the question is about candidates (кандидат, үміткер, calon...)."""
        return any(w.startswith(CANDIDATE_WORDS) for w in key(text).split())

    def by_area(self, area_id: str, limit: int = 50) -> list[Candidate]:
        """Candidates standing in an area (or its sub-areas), the first ``limit`` in Kazakh
        alphabetical order (the reply puts them in its own language's order)."""
        area_ids = [a for a in self.areas if self.top_area(a) == area_id or a == area_id]
        marks = ",".join("?" * len(area_ids))
        in_area = f"SELECT id FROM ballots WHERE area_id IN ({marks})"  # noqa: S608 - only ? marks
        ballots = [r[0] for r in self.db.execute(in_area, area_ids)]
        # The first ``limit`` of each ballot come off its (ballot_id, sort_kk, birth_year) index; the
        # first ``limit`` of those are the area's. One ORDER BY over the area sorted every candidate
        # in it (30 ms for a region of 5,000).
        firsts_sql = (
            "SELECT c.sort_kk, c.birth_year, c.id FROM candidates c WHERE c.ballot_id = ?"  # noqa: S608
            f" ORDER BY {_order('kk')} LIMIT ?"
        )
        firsts = heapq.nsmallest(
            limit,
            (
                (sort or b"", year or 0, cid)
                for ballot in ballots
                for sort, year, cid in self.db.execute(firsts_sql, [ballot, limit])
            ),
        )
        ids = [cid for _, _, cid in firsts]
        found = {c.id: c for c in self._candidates_with_ids(ids)}
        return [found[i] for i in ids if i in found]

    def by_party(self, party_id: str, limit: int = 50) -> list[Candidate]:
        """Candidates nominated by a party, the first ``limit`` in Kazakh alphabetical order."""
        rows = self.db.execute(
            _CANDIDATE_SQL + f" WHERE c.party_id = ? ORDER BY {_order('kk')} LIMIT ?",
            [party_id, limit],
        )
        return [_candidate(r) for r in rows]

    # --- statistics -------------------------------------------------------------------------
    def stats(self, election_id: str) -> ElectionStats | None:
        """Candidates, seats and nomination shares of an election."""
        election = self.elections.get(election_id)
        if election is None:
            return None
        total, party, sample = self.db.execute(
            """SELECT count(*), count(c.party_id), max(c.is_sample) FROM candidates c
               JOIN ballots b ON b.id = c.ballot_id
               WHERE b.election_id = ? AND c.status IN ('registered', 'elected')""",
            [election_id],
        ).fetchone()
        if total:
            seats = (
                self.db.execute(
                    "SELECT sum(seats) FROM ballots WHERE election_id = ?", [election_id]
                ).fetchone()[0]
                or election["seats"]
            )
            return ElectionStats(election_id, total, seats, party, total - party, True, bool(sample))
        if election["registered_candidates"]:
            return ElectionStats(
                election_id,
                election["registered_candidates"],
                election["seats"],
                election["party_nominated"] or 0,
                election["self_nominated"] or 0,
                False,
                bool(election["is_sample"]),
            )
        return None


@dataclass(frozen=True)
class CandidateQuery:
    """What a free-text message asks of the candidate database."""

    kind: str  # "area", "party" or "names"
    value: str  # area ID, party ID or the query text
    results: tuple[Candidate, ...]


SURE_NAME = 0.93  # a message is taken for a name only when every word matches this well
SURE_SINGLE_WORD = 0.95  # one word ("аким") must match a name almost exactly ("Акимов" does not)
PARTY_WORDS = ("partia", "partii", "parti", "party", "partai")


def _names_party(directory: CandidateDirectory, text: str) -> str | None:
    """A party named as such: with a party word or quotes, or as (nearly) the whole message.

    Party names can be everyday words ("Ауыл" is also "village"), so a bare mention inside a
    longer question is not enough.
    """
    words = key(text).split()
    explicit = any(w.startswith(PARTY_WORDS) for w in words) or "«" in text or '"' in text
    return directory.find_party(text) if explicit or len(words) <= 3 else None


def route_text(
    directory: CandidateDirectory, text: str, faq_confident: bool = False
) -> CandidateQuery | None:
    """Decide whether a message asks for candidates (by area, party or name); None: the FAQ's.

    A listing with no loaded candidates falls through to the FAQ; when the FAQ has a
    confident answer, only an exact name match takes precedence over it.
    """
    about_candidates = directory.mentions_candidates(text)
    if about_candidates:
        area = directory.find_area(text)
        if area is not None and (results := directory.by_area(area)):
            return CandidateQuery("area", area, tuple(results))
    party = _names_party(directory, text)
    if party is not None and (results := directory.by_party(party)):
        return CandidateQuery("party", party, tuple(results))
    words = name_key(text).split()
    if 1 <= len(words) <= 4 and not about_candidates:
        needed = 0.999 if faq_confident else SURE_SINGLE_WORD if len(words) == 1 else SURE_NAME
        hits = [c for c, _ in directory.search_names(text, min_score=needed)]
        if hits:
            return CandidateQuery("names", text, tuple(hits))
    return None
