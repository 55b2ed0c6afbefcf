"""Generated demo candidates: never real people, always flagged ``is_sample``.

They are loaded only on request (``python -m bot candidates demo``), live under a demo
election and demo rural districts, and every card and list shows a "sample data" label;
``python -m bot candidates demo --remove`` deletes them again.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import sqlite_utils

from bot import audit
from bot.candidates.importing import ImportReport, import_rows
from bot.db import utcnow

DEMO_ELECTION = "demo-rural-akims"
SAMPLE_SOURCE = "Generated sample data: not real candidates"

_SURNAMES = [
    "Ахметов",
    "Әбенов",
    "Бекмұхамедов",
    "Дәулетов",
    "Ержанов",
    "Жұмабаев",
    "Ибраев",
    "Қасымов",
    "Құдайбергенов",
    "Мұратов",
    "Нұрланов",
    "Оспанов",
    "Рахымов",
    "Сейітов",
    "Серікбаев",
    "Сүлейменов",
    "Төлеуов",
    "Тұрсынов",
    "Уәлиев",
    "Шәріпов",
    "Ысқақов",
    "Жақыпов",
    "Байжанов",
    "Омаров",
    "Смағұлов",
    "Темірханов",
    "Әлімжанов",
    "Кенжебеков",
    "Мақсұтов",
    "Есенов",
]
_MALE = [
    "Асқар",
    "Бауыржан",
    "Дәурен",
    "Ерлан",
    "Қайрат",
    "Мұрат",
    "Нұржан",
    "Серік",
    "Талғат",
    "Ұлан",
    "Арман",
    "Ғалым",
    "Дархан",
    "Еркін",
]
_FEMALE = [
    "Айгүл",
    "Гүлнар",
    "Жанар",
    "Мәдина",
    "Сәуле",
    "Әсем",
    "Динара",
    "Ләззат",
    "Назерке",
    "Роза",
    "Құралай",
    "Ботагөз",
    "Айжан",
]


def _female(surname: str) -> str:
    return (
        surname[:-2] + "ова"
        if surname.endswith("ов")
        else surname[:-2] + "ева"
        if surname.endswith("ев")
        else surname
    )


def ensure_demo_election(
    db: sqlite_utils.Database, regions: list[str], districts_per_region: int
) -> list[str]:
    """Create the demo election and demo rural districts; return the district IDs."""
    db["elections"].upsert(
        {
            "id": DEMO_ELECTION,
            "type": "akim",
            "level": "rural",
            "date": "2026-01-01",
            "status": "held",
            "name_kk": "Демо: ауыл әкімдерін сайлау (үлгі деректер)",
            "name_ru": "Демо: выборы сельских акимов (пример данных)",
            "name_id": "Demo: pemilihan akim desa (data contoh)",
            "sources": json.dumps([SAMPLE_SOURCE]),
            "is_sample": 1,
            "updated_at": utcnow(),
        },
        pk="id",
    )
    districts = []
    for region in regions:
        for i in range(1, districts_per_region + 1):
            area_id = f"{region}-demo-{i}"
            db["areas"].upsert(
                {
                    "id": area_id,
                    "parent_id": region,
                    "type": "rural_district",
                    "name_kk": f"Үлгі ауылдық округ {i}",
                    "name_ru": f"Пример сельского округа {i}",
                    "name_en": f"Sample rural district {i}",
                    "is_sample": 1,
                },
                pk="id",
            )
            districts.append(area_id)
    return districts


def sample_row(district: str, name: str, year: str, party: str) -> dict[str, str]:
    """One sample candidate in the import CSV format, under the demo election."""
    return {
        "election_id": DEMO_ELECTION,
        "area": district,
        "seats": "1",
        "full_name": name,
        "birth_year": year,
        "party": party,
        "source": SAMPLE_SOURCE,
    }


def demo_rows(districts: list[str], parties: list[str], count: int, seed: int = 2021) -> list[dict[str, str]]:
    """``count`` sample candidate rows in the import CSV format."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    rows = []
    seen = set()
    while len(rows) < count:
        district = districts[len(rows) % len(districts)]
        surname = rng.choice(_SURNAMES)
        if rng.random() < 0.5:
            first, surname = rng.choice(_FEMALE), _female(surname)
        else:
            first = rng.choice(_MALE)
        year = str(rng.randint(1960, 2000))
        name = f"{surname} {first} {rng.choice(_MALE)}{'ұлы' if first in _MALE else 'қызы'}"
        if (district, name, year) in seen:
            continue
        seen.add((district, name, year))
        # Party share as in the real 2021 rural akim elections: 38.2% party, 61.8% self-nominated.
        party = rng.choice(parties) if rng.random() < 0.382 else "self"
        rows.append(sample_row(district, name, year, party))
    return rows


def load_demo(db: sqlite_utils.Database, count: int = 300, districts_per_region: int = 3) -> ImportReport:
    """Generate and import ``count`` sample candidates (flagged as sample data)."""
    regions = [
        r[0] for r in db.execute("SELECT id FROM areas WHERE parent_id IS NULL AND is_sample = 0 ORDER BY id")
    ]
    parties = [r[0] for r in db.execute("SELECT id FROM parties ORDER BY id")]
    with db.atomic():
        districts = ensure_demo_election(db, regions, districts_per_region)
        rows = demo_rows(districts, parties, count)
        report = import_rows(db, rows, rows[0].keys() if rows else (), sample=True)
        if report.rejected:
            raise ValueError(f"demo data rejected: {report.rejected[:3]}")
    return report


@dataclass(frozen=True)
class Removed:
    """What :func:`remove_demo` deleted."""

    candidates: int
    ballots: int
    areas: int
    elections: int

    def summary(self) -> str:
        """One line for the command line."""
        return (
            f"removed {self.candidates} sample candidates, {self.ballots} ballots, "
            f"{self.areas} areas, {self.elections} elections"
        )


def remove_demo(db: sqlite_utils.Database, by: int = 0, note: str | None = None) -> Removed:
    """Delete every sample candidate, and the sample ballots, areas and elections nothing real
    uses any more, in one transaction with an audit entry. Real data is never touched."""
    with db.atomic():
        candidates = db.execute("DELETE FROM candidates WHERE is_sample = 1").rowcount
        ballots = db.execute(
            "DELETE FROM ballots WHERE is_sample = 1 AND id NOT IN (SELECT ballot_id FROM candidates)"
        ).rowcount
        areas = 0
        while True:  # leaves first: an area is deleted once no ballot or sub-area points at it
            gone = db.execute(
                """DELETE FROM areas WHERE is_sample = 1
                   AND id NOT IN (SELECT area_id FROM ballots)
                   AND id NOT IN (SELECT parent_id FROM areas WHERE parent_id IS NOT NULL)"""
            ).rowcount
            if not gone:
                break
            areas += gone
        elections = db.execute(
            """DELETE FROM elections WHERE is_sample = 1
               AND id NOT IN (SELECT election_id FROM ballots)
               AND id NOT IN (SELECT election_id FROM mission_polling)
               AND id NOT IN (SELECT election_id FROM subscriptions)"""
        ).rowcount
        removed = Removed(candidates, ballots, areas, elections)
        audit.record(db, by, "candidates.remove_sample", None, after=vars(removed), note=note)
    return removed
