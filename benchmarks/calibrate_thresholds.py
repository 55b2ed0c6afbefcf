"""Choose the matcher's answer threshold and margin on the realistic *tuning* set.

For each (threshold, margin) pair it runs the tuning questions through the conversation
core (what a voter receives) and computes, per language, the share of in-scope questions
answered with the right topic, answered with a wrong one, and of out-of-scope questions
answered; it prints the pairs that keep wrong answers at most 2% and answered
out-of-scope questions at most 5% in every language, best first (or the least bad ones).
The held-out set is never read here: its figures (benchmarks/eval_realistic.py) are the
honest ones. The chosen values live in ``bot.faq.matcher.Thresholds``.

Run: .venv/bin/python benchmarks/calibrate_thresholds.py   (about a minute)
"""

from __future__ import annotations

import dataclasses
import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.abroad.missions import MissionDirectory  # noqa: E402
from bot.candidates.directory import CandidateDirectory  # noqa: E402
from bot.conversation.assistant import THRESHOLDS, Assistant  # noqa: E402
from bot.conversation.core import Knowledge  # noqa: E402
from bot.conversation.evaluation import voter_judge  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.faq.evaluation import evaluate, read_labelled  # noqa: E402

TUNING = ROOT / "tests" / "data" / "realistic"
LANGS = ("kk", "ru", "id")
ANSWER = (0.06, 0.1, 0.14, 0.18, 0.22, 0.26, 0.3)
MARGIN = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35)


def main() -> None:
    items = [item for lang in LANGS for item in read_labelled(TUNING / f"tuning_{lang}.csv")]
    print(f"{len(items)} tuning questions; in use: answer={THRESHOLDS.answer} margin={THRESHOLDS.margin}")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "cal.db"))
        knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
        judge = voter_judge(knowledge)
        for answer, margin in itertools.product(ANSWER, MARGIN):
            assistant.matcher.thresholds = dataclasses.replace(THRESHOLDS, answer=answer, margin=margin)
            report = evaluate(items, judge)
            worst = max(
                max(report.answered_wrong[lang] - 0.02, report.out_of_scope_by_lang[lang] - 0.05, 0.0)
                for lang in LANGS
            )
            results.append((worst, -min(report.answered_right.values()), answer, margin, report))
    print(f"{'answer':>7} {'margin':>7}  " + "  ".join(f"{lang}: right wrong   oos" for lang in LANGS))
    for *_, answer, margin, report in sorted(results, key=lambda r: r[:2])[:12]:
        cells = "  ".join(
            f"{lang}: {report.answered_right[lang]:5.1%} {report.answered_wrong[lang]:5.1%} "
            f"{report.out_of_scope_by_lang[lang]:5.1%}"
            for lang in LANGS
        )
        print(f"{answer:7.2f} {margin:7.2f}  {cells}")


if __name__ == "__main__":
    main()
