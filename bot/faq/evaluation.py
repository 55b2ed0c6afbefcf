"""Measuring the matcher on a labelled question set (used by tests and the benchmarks).

The set is a CSV with columns ``topic,lang,variant,text`` (more are ignored); an empty
``topic`` marks an out-of-scope question that must not be answered.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Labelled:
    """One labelled question."""

    topic: str | None
    lang: str
    variant: str
    text: str


@dataclass(frozen=True)
class Verdict:
    """What a matcher made of a question: its best topic, the topic it answered (if any),
    the topics it offered as "did you mean" and the language it read."""

    best: str | None
    answered: str | None
    suggestions: tuple[str, ...] = ()
    detected: str | None = None


@dataclass
class Report:
    """Accuracy figures over a labelled set."""

    top1: dict[str, float] = field(default_factory=dict)  # in-scope, per language
    answered_right: dict[str, float] = field(default_factory=dict)  # answered with the right topic
    answered_wrong: dict[str, float] = field(default_factory=dict)  # answered with a wrong topic
    right_or_suggested: dict[str, float] = field(default_factory=dict)  # right answer or among "did you mean"
    out_of_scope_answered: float = 0.0
    out_of_scope_by_lang: dict[str, float] = field(default_factory=dict)
    language_detected: dict[str, float] = field(default_factory=dict)  # all questions, per language
    counts: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[Labelled, Verdict]] = field(default_factory=list)


def read_labelled(path: Path) -> list[Labelled]:
    """Read the labelled CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        return [
            Labelled(row["topic"].strip() or None, row["lang"].strip(), row["variant"].strip(), row["text"])
            for row in csv.DictReader(f)
        ]


def evaluate(items: Iterable[Labelled], judge: Callable[[str], Verdict]) -> Report:
    """Run ``judge`` over ``items`` and compute per-language figures."""
    totals: dict[str, int] = defaultdict(int)
    top1: dict[str, int] = defaultdict(int)
    right: dict[str, int] = defaultdict(int)
    wrong: dict[str, int] = defaultdict(int)
    offered: dict[str, int] = defaultdict(int)
    oos: dict[str, int] = defaultdict(int)
    oos_answered: dict[str, int] = defaultdict(int)
    seen: dict[str, int] = defaultdict(int)
    read_right: dict[str, int] = defaultdict(int)
    report = Report()
    for item in items:
        verdict = judge(item.text)
        seen[item.lang] += 1
        read_right[item.lang] += verdict.detected == item.lang
        if item.topic is None:
            oos[item.lang] += 1
            if verdict.answered is not None:
                oos_answered[item.lang] += 1
                report.misses.append((item, verdict))
            continue
        totals[item.lang] += 1
        top1[item.lang] += verdict.best == item.topic
        right[item.lang] += verdict.answered == item.topic
        offered[item.lang] += verdict.answered == item.topic or (
            verdict.answered is None and item.topic in verdict.suggestions
        )
        if verdict.answered not in (None, item.topic):
            wrong[item.lang] += 1
        if verdict.best != item.topic or verdict.answered != item.topic:
            report.misses.append((item, verdict))
    for lang, n in totals.items():
        report.top1[lang] = top1[lang] / n
        report.answered_right[lang] = right[lang] / n
        report.answered_wrong[lang] = wrong[lang] / n
        report.right_or_suggested[lang] = offered[lang] / n
    for lang, n in oos.items():
        report.out_of_scope_by_lang[lang] = oos_answered[lang] / n
    for lang, n in seen.items():
        report.language_detected[lang] = read_right[lang] / n
    report.counts = {**totals, "out-of-scope": sum(oos.values())}
    all_oos = sum(oos.values())
    report.out_of_scope_answered = sum(oos_answered.values()) / all_oos if all_oos else 0.0
    return report
