"""The whole content as stored now, as a zip in the layout and formats of ``content/``:
``faq/<topic>.yaml``, ``elections.yaml``, ``parties.yaml``, ``missions.yaml``, ``areas.csv``.

Every file reads back with the same validators as the seed files (tested), so an export can
be reviewed, edited and shipped as the next seed.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

import sqlite_utils
import yaml

from bot.faq.entries import entry_to_dict, read_faq
from bot.languages import LANGS

AREA_COLUMNS = ("id", "parent_id", "type", "name_kk", "name_ru", "name_en")
ELECTION_NUMBERS = ("seats", "turnout", "registered_candidates", "party_nominated", "self_nominated")
MISSION_FIELDS = ("website", "email", "phone", "address", "hours")


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _names(row: dict) -> dict[str, str]:
    return {lang: row[f"name_{lang}"] for lang in LANGS}


def elections(db: sqlite_utils.Database) -> list[dict]:
    """The elections table in the format of ``content/elections.yaml`` (sample votes left out)."""
    items = []
    for row in db["elections"].rows_where("coalesce(is_sample, 0) = 0", order_by="date, id"):
        item = {
            "id": row["id"],
            "type": row["type"],
            "level": row["level"],
            "date": date.fromisoformat(row["date"]),
            "status": row["status"],
            "name": _names(row),
        }
        item |= {k: row[k] for k in ELECTION_NUMBERS if row[k] is not None}
        item["sources"] = json.loads(row["sources"] or "[]")
        items.append(item)
    return items


def parties(db: sqlite_utils.Database) -> list[dict]:
    """The parties table in the format of ``content/parties.yaml``."""
    return [
        {
            "id": row["id"],
            "name": _names(row),
            "aliases": json.loads(row["aliases"] or "[]"),
            "results": json.loads(row["results"] or "{}"),
            "sources": json.loads(row["sources"] or "[]"),
        }
        for row in db["parties"].rows_where(order_by="id")
    ]


def missions(db: sqlite_utils.Database) -> list[dict]:
    """The missions and their polling stations in the format of ``content/missions.yaml``."""
    stations: dict[str, list[dict]] = {}
    for row in db["mission_polling"].rows_where(order_by="mission_id, election_id"):
        station = {"election": row["election_id"], "open": bool(row["open"])}
        if row["hours"]:
            station["hours"] = row["hours"]
        stations.setdefault(row["mission_id"], []).append(station | {"source": row["source"]})
    items = []
    for row in db["missions"].rows_where(order_by="id"):
        item = {
            "id": row["id"],
            "kind": row["kind"],
            "country": row["country"],
            "country_names": json.loads(row["country_names"]),
            "country_aliases": json.loads(row["country_aliases"] or "[]"),
            "city_names": json.loads(row["city_names"]),
            "city_aliases": json.loads(row["city_aliases"] or "[]"),
            "name": json.loads(row["names"]),
            **{f: row[f] for f in MISSION_FIELDS},
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "timezone": row["timezone"],
            "verified": json.loads(row["verified"] or "[]"),
            "unverified": json.loads(row["unverified"] or "{}"),
            "sources": json.loads(row["sources"] or "[]"),
        }
        if row["id"] in stations:
            item["polling_stations"] = stations[row["id"]]
        items.append(item)
    return items


def areas_csv(db: sqlite_utils.Database) -> str:
    """The areas table as ``content/areas.csv`` (sample districts left out)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(AREA_COLUMNS)
    for row in db["areas"].rows_where("coalesce(is_sample, 0) = 0", order_by="parent_id IS NOT NULL, id"):
        writer.writerow([row[c] or "" for c in AREA_COLUMNS])
    return out.getvalue()


def content_archive(db: sqlite_utils.Database) -> bytes:
    """A zip of the whole content in ``content/``'s layout."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for entry in sorted(read_faq(db), key=lambda e: e.topic):
            document = entry_to_dict(entry) | {"as_of": entry.as_of}
            archive.writestr(f"faq/{entry.topic}.yaml", _yaml(document))
        archive.writestr("elections.yaml", _yaml(elections(db)))
        archive.writestr("parties.yaml", _yaml(parties(db)))
        archive.writestr("missions.yaml", _yaml(missions(db)))
        archive.writestr("areas.csv", areas_csv(db))
    return buffer.getvalue()
