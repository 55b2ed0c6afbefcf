"""What voters get, end to end, on realistic questions written apart from the FAQ.

Runs every question of tests/data/realistic/ (independent writers; a tuning and a
held-out set per language) through the conversation core, exactly as a Telegram message,
and prints per language and set: the right topic answered at once, a wrong topic answered,
the right topic answered or among "did you mean", out-of-scope questions answered, and
language detection. The held-out figures are the ones that count: nothing is tuned on them.

    python benchmarks/eval_realistic.py [--misses tuning]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.abroad.missions import MissionDirectory  # noqa: E402
from bot.candidates.directory import CandidateDirectory  # noqa: E402
from bot.conversation.assistant import Assistant  # noqa: E402
from bot.conversation.core import Knowledge  # noqa: E402
from bot.conversation.evaluation import voter_judge  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.faq.evaluation import Report, evaluate, read_labelled  # noqa: E402

DATA = ROOT / "tests" / "data" / "realistic"
SETS = ("tuning", "heldout")
LANGS = ("kk", "ru", "id")


def print_report(label: str, report: Report) -> None:
    for lang in LANGS:
        print(
            f"{label:22} {lang:4} {report.answered_right[lang]:>7.1%} {report.answered_wrong[lang]:>7.1%} "
            f"{report.right_or_suggested[lang]:>9.1%} {report.out_of_scope_by_lang[lang]:>8.1%} "
            f"{report.language_detected[lang]:>8.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", choices=("tuning",), help="print the misses of the tuning set")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "eval.db"))
        knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
        judge = voter_judge(knowledge)
        header = ("set", "lang", "right", "wrong", "right+dym", "oos ans", "lang ok")
        print("{:22} {:4} {:>7} {:>7} {:>9} {:>8} {:>8}".format(*header))
        for set_name in SETS:
            items = [i for p in sorted(DATA.glob(f"{set_name}_*.csv")) for i in read_labelled(p)]
            report = evaluate(items, judge)
            print_report(f"{set_name} ({len(items)})", report)
            if args.misses == set_name:
                for item, v in report.misses:
                    got = f"answered {v.answered}" if v.answered else f"offered {list(v.suggestions)}"
                    print(f"    miss [{item.variant}] {item.text!r}: want {item.topic}, {got}")


if __name__ == "__main__":
    main()
