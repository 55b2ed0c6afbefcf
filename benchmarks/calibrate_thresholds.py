"""Choose the matcher's answer threshold and margin on the realistic *tuning* set.

For each (threshold, margin) pair it computes, per language, the share of in-scope
questions answered with the right topic, answered with a wrong one, and of out-of-scope
questions answered; it prints the pairs that keep wrong answers at most 2% and answered
out-of-scope questions at most 5% in every language, best first. The held-out set is
never read here: its figures (benchmarks/eval_realistic.py) are the honest ones. The
chosen values live in ``bot.faq.matcher.Thresholds``.

Run: .venv/bin/python benchmarks/calibrate_thresholds.py
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation.assistant import THRESHOLDS, Assistant  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.faq.evaluation import read_labelled  # noqa: E402
from bot.faq.matcher import REJECT  # noqa: E402

TUNING = ROOT / "tests" / "data" / "realistic"
LANGS = ("kk", "ru", "id")
ANSWER = [x / 100 for x in range(6, 60, 2)]
MARGIN = [x / 100 for x in range(0, 45, 5)]


def main() -> None:
    items = [item for lang in LANGS for item in read_labelled(TUNING / f"tuning_{lang}.csv")]
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "cal.db"))
        observed = []
        for item in items:
            ranking = assistant.matcher.rank(item.text, limit=2)
            top = ranking[0] if ranking else None
            second = ranking[1].score if len(ranking) > 1 else 0.0
            observed.append((item, top.topic if top else None, top.score if top else 0.0, second))
    print(f"{len(items)} tuning questions; in use: answer={THRESHOLDS.answer} margin={THRESHOLDS.margin}")
    results = []
    for answer, margin in itertools.product(ANSWER, MARGIN):
        figures = {}
        for lang in LANGS:
            mine = [o for o in observed if o[0].lang == lang]
            answered = [
                (i, t) for i, t, s, r in mine if t not in (None, REJECT) and s >= answer and s - r >= margin
            ]
            n_in = sum(1 for i, *_ in mine if i.topic)
            n_out = len(mine) - n_in
            right = sum(i.topic == t for i, t in answered if i.topic) / n_in
            wrong = sum(i.topic != t for i, t in answered if i.topic) / n_in
            oos = sum(1 for i, _ in answered if not i.topic) / n_out
            figures[lang] = (right, wrong, oos)
        if all(w <= 0.02 and o <= 0.05 for _, w, o in figures.values()):
            results.append((min(r for r, _, _ in figures.values()), answer, margin, figures))
    print(f"{'answer':>7} {'margin':>7}  " + "  ".join(f"{lang}: right wrong oos" for lang in LANGS))
    for _, answer, margin, figures in sorted(results, key=lambda r: -r[0])[:15]:
        cells = "  ".join(f"{lang}: {r:5.1%} {w:5.1%} {o:5.1%}" for lang, (r, w, o) in figures.items())
        print(f"{answer:7.2f} {margin:7.2f}  {cells}")


if __name__ == "__main__":
    main()
