"""What voters get on realistic questions (tests/data/realistic/), end to end through the
conversation core: the held-out set, which nothing is tuned on, must meet the targets."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from bot.abroad.missions import MissionDirectory
from bot.candidates.directory import CandidateDirectory
from bot.conversation.assistant import Assistant
from bot.conversation.core import Knowledge
from bot.conversation.evaluation import voter_judge
from bot.db import open_database
from bot.faq.evaluation import Report, evaluate, read_labelled
from bot.faq.topics import CATALOGUE

DATA = Path(__file__).parent / "data" / "realistic"
LANGS = ("kk", "ru", "id")
SETS = ("tuning", "heldout")


def rows(set_name: str, lang: str) -> list[dict[str, str]]:
    with (DATA / f"{set_name}_{lang}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("set_name", ["tuning", "heldout"])
@pytest.mark.parametrize("lang", LANGS)
def test_sets_cover_every_topic_and_tricky_out_of_scope(set_name: str, lang: str) -> None:
    found = rows(set_name, lang)
    in_scope = [r for r in found if r["topic"]]
    assert len(in_scope) >= 150 and Counter(r["topic"] for r in in_scope).keys() == set(CATALOGUE)
    out = [r for r in found if not r["topic"]]
    assert len(out) >= 25 and sum(r["tricky"] == "1" for r in out) >= 7
    if lang == "kk":
        spellings = Counter(r["variant"] for r in in_scope)
        assert min(spellings[v] for v in ("kk-cyrillic", "kk-latin", "kk-rukeyboard")) >= 40, spellings


def test_a_third_of_out_of_scope_questions_are_tricky() -> None:
    out = [r for s in ("tuning", "heldout") for lang in LANGS for r in rows(s, lang) if not r["topic"]]
    assert len(out) >= 150 and 3 * sum(r["tricky"] == "1" for r in out) >= len(out)


def test_sets_do_not_overlap() -> None:
    tuning, heldout = ({r["text"].casefold() for lang in LANGS for r in rows(s, lang)} for s in SETS)
    assert not tuning & heldout


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> Report:
    assistant = Assistant(open_database(tmp_path_factory.mktemp("realistic") / "r.db"))
    knowledge = Knowledge(assistant, CandidateDirectory(assistant.db), MissionDirectory(assistant.db))
    items = [item for lang in LANGS for item in read_labelled(DATA / f"heldout_{lang}.csv")]
    return evaluate(items, voter_judge(knowledge))


def misses(report: Report, lang: str) -> str:
    return "\n".join(
        f"  [{item.variant}] {item.text!r}: want {item.topic}, answered {v.answered}, offered {v.suggestions}"
        for item, v in report.misses
        if item.lang == lang
    )


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_targets(heldout: Report, lang: str) -> None:
    figures = (
        f"{lang}: right {heldout.answered_right[lang]:.1%}, wrong {heldout.answered_wrong[lang]:.1%}, "
        f"right or offered {heldout.right_or_suggested[lang]:.1%}, "
        f"out of scope answered {heldout.out_of_scope_by_lang[lang]:.1%}, "
        f"language {heldout.language_detected[lang]:.1%}\n" + misses(heldout, lang)
    )
    assert heldout.answered_right[lang] >= 0.90, figures
    assert heldout.answered_wrong[lang] <= 0.02, figures
    assert heldout.right_or_suggested[lang] >= 0.98, figures
    assert heldout.out_of_scope_by_lang[lang] <= 0.05, figures
    assert heldout.language_detected[lang] >= 0.97, figures
