"""Calibrate the matcher's answer threshold and margin on the labelled question set.

For each (threshold, margin) pair it prints the share of in-scope questions answered with
the right topic, answered with a wrong one, and of out-of-scope questions answered.
The chosen values live in ``bot.assistant.THRESHOLDS``.

Run: .venv/bin/python benchmarks/calibrate_thresholds.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation.assistant import THRESHOLDS, Assistant  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.faq.evaluation import read_labelled  # noqa: E402
from bot.faq.matcher import REJECT  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled_questions.csv"


def main() -> None:
    items = read_labelled(LABELLED)
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "cal.db"))
        observed = []
        for item in items:
            ranking = assistant.matcher.rank(item.text, limit=2)
            top = ranking[0] if ranking else None
            second = ranking[1].score if len(ranking) > 1 else 0.0
            observed.append((item, top.topic if top else None, top.score if top else 0.0, second))
    in_scope = [o for o in observed if o[0].topic]
    out_scope = [o for o in observed if not o[0].topic]
    print(f"{len(in_scope)} in-scope, {len(out_scope)} out-of-scope questions")
    print(f"in use: answer={THRESHOLDS.answer} margin={THRESHOLDS.margin}")
    print(f"{'answer':>7} {'margin':>7} {'right':>7} {'wrong':>7} {'oos':>7}")
    for answer in (0.22, 0.24, 0.26, 0.28, 0.30, 0.32, 0.34, 0.36):
        for margin in (0.0, 0.02, 0.04, 0.06, 0.08):

            def answers(topic: str | None, score: float, second: float, a=answer, m=margin) -> bool:
                return topic not in (None, REJECT) and score >= a and score - second >= m

            right = sum(t == i.topic and answers(t, s, r) for i, t, s, r in in_scope)
            wrong = sum(t != i.topic and answers(t, s, r) for i, t, s, r in in_scope)
            oos = sum(answers(t, s, r) for _, t, s, r in out_scope)
            print(
                f"{answer:7.2f} {margin:7.2f} {right / len(in_scope):7.1%} "
                f"{wrong / len(in_scope):7.1%} {oos / len(out_scope):7.1%}"
            )


if __name__ == "__main__":
    main()
