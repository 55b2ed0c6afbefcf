"""Matching quality on a labelled set written independently of the FAQ phrasings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot.conversation.assistant import Assistant
from bot.faq.evaluation import Report, Verdict, evaluate, read_labelled
from bot.faq.topics import CATALOGUE

LABELLED = Path(__file__).parent / "data" / "labelled_questions.csv"
ITEMS = read_labelled(LABELLED)


def saylau_judge(assistant: Assistant):
    def judge(text: str) -> Verdict:
        ranking = assistant.matcher.rank(text)
        reply = assistant.ask(text, record=False)
        return Verdict(ranking[0].topic if ranking else None, reply.topic)

    return judge


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    from bot.db import open_database

    assistant = Assistant(open_database(tmp_path_factory.mktemp("m") / "m.db"))
    return evaluate(ITEMS, saylau_judge(assistant))


def _misses(report: Report, lang: str | None) -> str:
    lines = [
        f"  [{item.variant}] {item.text!r}: want {item.topic}, best {v.best}, answered {v.answered}"
        for item, v in report.misses
        if (lang is None and item.topic is None) or (item.lang == lang and item.topic is not None)
    ]
    return "\n".join(lines)


def test_labelled_set_is_big_and_varied() -> None:
    assert len(ITEMS) >= 300
    variants = Counter(item.variant for item in ITEMS if item.topic)
    assert variants["kk-cyrillic"] >= 30 and variants["kk-latin"] >= 20 and variants["kk-rukeyboard"] >= 20
    assert variants["ru"] >= 50 and variants["id"] >= 50
    assert sum(item.topic is None for item in ITEMS) >= 50
    assert {item.topic for item in ITEMS if item.topic} <= set(CATALOGUE)


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
def test_top1_accuracy_per_language(report: Report, lang: str) -> None:
    assert report.top1[lang] >= 0.95, f"top-1 {report.top1[lang]:.1%} in {lang}\n" + _misses(report, lang)


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
def test_confident_answers_are_rarely_wrong(report: Report, lang: str) -> None:
    assert report.answered_wrong[lang] <= 0.03, _misses(report, lang)
    assert report.answered_right[lang] >= 0.80, f"answered right {report.answered_right[lang]:.1%}"


def test_out_of_scope_rarely_answered(report: Report) -> None:
    assert report.out_of_scope_answered <= 0.05, _misses(report, None)


def test_language_detection(tmp_path: Path) -> None:
    from bot.db import open_database

    assistant = Assistant(open_database(tmp_path / "l.db"))
    wrong = [(i.lang, i.text, assistant.detect(i.text)) for i in ITEMS if assistant.detect(i.text) != i.lang]
    accuracy = 1 - len(wrong) / len(ITEMS)
    assert accuracy >= 0.97, f"language detection {accuracy:.1%}: {wrong}"
