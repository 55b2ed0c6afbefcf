"""Reference data: elections, administrative areas and parties.

Seeded from ``content/elections.yaml``, ``content/areas.csv`` and ``content/parties.yaml``
on first start (validated; errors name the file, the row and the field), then kept in SQLite.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlite_utils
import yaml

from bot.abroad.missions import load_missions
from bot.db import get_meta, set_meta, utcnow
from bot.faq.entries import CONTENT_DIR, MAX_SOURCE, MAX_SOURCES, ContentError, parse_date
from bot.i18n import N_
from bot.languages import LANGS
from bot.yaml_content import YamlRefused, load_yaml

ELECTION_TYPES = ("presidential", "parliament", "maslikhat", "akim", "referendum")
ELECTION_LEVELS = ("national", "regional", "district", "city", "rural")
ELECTION_STATUSES = ("scheduled", "held", "unverified")
AREA_TYPES = ("region", "city", "district", "rural_district")
MAX_AREA_NAME = 120


def _yaml_list(path: Path) -> list[dict]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except YamlRefused as exc:
        raise ContentError(path.name, "-", "(document)", exc.template, **exc.values) from None
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(path.name, "-", "(document)", N_("cannot read: {error}"), error=str(exc)) from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ContentError(path.name, "-", "(document)", N_("must be a list of mappings"))
    return data


def _names(item: dict, source: str, entry: str) -> dict[str, str]:
    names = item.get("name")
    if not isinstance(names, dict):
        raise ContentError(source, entry, "name", N_("must map kk, ru, id to a name"))
    for lang in LANGS:
        if not isinstance(names.get(lang), str) or not names[lang].strip():
            raise ContentError(source, entry, f"name.{lang}", N_("missing"))
        if len(names[lang]) > MAX_AREA_NAME:
            raise ContentError(
                source, entry, f"name.{lang}", N_("longer than {n} characters"), n=MAX_AREA_NAME
            )
    return {f"name_{lang}": names[lang].strip() for lang in LANGS}


def _sources(item: dict, source: str, entry: str) -> str:
    sources = item.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) and s for s in sources):
        raise ContentError(source, entry, "sources", N_("needs at least one URL or document title"))
    if len(sources) > MAX_SOURCES or any(len(s) > MAX_SOURCE for s in sources):
        raise ContentError(
            source, entry, "sources", N_("at most {n} sources of at most {chars} characters"),
            n=MAX_SOURCES, chars=MAX_SOURCE,
        )  # fmt: skip
    return json.dumps(sources, ensure_ascii=False)


def parse_elections(path: Path) -> list[dict]:
    """Validated rows for the ``elections`` table."""
    return [election_row(item, path.name) for item in _yaml_list(path)]


def election_row(item: dict, source: str) -> dict:
    """One validated ``elections`` row from a mapping in the seed file's format."""
    entry = str(item.get("id"))
    choices = (("type", ELECTION_TYPES), ("level", ELECTION_LEVELS), ("status", ELECTION_STATUSES))
    for field, allowed in choices:
        if item.get(field) not in allowed:
            raise ContentError(source, entry, field, N_("must be one of {values}"), values=", ".join(allowed))
    day = parse_date(item.get("date"))
    if day is None:
        raise ContentError(source, entry, "date", N_("must be a date YYYY-MM-DD"))
    row = {
        "id": entry,
        "type": item["type"],
        "level": item["level"],
        "date": day.isoformat(),
        "status": item["status"],
        **_names(item, source, entry),
        "sources": _sources(item, source, entry),
        "is_sample": 0,
        "updated_at": utcnow(),
    }
    for field in ("seats", "registered_candidates", "party_nominated", "self_nominated"):
        value = item.get(field)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ContentError(source, entry, field, N_("must be a whole number"))
        row[field] = value
    turnout = item.get("turnout")
    if turnout is not None and not (isinstance(turnout, int | float) and 0 <= turnout <= 100):
        raise ContentError(source, entry, "turnout", N_("must be a percentage"))
    row["turnout"] = turnout
    return row


def parse_areas(path: Path) -> list[dict]:
    """Validated rows for the ``areas`` table."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ContentError(path.name, "-", "(document)", N_("cannot read: {error}"), error=str(exc)) from None
    rows = []
    seen: set[str] = set()
    ids = {r.get("id") for r in reader}
    for number, item in enumerate(reader, start=2):
        entry = f"row {number}"
        for field in ("id", "type", "name_kk", "name_ru", "name_en"):
            if not (item.get(field) or "").strip():
                raise ContentError(path.name, entry, field, N_("missing"))
        if item["type"] not in AREA_TYPES:
            raise ContentError(
                path.name, entry, "type", N_("must be one of {values}"), values=", ".join(AREA_TYPES)
            )
        parent = (item.get("parent_id") or "").strip() or None
        if parent is not None and parent not in ids:
            raise ContentError(path.name, entry, "parent_id", N_("unknown area “{value}”"), value=parent)
        for field in ("id", "name_kk", "name_ru", "name_en"):
            if len(item[field].strip()) > MAX_AREA_NAME:
                raise ContentError(path.name, entry, field, N_("longer than {n} characters"), n=MAX_AREA_NAME)
        if item["id"].strip() in seen:
            raise ContentError(
                path.name, entry, "id", N_("“{value}” is listed twice"), value=item["id"].strip()
            )
        seen.add(item["id"].strip())
        rows.append(
            {
                "id": item["id"].strip(),
                "parent_id": parent,
                "type": item["type"],
                "name_kk": item["name_kk"].strip(),
                "name_ru": item["name_ru"].strip(),
                "name_en": item["name_en"].strip(),
                "is_sample": 0,
            }
        )
    _check_tree(rows, path.name)
    return rows


def _check_tree(rows: list[dict], source: str) -> None:
    """Refuse areas whose parents form a loop (an area its own parent, or A in B in A)."""
    parents = {r["id"]: r["parent_id"] for r in rows}
    for number, row in enumerate(rows, start=2):
        seen = [row["id"]]
        parent = row["parent_id"]
        while parent is not None:
            if parent in seen:
                loop = " → ".join([*seen[seen.index(parent) :], parent])
                raise ContentError(
                    source, f"row {number}", "parent_id", N_("areas in a loop: {loop}"), loop=loop
                )
            seen.append(parent)
            parent = parents.get(parent)


def parse_parties(path: Path) -> list[dict]:
    """Validated rows for the ``parties`` table."""
    rows = []
    for item in _yaml_list(path):
        entry = str(item.get("id"))
        aliases = item.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ContentError(path.name, entry, "aliases", N_("must be a list of names"))
        results = item.get("results") or {}
        if not isinstance(results, dict):
            raise ContentError(path.name, entry, "results", N_("must map election IDs to percentages"))
        rows.append(
            {
                "id": entry,
                **_names(item, path.name, entry),
                "aliases": json.dumps(aliases, ensure_ascii=False),
                "results": json.dumps(results),
                "sources": _sources(item, path.name, entry),
            }
        )
    return rows


def load_reference_data(db: sqlite_utils.Database, directory: Path = CONTENT_DIR) -> dict[str, int]:
    """Validate all three files, then upsert them in one transaction; return row counts."""
    elections = parse_elections(directory / "elections.yaml")
    areas = parse_areas(directory / "areas.csv")
    parties = parse_parties(directory / "parties.yaml")
    with db.atomic():
        db["areas"].upsert_all(sorted(areas, key=lambda a: a["parent_id"] is not None), pk="id")
        db["elections"].upsert_all(elections, pk="id")
        db["parties"].upsert_all(parties, pk="id")
        missions = load_missions(db, directory / "missions.yaml")
        set_meta(db, "reference_loaded_at", utcnow())
    return {"elections": len(elections), "areas": len(areas), "parties": len(parties), "missions": missions}


def ensure_reference_data(db: sqlite_utils.Database, directory: Path = CONTENT_DIR) -> bool:
    """Seed reference data into a database that has none; True when it did."""
    if get_meta(db, "reference_loaded_at") is not None:
        return False
    load_reference_data(db, directory)
    return True
