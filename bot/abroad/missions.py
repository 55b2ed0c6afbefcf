"""Embassies and consulates: lookup by country or city in any language or script, or by
location, for voters abroad. Only fields confirmed from an official source are shown.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from html import escape
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils
import yaml
from babel import Locale, localedata
from babel.dates import format_time, get_timezone_gmt
from babel.numbers import format_decimal

from bot.abroad import gazetteer
from bot.calendar.votes import Vote, kazakhstan_today, upcoming
from bot.db import get_meta, set_meta, utcnow
from bot.faq.entries import CONTENT_DIR, MAX_SOURCE, MAX_SOURCES, ContentError
from bot.i18n import N_, gettext
from bot.languages import LANGS, Lang
from bot.text.collation import collated
from bot.text.formatting import format_day
from bot.text.normalize import fold, key, normalize
from bot.yaml_content import YamlRefused, load_yaml

T = TypeVar("T")
PUBLIC_FIELDS = ("website", "email", "phone", "address", "hours")
MAX_TEXT = 300  # characters of a contact field: a card stays within one message
MAX_NAME = 200
MISSION_ID = re.compile(r"[a-z]{2}-[a-z0-9-]{1,59}")  # "m-" + ID fits a deep link (64 characters)
MFA_MISSIONS_URL = "https://www.gov.kz/memleket/entities/mfa"
# Folded like messages ("kedutaan" -> "kedutan"), so they match what ``key`` makes of a text.
EMBASSY_WORDS = tuple(
    key(w) for w in ("posolst", "konsul", "elshil", "kedutaan", "kedubes", "kbri", "embas", "konsulat")
)
SEEDED_POLLING = "mission_polling_seeded"  # meta key: (mission, election) pairs from the seed file
HOURS = re.compile(r"([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)")
# Country names are recognised in these languages (Babel's CLDR territory names). English
# comes first: it is read and let go again (see _territory_names).
TERRITORY_LOCALES = ("en", "kk", "ru", "id")
# Two-letter codes that are not foreign countries: Kazakhstan itself, unions, pseudo-regions.
NOT_COUNTRIES = frozenset({"KZ", "EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# Words that are never read as a country's name (as typed, lower case): "того" (Russian "of
# that", Togo), "бағамы" (Kazakh "its rate", Russian "Багамы"), "белгі" (Kazakh "mark",
# folded like Russian "Бельгии"), "ғана" (Kazakh "only", Ghana), "қатар" (Kazakh "row", Qatar).
COMMON_WORDS = frozenset(("того", "бағамы", "белгі", "белги", "ғана", "гана", "ğana", "gana", "қатар"))
# How a country's name may change in a message, folded. After the whole name: Russian case
# endings of a name ending in a consonant (Судане, Израиля) and Kazakh suffixes (Бразилиядағы).
SUFFIXES = frozenset(
    "a u e om em ia iu da de ta te dagi degi tagi tegi nda nde ndagi ndegi ga ge ka ke na ne ni di ti "
    "nin din tin dan den tan ten nan nen men ben pen".split()
)
# Russian case endings instead of a name's last letters:
# (pattern, letters dropped, endings, shortest stem).
DECLENSIONS: tuple[tuple[re.Pattern[str], int, frozenset[str], int], ...] = (
    (re.compile(r"aia$"), 3, frozenset("oi uiu".split()), 3),  # Новой Зеландии
    (re.compile(r"ia$"), 2, frozenset("i iu iei ia".split()), 3),  # Бразилии, Бразилию
    (re.compile(r"[^aeiou]a$"), 1, frozenset("a i e u oi ei".split()), 3),  # Кубе, Польши
    (re.compile(r"[aeou]i$"), 1, frozenset("ia iu e em".split()), 3),  # Парагвае, Китая
    (re.compile(r"[^aeiou]i$"), 1, frozenset("ah ov".split()), 5),  # Нидерландах, Филиппинах
)
KAZAKH_LETTERS = frozenset("әғқңөұүһі")  # a word with these takes no Russian case ending


@dataclass(frozen=True)
class Polling:
    """Whether a mission opens a polling station for one election, and its local hours."""

    election_id: str
    open: bool
    hours: str | None  # "07:00-20:00", local time
    source: str


@dataclass(frozen=True)
class Mission:
    """One embassy or consulate."""

    id: str
    kind: str
    country: str
    country_names: dict[str, str]
    city_names: dict[str, str]
    names: dict[str, str]
    fields: dict[str, str | None]  # public fields, verified or not
    verified: frozenset[str]
    latitude: float | None
    longitude: float | None
    sources: tuple[str, ...]
    timezone: str | None = None  # IANA name
    polling: Mapping[str, Polling] = field(default_factory=dict)  # by election ID

    def shown(self, field: str) -> str | None:
        """A field's value when it is confirmed; None otherwise (never show unverified data)."""
        return self.fields.get(field) if field in self.verified else None


def _parse_hours(text: str) -> tuple[time, time]:
    """ "07:00-20:00" as opening and closing times."""
    match = HOURS.fullmatch(text)
    assert match is not None
    h1, m1, h2, m2 = map(int, match.groups())
    return time(h1, m1), time(h2, m2)


def _parse_polling(item: dict, source: str, entry: str, election_ids: Collection[str]) -> list[dict]:
    """Validated ``mission_polling`` rows of one mission's ``polling_stations`` list."""
    stations = item.get("polling_stations") or []
    if not isinstance(stations, list):
        raise ContentError(source, entry, "polling_stations", N_("must be a list"))
    rows: list[dict] = []
    for i, station in enumerate(stations):
        where = f"polling_stations[{i}]"
        if not isinstance(station, dict):
            raise ContentError(source, entry, where, N_("must be a mapping of election, open, hours, source"))
        election = str(station.get("election"))
        if election not in election_ids:
            raise ContentError(
                source, entry, f"{where}.election", N_("unknown election “{value}”"), value=election
            )
        if any(r["election_id"] == election for r in rows):
            raise ContentError(
                source, entry, f"{where}.election", N_("“{value}” is listed twice"), value=election
            )
        if not isinstance(station.get("open"), bool):
            raise ContentError(source, entry, f"{where}.open", N_("must be true or false"))
        hours = station.get("hours")
        if station["open"] or hours is not None:
            if not isinstance(hours, str) or not HOURS.fullmatch(hours):
                raise ContentError(
                    source, entry, f"{where}.hours", N_("must be local hours like 07:00-20:00")
                )
            start, end = _parse_hours(hours)
            if start >= end:
                raise ContentError(source, entry, f"{where}.hours", N_("must close after it opens"))
        if not str(station.get("source") or "").strip():
            raise ContentError(source, entry, f"{where}.source", N_("needs a source"))
        rows.append(
            {
                "mission_id": entry,
                "election_id": election,
                "open": int(station["open"]),
                "hours": hours,
                "source": str(station["source"]).strip(),
                "updated_at": utcnow(),
            }
        )
    return rows


def _check_limits(item: dict, source: str, entry: str) -> None:
    """Types, ranges and lengths that keep every card within one Telegram message."""
    sources = item["sources"]
    if not isinstance(sources, list) or not all(
        isinstance(x, str) and 0 < len(x) <= MAX_SOURCE for x in sources
    ):
        raise ContentError(
            source, entry, "sources", N_("must be a list of links of at most {n} characters"), n=MAX_SOURCE
        )
    if len(sources) > MAX_SOURCES:
        raise ContentError(source, entry, "sources", N_("at most {n} sources"), n=MAX_SOURCES)
    for name, low, high in (("latitude", -90, 90), ("longitude", -180, 180)):
        value = item.get(name)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high
        ):
            raise ContentError(
                source, entry, name, N_("must be a number from {low} to {high}"), low=low, high=high
            )
    for name in (*PUBLIC_FIELDS, "timezone"):
        value = item.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise ContentError(source, entry, name, N_("must be text of at most {n} characters"), n=MAX_TEXT)
    for name in ("country_names", "city_names", "name"):
        if any(not isinstance(v, str) or len(v) > MAX_NAME for v in item[name].values()):
            raise ContentError(source, entry, name, N_("must be text of at most {n} characters"), n=MAX_NAME)
    for name in ("country_aliases", "city_aliases"):
        aliases = item.get(name) or []
        if not isinstance(aliases, list) or not all(
            isinstance(a, str) and len(a) <= MAX_NAME for a in aliases
        ):
            raise ContentError(source, entry, name, N_("must be a list of names"))


def parse_missions(path: Path, election_ids: Collection[str]) -> tuple[list[dict], list[dict]]:
    """Validated rows for the ``missions`` and ``mission_polling`` tables.

    ``election_ids`` are the known elections that ``polling_stations`` may name.
    """
    try:
        items = load_yaml(path.read_text(encoding="utf-8")) or []
    except YamlRefused as exc:
        raise ContentError(path.name, "-", "(document)", exc.template, **exc.values) from None
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path.name, "-", "(document)", N_("cannot read: {error}"), error=str(exc)) from None
    rows, polling = [], []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ContentError(path.name, "-", "(document)", N_("must be a list of mappings"))
    for item in items:
        entry = str(item.get("id"))
        if not MISSION_ID.fullmatch(entry):
            raise ContentError(path.name, entry[:60], "id", N_("must be an ID like id-jakarta-embassy"))
        if item.get("kind") not in ("embassy", "consulate"):
            raise ContentError(path.name, entry, "kind", N_("must be embassy or consulate"))
        for name in ("country_names", "city_names", "name"):
            if not isinstance(item.get(name), dict) or not all(
                item[name].get(lang) for lang in ("kk", "ru", "id")
            ):
                raise ContentError(path.name, entry, name, N_("must name it in kk, ru and id"))
        if not item.get("sources"):
            raise ContentError(path.name, entry, "sources", N_("needs at least one source"))
        _check_limits(item, path.name, entry)
        verified = item.get("verified") or []
        if not set(verified) <= set(PUBLIC_FIELDS):
            raise ContentError(
                path.name, entry, "verified", N_("only {allowed}"), allowed=", ".join(PUBLIC_FIELDS)
            )
        zone = item.get("timezone")
        try:
            ZoneInfo(str(zone))
        except (ZoneInfoNotFoundError, ValueError):
            problem = N_("unknown time zone “{value}”: use an IANA name like Asia/Jakarta")
            raise ContentError(path.name, entry, "timezone", problem, value=zone) from None
        polling += _parse_polling(item, path.name, entry, election_ids)
        rows.append(
            {
                "id": entry,
                "kind": item["kind"],
                "country": str(item.get("country", "")).upper(),
                "country_names": json.dumps(item["country_names"], ensure_ascii=False),
                "country_aliases": json.dumps(item.get("country_aliases") or [], ensure_ascii=False),
                "city_names": json.dumps(item["city_names"], ensure_ascii=False),
                "city_aliases": json.dumps(item.get("city_aliases") or [], ensure_ascii=False),
                "names": json.dumps(item["name"], ensure_ascii=False),
                **{f: item.get(f) for f in PUBLIC_FIELDS},
                "latitude": item.get("latitude"),
                "longitude": item.get("longitude"),
                "verified": json.dumps(verified),
                "unverified": json.dumps(item.get("unverified") or {}, ensure_ascii=False),
                "sources": json.dumps(item["sources"], ensure_ascii=False),
                "timezone": zone,
                "updated_at": utcnow(),
            }
        )
    return rows, polling


def load_missions(db: sqlite_utils.Database, path: Path = CONTENT_DIR / "missions.yaml") -> int:
    """Validate the seed file against the elections table and load it in one transaction.

    Missions and their seeded polling stations are upserted; a station seeded before but no
    longer in the file is removed. Stations admins recorded (not from the file) are kept.
    Returns the number of missions.
    """
    if not path.exists():
        return 0
    rows, polling = parse_missions(path, {r[0] for r in db.execute("SELECT id FROM elections")})
    seeded = {(p["mission_id"], p["election_id"]) for p in polling}
    before = {tuple(pair) for pair in json.loads(get_meta(db, SEEDED_POLLING) or "[]")}
    with db.atomic():
        db["missions"].upsert_all(rows, pk="id")
        for mission_id, election_id in before - seeded:
            db.execute(
                "DELETE FROM mission_polling WHERE mission_id = ? AND election_id = ?",
                [mission_id, election_id],
            )
        if polling:
            db["mission_polling"].upsert_all(polling, pk=("mission_id", "election_id"))
        set_meta(db, SEEDED_POLLING, json.dumps(sorted(seeded)))
    return len(rows)


def alphabetical_missions(missions: Iterable[Mission], lang: Lang) -> list[Mission]:
    """Missions in the alphabetical order of ``lang``: by city, then embassy before consulate."""
    by_kind = sorted(missions, key=lambda m: (m.kind != "embassy", m.id))
    return collated(by_kind, lang, lambda m: m.city_names[lang])  # stable: kind breaks ties


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


@cache
def territory_aliases() -> tuple[tuple[tuple[str, ...], str], ...]:
    """Every foreign country's folded names in kk, ru, id and en, with its ISO code.

    From Babel's territory names: two-letter codes only, without Kazakhstan, unions and
    pseudo-regions. "Мьянма (Бирма)" also gives "Мьянма".
    """
    found: set[tuple[tuple[str, ...], str]] = set()
    for locale in TERRITORY_LOCALES:
        for code, name in _territory_names(locale).items():
            if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
                continue
            for variant in (name, re.sub(r"\s*\(.*?\)", "", name)):
                if folded := key(variant):
                    found.add((tuple(folded.split()), code))
    return tuple(sorted(found))


def _territory_names(locale: str) -> dict[str, str]:
    """Babel's territory names in ``locale``. Babel keeps every locale it loads for good: one
    the bot never formats in (English, 1.1 MB) is dropped again, with Babel's whole cache (the
    bot's own languages are loaded again when next used, about 5 ms each)."""
    names = dict(Locale(locale).territories)
    if locale not in LANGS:
        localedata.clear_caches()
    return names


def warm_up() -> None:
    """Build the country-name index now, at start-up, instead of on a voter's message."""
    _territory_index()


@cache
def _territory_index() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Country names by the first three letters of their first word (fewer when it is shorter)."""
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for alias, code in territory_aliases():
        index.setdefault(alias[0][:3], []).append((alias, code))
    return index


def country_name(code: str, lang: Lang) -> str:
    """A country's name in ``lang`` (Babel), or its code when Babel has none."""
    return Locale(lang).territories.get(code, code)


# Endings a place name takes in a message, folded: Russian cases replacing its last letters or
# added to it (Казани, Джакарте, Стамбуле), on top of the suffixes in SUFFIXES.
CASE_ENDINGS = SUFFIXES | frozenset("i e u a y om oi ei iu ia ie ah ov ami".split())
_LATIN_END = re.compile(r"(ija|iya|iia|ia|i|y)([a-z]+)")


def _ends_as(word: str, name: str, stem: str) -> bool:
    """True when the folded message ``word`` is the folded name word ``name`` with a case
    ending or suffix, or its ``stem`` with a case ending instead of the name's last letters."""
    if len(stem) < 3 or not word.startswith(stem):
        return False
    if word.startswith(name) and (word == name or word[len(name) :] in CASE_ENDINGS):
        return True
    rest = word[len(stem) :]
    if rest in CASE_ENDINGS or word == stem:
        return True
    # a Latin-typed Kazakh form: another spelling of the name's end, then a suffix (Indonezijadagy)
    match = _LATIN_END.fullmatch(rest)
    return match is not None and match.group(2) in SUFFIXES


def _stems(alias: tuple[str, ...]) -> list[str]:
    """Each word of a folded name without a possible case ending."""
    return [w[:-2] if len(w) >= 7 else w[:-1] if len(w) >= 5 else w for w in alias]


def _inflects(raw: str, word: str, name: str) -> bool:
    """True when a message word (``raw`` as typed, ``word`` folded) is a form of the folded
    name word ``name``: itself, with a suffix, or with a Russian case ending. Stricter than
    ``_named``, so that "наурыз" is not Nauru, "sudah" not Sudan, "sama" not Samoa.
    """
    if raw in COMMON_WORDS:
        return False
    if word.startswith(name):
        return word == name or word[len(name) :] in SUFFIXES
    if KAZAKH_LETTERS & set(raw):  # Kazakh words take suffixes, not Russian endings
        return False
    for pattern, dropped, endings, shortest in DECLENSIONS:
        if pattern.search(name):
            stem = name[:-dropped]
            rest = word[len(stem) :]
            return (
                len(stem) >= shortest
                and word.startswith(stem)
                and (rest in endings or (rest == "" and stem.endswith("e")))  # "Корее" folds to "kore"
            )
    return False


_Indexed = tuple[tuple[str, ...], tuple[str, ...], T]  # a folded name, its stems (_stems), its value


def _by_head(aliases: list[tuple[tuple[str, ...], T]]) -> dict[str, list[_Indexed[T]]]:
    """Aliases and their stems, grouped by the first three letters of their first word's stem."""
    index: dict[str, list[_Indexed[T]]] = {}
    for alias, value in aliases:
        if alias:
            stems = tuple(_stems(alias))
            index.setdefault(stems[0][:3], []).append((alias, stems, value))
    return index


def _named(words: list[str], index: dict[str, list[_Indexed[T]]]) -> set[T]:
    """The values of the names in ``index`` that ``words`` contain, allowing case endings on
    each word ("Индонезия" in "в Индонезии", "Индонезиядағы"), but not a longer word that
    merely starts the same ("Казахстан" is not Kazan). A name is tried only where a word
    starts as its first stem does (stems have 3+ letters)."""
    found: set[T] = set()
    for i, word in enumerate(words):
        for alias, stems, value in index.get(word[:3], ()):
            n = len(alias)
            if i + n <= len(words) and all(_ends_as(words[i + j], alias[j], stems[j]) for j in range(n)):
                found.add(value)
    return found


class MissionDirectory:
    """All missions, with their names in every language folded for lookup."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.missions: list[Mission] = []
        self._cities: list[tuple[tuple[str, ...], str]] = []  # a city's name, its mission's id
        self._countries: list[tuple[tuple[str, ...], str]] = []
        polling: dict[str, dict[str, Polling]] = {}
        for p in db["mission_polling"].rows:
            polling.setdefault(p["mission_id"], {})[p["election_id"]] = Polling(
                p["election_id"], bool(p["open"]), p["hours"], p["source"]
            )
        for row in db["missions"].rows_where(order_by="id"):
            fields = {f: row[f] for f in PUBLIC_FIELDS}
            mission = Mission(
                row["id"], row["kind"], row["country"], json.loads(row["country_names"]),
                json.loads(row["city_names"]), json.loads(row["names"]), fields,
                frozenset(json.loads(row["verified"] or "[]")), row["latitude"], row["longitude"],
                tuple(json.loads(row["sources"] or "[]")), row["timezone"], polling.get(row["id"], {}),
            )  # fmt: skip
            self.missions.append(mission)
            for name in (*mission.city_names.values(), *json.loads(row["city_aliases"] or "[]")):
                self._cities.append((tuple(key(name).split()), mission.id))
            for name in (*mission.country_names.values(), *json.loads(row["country_aliases"] or "[]")):
                self._countries.append((tuple(key(name).split()), mission.country))
        # By the first three letters of the first word: a name is looked for only in messages
        # with a word that starts like it (every stem is at least three letters).
        self._city_index = _by_head(self._cities)
        self._country_index = _by_head(self._countries)

    def countries(self) -> list[str]:
        """Codes of the countries that have at least one mission."""
        return sorted({m.country for m in self.missions})

    def in_country(self, code: str) -> list[Mission]:
        """The missions in one country (embassy first)."""
        return sorted(
            (m for m in self.missions if m.country == code), key=lambda m: (m.kind != "embassy", m.id)
        )

    def named_countries(self, text: str) -> list[str]:
        """Codes of the countries a message names, in any of the four languages.

        When names overlap ("Гвинея" in "Гвинея-Бисау", "Niger" in "Nigeria"), the longest
        match wins.
        """
        raw = normalize(text).split()
        words = [fold(w) for w in raw]
        scores: dict[str, int] = {}
        index = _territory_index()
        # A name can start only at a word that starts as it does (every stem has 3+ letters).
        for i, word in enumerate(words):
            for head in {word[:1], word[:2], word[:3]}:
                for alias, code in index.get(head, ()):
                    n = len(alias)
                    if i + n > len(words):
                        continue
                    if all(_inflects(raw[i + j], words[i + j], alias[j]) for j in range(n)):
                        scores[code] = max(scores.get(code, 0), sum(map(len, alias)))
        best = max(scores.values(), default=0)
        return sorted(code for code, score in scores.items() if score == best)

    def find(
        self, text: str, cities_abroad: bool = False, ignore: frozenset[str] = frozenset()
    ) -> list[Mission]:
        """Missions in the city, else the country, a message names (inflected forms too).

        With ``cities_abroad``, a city without a mission of its own ("Казань", "Osaka") gives
        its country's missions (GeoNames, :mod:`bot.abroad.gazetteer`); folded words in
        ``ignore`` are never read as such a city.
        """
        words = key(text).split()
        cities = _named(words, self._city_index)
        if cities:
            return [m for m in self.missions if m.id in cities]
        countries = _named(words, self._country_index)
        if not countries:
            countries = set(self.named_countries(text))
        if not countries and cities_abroad:
            countries = set(gazetteer.countries_named(text, ignore))
        return [m for m in self.missions if m.country in countries]

    def countries_without_mission(
        self, text: str, cities_abroad: bool = False, ignore: frozenset[str] = frozenset()
    ) -> list[str]:
        """Codes of the countries a message names (or, with ``cities_abroad``, whose cities it
        names) where there is no mission in the list."""
        have = set(self.countries())
        codes = self.named_countries(text)
        if not codes and cities_abroad:
            codes = gazetteer.countries_named(text, ignore)
        return [code for code in codes if code not in have]

    def nearest(self, latitude: float, longitude: float) -> tuple[Mission, float] | None:
        """The closest mission to a location, and its distance in km."""
        placed = [m for m in self.missions if m.latitude is not None and m.longitude is not None]
        if not placed:
            return None
        best = min(placed, key=lambda m: _distance_km(latitude, longitude, m.latitude, m.longitude))  # type: ignore[arg-type]
        return best, _distance_km(latitude, longitude, best.latitude, best.longitude)  # type: ignore[arg-type]

    @staticmethod
    def asks_for_mission(text: str) -> bool:
        """True when a message mentions an embassy or consulate in any language."""
        return any(w.startswith(EMBASSY_WORDS) for w in key(text).split())


def polling_line(
    mission: Mission, calendar: Sequence[Vote], lang: Lang, today: date
) -> tuple[str, str] | None:
    """What the card says about voting at this mission, and its source; None when nothing is known.

    For the next scheduled vote: whether a polling station opens here, with local hours and
    the zone's GMT offset, or "not announced yet". Without one: the latest held vote with
    a polling station here.
    """
    ahead = upcoming(list(calendar), today)
    if ahead:
        vote = ahead[0]
        row = mission.polling.get(vote.id) if mission.timezone else None
        values = {"election": vote.name(lang), "date": format_day(vote.day, lang)}
        if row is None:
            text = gettext(
                "Polling station for {election} ({date}): not announced yet: check the mission's website.",
                lang,
            ).format(**values)
            return escape(text), ""
        if not row.open or row.hours is None:
            text = gettext(
                "No polling station opens here for {election} ({date}): check the mission's website "
                "for the nearest one.",
                lang,
            ).format(**values)
            return escape(text), row.source
        start, end = _parse_hours(row.hours)
        local = datetime.combine(vote.day, start, tzinfo=ZoneInfo(str(mission.timezone)))
        text = gettext(
            "Polling station for {election} ({date}): open here {start}–{end} local time ({offset}).", lang
        ).format(
            **values,
            start=format_time(start, "short", locale=lang),
            end=format_time(end, "short", locale=lang),
            offset=get_timezone_gmt(local, "long", locale=lang),
        )
        return escape(text), row.source
    for vote in reversed(calendar):
        row = mission.polling.get(vote.id)
        if vote.status == "held" and vote.day < today and row is not None and row.open:
            text = gettext("A polling station was open here for {election} ({date}).", lang).format(
                election=vote.name(lang), date=format_day(vote.day, lang)
            )
            return escape(text), row.source
    return None


def mission_card(
    mission: Mission,
    lang: Lang,
    distance_km: float | None = None,
    calendar: Sequence[Vote] = (),
    today: date | None = None,
) -> str:
    """Contacts of one mission, verified fields only, as Telegram HTML.

    With the election ``calendar`` (``bot.election_calendar.votes``) the card also says
    whether and when a polling station opens there (see :func:`polling_line`).
    """
    lines = [f"🏛 <b>{escape(mission.names[lang])}</b>"]
    lines.append(escape(f"{mission.city_names[lang]}, {mission.country_names[lang]}"))
    if distance_km is not None:
        lines.append(
            gettext("About {km} km from you", lang).format(km=format_decimal(round(distance_km), locale=lang))
        )
    labels = {
        "website": gettext("Website", lang),
        "email": gettext("Email", lang),
        "phone": gettext("Phone", lang),
        "address": gettext("Address", lang),
        "hours": gettext("Opening hours", lang),
    }
    for name in PUBLIC_FIELDS:
        value = mission.shown(name)
        if value:
            lines.append(f"{escape(labels[name])}: {escape(value)}")
    if not mission.shown("website"):
        unconfirmed = gettext(
            "Contacts are not confirmed yet: see the Foreign Ministry's list of missions: {url}", lang
        ).format(url=MFA_MISSIONS_URL)
        lines.append(escape(unconfirmed))
    elif any(mission.shown(f) is None for f in PUBLIC_FIELDS):
        lines.append(
            escape(gettext("Other details are not confirmed yet: check the mission's website.", lang))
        )
    sources = list(mission.sources)
    polling = polling_line(mission, calendar, lang, today or kazakhstan_today()) if calendar else None
    if polling is not None:
        lines += ["", "🗳 " + polling[0]]
        if polling[1] and polling[1] not in sources:
            sources.append(polling[1])
    source = gettext("Source", lang)
    lines += ["", f"📎 {escape(source)}: {escape('; '.join(sources))}"]
    return "\n".join(lines)


def not_found_text(lang: Lang) -> str:
    """What to say when no mission is known for the place a voter named."""
    return gettext(
        "I have no embassy or consulate of Kazakhstan for that place in my list. The full list of "
        "missions is on the Foreign Ministry's site: {url}",
        lang,
    ).format(url=MFA_MISSIONS_URL)


def no_mission_text(codes: Sequence[str], lang: Lang) -> str:
    """The countries a voter named have no mission in the list: say which, and where to look."""
    names = ", ".join(collated((country_name(code, lang) for code in codes), lang))
    return escape(
        gettext(
            "{country}: there is no embassy or consulate of Kazakhstan in this country in my list. "
            "The full list of missions is on the Foreign Ministry's site: {url}",
            lang,
        ).format(country=names, url=MFA_MISSIONS_URL)
    )
