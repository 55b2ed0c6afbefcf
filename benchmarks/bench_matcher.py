"""FAQ matcher benchmark: Saylau's matcher against the naive rapidfuzz baseline, one run.

Prints, side by side:
* match latency p50 / p99 on the shipped FAQ and on a synthetic FAQ of
  1,000 entries x 3 languages x 6 phrasings (18,000), each with its topic model;
* accuracy of both on the labelled set (tests/data/labelled_questions.csv) and on the
  realistic tuning and held-out sets (tests/data/realistic/), Saylau end to end through the
  conversation core (what a voter receives), the baseline on the FAQ alone;
* start-up to first answer of ``python -m bot ask``: cold (fresh database, no trained
  model in the cache) and warm (the bot's usual start).

The baseline is ``rapidfuzz.process.extractOne`` with ``WRatio`` (and rapidfuzz's
default processor) over all phrasings; it "answers" when its score reaches
``BASELINE_CUTOFF``. Training the synthetic FAQ's model (1,000 classes) takes a few
minutes the first time; it is cached under the model cache's ``bench/`` folder.

Run: .venv/bin/python benchmarks/bench_matcher.py
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process, utils

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.abroad.missions import MissionDirectory  # noqa: E402
from bot.candidates.directory import CandidateDirectory  # noqa: E402
from bot.conversation.assistant import THRESHOLDS, Assistant  # noqa: E402
from bot.conversation.core import Knowledge  # noqa: E402
from bot.conversation.evaluation import voter_judge  # noqa: E402
from bot.db import open_database  # noqa: E402
from bot.faq import classifier  # noqa: E402
from bot.faq.evaluation import Labelled, Report, Verdict, evaluate, read_labelled  # noqa: E402
from bot.faq.matcher import FaqMatcher  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled_questions.csv"
REALISTIC = ROOT / "tests" / "data" / "realistic"
LANGS = ("kk", "ru", "id")
BASELINE_CUTOFF = 85.0
SYNTHETIC_ENTRIES = 1000
PHRASINGS_PER_LANG = 6


class Baseline:
    """extractOne(WRatio) over every phrasing."""

    def __init__(self, phrasings: list[tuple[str, str]]) -> None:
        self.topics = [t for t, _ in phrasings]
        self.texts = [p for _, p in phrasings]

    def best(self, question: str) -> tuple[str | None, float]:
        found = process.extractOne(question, self.texts, scorer=fuzz.WRatio, processor=utils.default_process)
        return (self.topics[found[2]], found[1]) if found else (None, 0.0)

    def verdict(self, question: str) -> Verdict:
        topic, score = self.best(question)
        return Verdict(topic, topic if score >= BASELINE_CUTOFF else None)


def latency(fn: Callable[[str], object], queries: list[str], repeat: int = 1) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    for q in queries[:20]:
        fn(q)  # warm caches
    samples = []
    for _ in range(repeat):
        for q in queries:
            start = time.perf_counter_ns()
            fn(q)
            samples.append((time.perf_counter_ns() - start) / 1e6)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def synthetic_faq(
    real: list[tuple[str, str]], seed: int = 7
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """1,000 entries x 3 languages x 6 phrasings from the shipped vocabulary, plus typo'd queries."""
    rng = random.Random(seed)
    vocab = sorted({w for _, text in real for w in text.split() if len(w) > 2})
    phrasings: list[tuple[str, str]] = []
    queries: list[tuple[str, str]] = []
    for i in range(SYNTHETIC_ENTRIES):
        topic = f"synthetic-{i}"
        core = rng.sample(vocab, 3)
        for _lang in range(3):
            for _ in range(PHRASINGS_PER_LANG):
                words = core + rng.sample(vocab, rng.randint(2, 6))
                rng.shuffle(words)
                phrasings.append((topic, " ".join(words)))
        if i % 5 == 0:
            words = [*core, *rng.sample(vocab, 2)]
            text = " ".join(words)
            pos = rng.randrange(len(text))
            queries.append((topic, text[:pos] + text[pos + 1 :]))  # one typo
    return phrasings, queries


def startup_seconds(db_path: Path, model_cache: Path) -> float:
    env = {
        **os.environ,
        "DATABASE_PATH": str(db_path),
        "PYTHONPATH": str(ROOT),
        "SAYLAU_MODEL_CACHE": str(model_cache),
    }
    env.pop("BOT_TOKEN", None)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "ask", "Когда открываются избирательные участки?"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def row(name: str, *cells: str) -> str:
    return f"{name:<34}" + "".join(f"{c:>22}" for c in cells)


def realistic(set_name: str) -> list[Labelled]:
    return [item for path in sorted(REALISTIC.glob(f"{set_name}_*.csv")) for item in read_labelled(path)]


def realistic_rows(label: str, report: Report, detection: bool) -> list[str]:
    def cells(figures: dict[str, float]) -> list[str]:
        return [f"{lang} {figures[lang]:.1%}" for lang in LANGS]

    lines = [
        row(f"{label} right answered", *cells(report.answered_right)),
        row(f"{label} wrong answered", *cells(report.answered_wrong)),
        row(f"{label} right or offered", *cells(report.right_or_suggested)),
        row(f"{label} out of scope answered", *cells(report.out_of_scope_by_lang)),
    ]
    if detection:
        lines.append(row(f"{label} language detected", *cells(report.language_detected)))
    return lines


def accuracy_rows(label: str, report: Report) -> list[str]:
    langs = LANGS
    return [
        row(f"{label} top-1 in-scope", *(f"{lang} {report.top1[lang]:.1%}" for lang in langs)),
        row(f"{label} answered right", *(f"{lang} {report.answered_right[lang]:.1%}" for lang in langs)),
        row(f"{label} answered wrong", *(f"{lang} {report.answered_wrong[lang]:.1%}" for lang in langs)),
        row(f"{label} out-of-scope answered", f"{report.out_of_scope_answered:.1%}"),
    ]


def main() -> None:
    items = read_labelled(LABELLED)
    queries = [i.text for i in items]
    with tempfile.TemporaryDirectory() as tmp:
        assistant = Assistant(open_database(Path(tmp) / "bench.db"))
        real = [
            (e.topic, q)
            for e in assistant.entries.values()
            for lang in e.questions
            for q in (*e.questions[lang], e.titles[lang])
        ]
        baseline = Baseline(real)
        print(
            f"Shipped FAQ: {len(assistant.entries)} entries, {len(real)} phrasings; "
            f"{len(queries)} labelled questions ({sum(i.topic is None for i in items)} out of scope)"
        )
        print(row("", "Saylau", "baseline (WRatio)"))
        s50, s99 = latency(assistant.matcher.match, queries, repeat=3)
        b50, b99 = latency(baseline.best, queries, repeat=3)
        print(row("latency p50 / p99, shipped FAQ", f"{s50:.3f} / {s99:.3f} ms", f"{b50:.3f} / {b99:.3f} ms"))

        synth, synth_queries = synthetic_faq(real)
        started = time.perf_counter()
        model = classifier.trained(synth, classifier.DEFAULT_CACHE / "bench")
        trained = time.perf_counter() - started
        started = time.perf_counter()
        big = FaqMatcher(synth, THRESHOLDS, model=model)
        build = time.perf_counter() - started
        big_baseline = Baseline(synth)
        mixed = queries + [q for _, q in synth_queries]
        s50, s99 = latency(big.match, mixed, repeat=3)
        b50, b99 = latency(big_baseline.best, mixed)
        print(
            row(
                f"latency p50 / p99, {len(synth):,} phr.",
                f"{s50:.3f} / {s99:.3f} ms",
                f"{b50:.3f} / {b99:.3f} ms",
            )
        )
        print(row("speed-up at p99 (synthetic)", f"{b99 / s99:.1f}x", ""))
        print(row("index build (synthetic)", f"{build:.2f} s", "-"))
        print(row("model train or load (synthetic)", f"{trained:.2f} s", "-"))
        s_top = sum((r := big.rank(q)) and r[0].topic == t for t, q in synth_queries) / len(synth_queries)
        b_top = sum(big_baseline.best(q)[0] == t for t, q in synth_queries) / len(synth_queries)
        print(row("top-1 on synthetic typo queries", f"{s_top:.1%}", f"{b_top:.1%}"))

        def saylau(text: str) -> Verdict:
            ranking = assistant.matcher.rank(text)
            return Verdict(ranking[0].topic if ranking else None, assistant.ask(text, record=False).topic)

        print()
        for line in accuracy_rows("Saylau", evaluate(items, saylau)):
            print(line)
        for line in accuracy_rows(
            f"baseline (cutoff {BASELINE_CUTOFF:.0f})", evaluate(items, baseline.verdict)
        ):
            print(line)
        detected = sum(assistant.detect(i.text) == i.lang for i in items) / len(items)
        print(row("language detection", f"{detected:.1%}", "-"))

        knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
        judge = voter_judge(knowledge)
        for set_name in ("tuning", "heldout"):
            questions = realistic(set_name)
            print(f"\nRealistic {set_name} set: {len(questions)} questions")
            print(row("", *LANGS))
            for line in realistic_rows("Saylau", evaluate(questions, judge), detection=True):
                print(line)
            for line in realistic_rows("baseline", evaluate(questions, baseline.verdict), detection=False):
                print(line)

        print()
        cache = Path(tmp) / "model-cache"
        cold = startup_seconds(Path(tmp) / "startup.db", cache)
        warm = startup_seconds(Path(tmp) / "startup.db", cache)
        print(row("start-up to first answer (CLI)", f"cold {cold:.2f} s", f"warm {warm:.2f} s"))


if __name__ == "__main__":
    main()
