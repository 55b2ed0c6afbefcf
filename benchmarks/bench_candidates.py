"""Candidate database benchmark with 100,000 generated candidates, one run.

Prints:
* import time of 100,000 rows through the validated CSV import path;
* name search latency p50 / p99 of Saylau's name index beside the naive baseline
  (``rapidfuzz.process.extract`` with ``WRatio`` over all names in one list), and the
  recall@10 of both on labelled name queries (Cyrillic, Latin, Kazakh typed on a Russian
  keyboard, typos);
* peak memory (max RSS) of a separate process running the bot's dispatcher over that
  database after a name search, beside a process that only imports aiogram (the floor
  every aiogram bot pays: all Bot API models are built at import).

Run: .venv/bin/python benchmarks/bench_candidates.py [--count 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.candidates.directory import CandidateDirectory  # noqa: E402
from bot.candidates.importing import import_rows  # noqa: E402
from bot.candidates.sample_data import ensure_demo_election, sample_row  # noqa: E402
from bot.content.reference import load_reference_data  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.text.names import to_latin  # noqa: E402

_ROOTS = (
    "Абыл Ахмет Бай Бек Дәулет Ер Жақып Жұма Қасым Құдай Мұрат Нұр Оспан Рахым Сейіт "
    "Сүлей Төле Тұрсын Шәріп Ысқақ Кен Есен Мақсұт Омар Темір Әлім Серік Бақыт Ғали Жан"
).split()
_MIDS = ["", "ұл", "жан", "бер", "хан", "бай", "таң", "сұл"]
_ENDS = ["ов", "ев", "ұлы", "бек", "ин"]
_FIRST = (
    "Асқар Бауыржан Дәурен Ерлан Қайрат Мұрат Нұржан Серік Талғат Ұлан Арман Ғалым Дархан Еркін "
    "Айгүл Гүлнар Жанар Мәдина Сәуле Әсем Динара Ләззат Назерке Роза Құралай Ботагөз Айжан"
).split()
_RU_KEYBOARD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")


def generated_rows(districts: list[str], count: int, rng: random.Random) -> list[dict[str, str]]:
    """``count`` sample candidates with varied (generated, not real) names."""
    surnames = [r + m + e for r in _ROOTS for m in _MIDS for e in _ENDS]
    rows, seen = [], set()
    while len(rows) < count:
        name = f"{rng.choice(surnames)} {rng.choice(_FIRST)} {rng.choice(_FIRST)}"
        district = districts[len(rows) % len(districts)]
        year = str(rng.randint(1955, 2000))
        if (district, name, year) in seen:
            continue
        seen.add((district, name, year))
        rows.append(sample_row(district, name, year, "self" if rng.random() < 0.6 else "amanat"))
    return rows


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return (
        word[:i] + word[i + 1 :] if rng.random() < 0.5 else word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    )


def labelled_queries(names: list[str], rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """(variant, query, expected full name): surname + first name in four spellings."""
    queries = []
    for full in rng.sample(names, n):
        surname, first = full.split()[:2]
        queries.append(("cyrillic", f"{surname} {first}", full))
        queries.append(("latin", to_latin(f"{surname} {first}"), full))
        queries.append(("ru-keyboard", f"{surname} {first}".translate(_RU_KEYBOARD), full))
        queries.append(("typo", f"{typo(surname, rng)} {first}", full))
    return queries


def percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


PEAK_MEMORY_SCRIPT = """
import sys
sys.path.insert(0, {root!r})

def rss():
    with open("/proc/self/status") as f:
        fields = (line.split(":") for line in f)
        return {{k: int(v.split()[0]) / 1024 for k, v in fields if k in ("VmRSS", "VmHWM")}}

start = rss()["VmRSS"]
from bot.telegram.app import create_dispatcher
from bot.conversation.assistant import Assistant
from bot.config import load_settings
from bot.db import open_database
imported = rss()["VmRSS"]
assistant = Assistant(open_database({db!r}))
dp = create_dispatcher(assistant, load_settings(bot_token=None))
with_faq = rss()["VmRSS"]
dp["directory"].search_names("Ахметов Асқар")
assistant.ask("Когда открываются участки?")
end = rss()
print(start, imported, with_faq, end["VmRSS"], end["VmHWM"])
"""


ONLY_AIOGRAM_SCRIPT = """
import aiogram
with open("/proc/self/status") as f:
    print(next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM")))
"""


def run_python(script: str) -> list[float]:
    """Figures printed by ``script`` run in a fresh interpreter without a bot token."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BOT_TOKEN", None)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="names sampled for labelled queries")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db_path = Path(tmp) / "bench.db"
        db = open_database(db_path)
        load_reference_data(db)
        regions = [r[0] for r in db.execute("SELECT id FROM areas WHERE parent_id IS NULL ORDER BY id")]
        with db.atomic():
            districts = ensure_demo_election(db, regions, 50)
        rows = generated_rows(districts, args.count, rng)
        started = time.perf_counter()
        report = import_rows(db, rows, rows[0].keys(), sample=True)
        import_seconds = time.perf_counter() - started
        print(f"import of {args.count:,} rows: {import_seconds:.1f} s ({report.summary()})")
        reimport = time.perf_counter()
        again = import_rows(db, rows, rows[0].keys(), sample=True)
        print(f"re-import of the same rows: {time.perf_counter() - reimport:.1f} s ({again.summary()})")

        directory = CandidateDirectory(db)
        started = time.perf_counter()
        index = directory.name_index()
        print(f"name index build: {time.perf_counter() - started:.1f} s")
        names = [r[0] for r in db.execute("SELECT full_name FROM candidates ORDER BY id")]
        queries = labelled_queries(sorted(set(names)), rng, args.queries)

        saylau_times, baseline_times = [], []
        hits = {"saylau": {}, "baseline": {}}
        for variant, query, expected in queries:
            start = time.perf_counter_ns()
            found = index.search(query, limit=10)
            saylau_times.append((time.perf_counter_ns() - start) / 1e6)
            found_names = {names[cid - 1] for cid, _ in found}
            hits["saylau"].setdefault(variant, []).append(expected in found_names)
            start = time.perf_counter_ns()
            base = process.extract(
                query, names, scorer=fuzz.WRatio, processor=utils.default_process, limit=10
            )
            baseline_times.append((time.perf_counter_ns() - start) / 1e6)
            hits["baseline"].setdefault(variant, []).append(expected in {names[i] for _, _, i in base})
        s50, s99 = percentiles(saylau_times)
        b50, b99 = percentiles(baseline_times)
        print(f"\n{len(queries)} labelled name queries over {len(names):,} names")
        print(f"{'':28}{'Saylau':>22}{'baseline (extract)':>24}")
        print(f"{'latency p50 / p99':28}{f'{s50:.2f} / {s99:.2f} ms':>22}{f'{b50:.1f} / {b99:.1f} ms':>24}")
        print(f"{'speed-up at p99':28}{f'{b99 / s99:.0f}x':>22}")
        for variant in ("cyrillic", "latin", "ru-keyboard", "typo"):
            s = sum(hits["saylau"][variant]) / len(hits["saylau"][variant])
            b = sum(hits["baseline"][variant]) / len(hits["baseline"][variant])
            print(f"{'recall@10 ' + variant:28}{f'{s:.1%}':>22}{f'{b:.1%}':>24}")
        total_s = sum(sum(v) for v in hits["saylau"].values()) / len(queries)
        total_b = sum(sum(v) for v in hits["baseline"].values()) / len(queries)
        print(f"{'recall@10 all':28}{f'{total_s:.1%}':>22}{f'{total_b:.1%}':>24}")
        db.close()

        start, imported, with_faq, final, peak = run_python(
            PEAK_MEMORY_SCRIPT.format(root=str(ROOT), db=str(db_path))
        )
        (aiogram_only,) = run_python(ONLY_AIOGRAM_SCRIPT)
        print(f"\npeak memory (VmHWM) of the bot process with this database: {peak:.0f} MB")
        print(f"  interpreter {start:.0f} MB; + aiogram, numpy, babel... imported {imported - start:.0f} MB;")
        print(
            f"  + FAQ, matcher, dispatcher {with_faq - imported:.0f} MB; + candidate name index and search "
            f"{final - with_faq:.0f} MB (peak {peak - with_faq:.0f} MB while it is built)"
        )
        print(f"a process that only imports aiogram: {aiogram_only:.0f} MB", end="; ")
        print(f"the bot's own share: {peak - aiogram_only:.0f} MB")


if __name__ == "__main__":
    main()
