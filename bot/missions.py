"""Embassies and consulates: lookup by country or city in any language or script, or by
location, for voters abroad. Only fields confirmed from an official source are shown.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from html import escape
from pathlib import Path

import sqlite_utils
import yaml
from babel.numbers import format_decimal

from bot.content import CONTENT_DIR, ContentError
from bot.db import utcnow
from bot.i18n import gettext
from bot.languages import Lang
from bot.textnorm import key

PUBLIC_FIELDS = ("website", "email", "phone", "address", "hours")
MFA_MISSIONS_URL = "https://www.gov.kz/memleket/entities/mfa"
EMBASSY_WORDS = ("posolst", "konsul", "elshil", "kedutaan", "kedubes", "kbri", "embas", "konsulat")


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

    def shown(self, field: str) -> str | None:
        """A field's value when it is confirmed; None otherwise (never show unverified data)."""
        return self.fields.get(field) if field in self.verified else None


def parse_missions(path: Path) -> list[dict]:
    """Validated rows for the ``missions`` table."""
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path.name, "-", "(document)", f"cannot read: {exc}") from None
    rows = []
    for item in items:
        entry = str(item.get("id"))
        if item.get("kind") not in ("embassy", "consulate"):
            raise ContentError(path.name, entry, "kind", "must be embassy or consulate")
        for field in ("country_names", "city_names", "name"):
            if not isinstance(item.get(field), dict) or not all(
                item[field].get(lang) for lang in ("kk", "ru", "id")
            ):
                raise ContentError(path.name, entry, field, "must name it in kk, ru and id")
        if not item.get("sources"):
            raise ContentError(path.name, entry, "sources", "needs at least one source")
        verified = item.get("verified") or []
        if not set(verified) <= set(PUBLIC_FIELDS):
            raise ContentError(path.name, entry, "verified", f"only {', '.join(PUBLIC_FIELDS)}")
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
                "updated_at": utcnow(),
            }
        )
    return rows


def load_missions(db: sqlite_utils.Database, path: Path = CONTENT_DIR / "missions.yaml") -> int:
    """Validate the seed file and upsert it in one transaction; return the count."""
    if not path.exists():
        return 0
    rows = parse_missions(path)
    with db.atomic():
        db["missions"].upsert_all(rows, pk="id")
    return len(rows)


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class MissionDirectory:
    """All missions, with their names in every language folded for lookup."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.missions: list[Mission] = []
        self._cities: list[tuple[tuple[str, ...], Mission]] = []
        self._countries: list[tuple[tuple[str, ...], str]] = []
        for row in db["missions"].rows_where(order_by="id"):
            fields = {f: row[f] for f in PUBLIC_FIELDS}
            mission = Mission(
                row["id"], row["kind"], row["country"], json.loads(row["country_names"]),
                json.loads(row["city_names"]), json.loads(row["names"]), fields,
                frozenset(json.loads(row["verified"] or "[]")), row["latitude"], row["longitude"],
                tuple(json.loads(row["sources"] or "[]")),
            )  # fmt: skip
            self.missions.append(mission)
            for name in (*mission.city_names.values(), *json.loads(row["city_aliases"] or "[]")):
                self._cities.append((tuple(key(name).split()), mission))
            for name in (*mission.country_names.values(), *json.loads(row["country_aliases"] or "[]")):
                self._countries.append((tuple(key(name).split()), mission.country))

    @staticmethod
    def _mentions(words: list[str], alias: tuple[str, ...]) -> bool:
        """True when ``words`` contain the alias, allowing case endings on each word
        ("Индонезия" in "в Индонезии", "Индонезиядағы")."""
        stems = [w[:-2] if len(w) >= 7 else w[:-1] if len(w) >= 5 else w for w in alias]
        n = len(stems)
        return n > 0 and any(
            all(words[i + j].startswith(stems[j]) and len(stems[j]) >= 3 for j in range(n))
            for i in range(len(words) - n + 1)
        )

    def find(self, text: str) -> list[Mission]:
        """Missions in the city, else the country, a message names (inflected forms too)."""
        words = key(text).split()
        cities = {m.id: m for alias, m in self._cities if self._mentions(words, alias)}
        if cities:
            return list(cities.values())
        countries = {code for alias, code in self._countries if self._mentions(words, alias)}
        return [m for m in self.missions if m.country in countries]

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


def mission_card(mission: Mission, lang: Lang, distance_km: float | None = None) -> str:
    """Contacts of one mission, verified fields only, as Telegram HTML."""
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
    for field in PUBLIC_FIELDS:
        value = mission.shown(field)
        if value:
            lines.append(f"{escape(labels[field])}: {escape(value)}")
    if any(mission.fields.get(f) is None or f not in mission.verified for f in PUBLIC_FIELDS):
        lines.append(
            escape(gettext("Other details are not confirmed yet: check the mission's website.", lang))
        )
    source = gettext("Source", lang)
    lines += ["", f"📎 {escape(source)}: {escape('; '.join(mission.sources))}"]
    return "\n".join(lines)


def not_found_text(lang: Lang) -> str:
    """What to say when no mission is known for the place a voter named."""
    return gettext(
        "I have no embassy or consulate of Kazakhstan for that place in my list. The full list of "
        "missions is on the Foreign Ministry's site: {url}",
        lang,
    ).format(url=MFA_MISSIONS_URL)
