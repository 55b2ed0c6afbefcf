"""What voters get, end to end, on realistic questions nobody tuned on.

Runs every question of tests/data/realistic/ (six independent writers; a tuning and a
held-out set per language) through the conversation core, exactly as a Telegram message,
and prints per language and set: the right topic answered at once, a wrong topic answered,
the right topic answered or among "did you mean", out-of-scope questions answered, and
language detection. The held-out figures are the ones that count.

    python benchmarks/eval_realistic.py [--misses heldout]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.abroad.missions import MissionDirectory  # noqa: E402
from bot.candidates.directory import CandidateDirectory  # noqa: E402
from bot.conversation.assistant import Assistant  # noqa: E402
from bot.conversation.core import Knowledge, respond  # noqa: E402
from bot.db import open_database  # noqa: E402

DATA = ROOT / "tests" / "data" / "realistic"
ANSWERING = ("faq", "calendar", "candidates", "missions", "no_mission")


def rows(set_name: str) -> list[dict[str, str]]:
    found = []
    for path in sorted(DATA.glob(f"{set_name}_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            found.extend(csv.DictReader(f))
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", choices=("tuning", "heldout"), help="print the misses of one set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "eval.db"))
        knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
        header = ("set", "lang", "n", "right", "wrong", "right+dym", "oos ans", "lang ok")
        print("{:8} {:4} {:>4} {:>7} {:>7} {:>9} {:>8} {:>8}".format(*header))
        for set_name in ("tuning", "heldout"):
            counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for row in rows(set_name):
                lang, topic = row["lang"], row["topic"] or None
                reply = respond(row["text"], None, knowledge)
                answered = reply.topic if reply.kind in ANSWERING else None
                c = counts[lang]
                c["lang_ok"] += reply.detected == lang
                c["all"] += 1
                if topic is None:
                    c["oos"] += 1
                    c["oos_answered"] += answered is not None
                    if answered is not None and args.misses == set_name:
                        print(f"  OOS answered [{lang}] {row['text']!r}: {answered}")
                    continue
                c["n"] += 1
                c["right"] += answered == topic
                c["wrong"] += answered is not None and answered != topic
                c["right_or_dym"] += answered == topic or topic in reply.suggestions
                if answered != topic and args.misses == set_name:
                    got = f"{reply.kind} {answered}"
                    print(f"  miss [{row['variant']}] {row['text']!r}: want {topic}, got {got}")
            for lang in ("kk", "ru", "id"):
                c = counts[lang]
                n, oos = max(1, c["n"]), max(1, c["oos"])
                shares = (c["right"] / n, c["wrong"] / n, c["right_or_dym"] / n, c["oos_answered"] / oos)
                detected = c["lang_ok"] / c["all"]
                print(
                    f"{set_name:8} {lang:4} {c['all']:>4} {shares[0]:>7.1%} {shares[1]:>7.1%} "
                    f"{shares[2]:>9.1%} {shares[3]:>8.1%} {detected:>8.1%}"
                )


if __name__ == "__main__":
    main()
