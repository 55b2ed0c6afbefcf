"""Every source a voter can see is a page they can open and check (issue 11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.reference import load_reference_data
from bot.content.sources import published_sources, source_problem, weak_sources
from bot.db import open_database
from bot.faq.entries import load_faq_files, store_faq
from bot.languages import LANGS


@pytest.fixture
def shipped(tmp_path: Path):
    db = open_database(tmp_path / "shipped.db")
    load_reference_data(db)
    store_faq(db, load_faq_files())
    return db


@pytest.mark.parametrize(
    "source",
    [
        "https://www.election.gov.kz",  # a bare home page
        "https://www.inform.kz/",
        "https://www.election.gov.kz/rus/",
        "https://azattyq-ruhy.kz/index.php",
        "https://www.inform.kz (22 Nov 2022)",  # words beside the link
        "../shared/CONTENT.md (Jakarta embassy)",  # an internal file
        "Constitution of the Republic of Kazakhstan, art. 33",  # words, not a page
        "none found yet for contacts",
        "https://www.te.gob.mx/vota_elections/thesaurus/article/22679/16231/164",  # foreign law
        "https://example.org/" + "a" * 400,  # too long for a card
    ],
)
def test_weak_sources_are_named(source: str) -> None:
    assert source_problem(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        "https://www.election.gov.kz/eng/news/releases/index.php?ID=8937",
        "https://timesca.com/?p=51256",
        "https://adilet.zan.kz/eng/docs/Z950002464_/compare",
        "https://www.gov.kz/memleket/entities/mfa-berlin/press/news/details/871716?lang=de",
    ],
)
def test_specific_pages_pass(source: str) -> None:
    assert source_problem(source) is None


def test_every_published_source_is_a_specific_page(shipped) -> None:
    kinds = {kind for kind, _, _ in published_sources(shipped)}
    assert kinds == {"faq", "election", "mission", "polling", "party"}  # every kind is read
    assert weak_sources(shipped) == []


def test_law_in_force_is_not_cited_from_the_1995_constitution() -> None:
    """Rules now in force cite the Constitutional Law "On elections" or the 2026 Constitution;
    only historical answers may speak of the 1995 text."""
    historical = {"mazhilis", "elections-2023", "referendum-2026", "kurultai", "presidential-election"}
    for entry in load_faq_files():
        if entry.topic in historical:
            continue
        for lang in LANGS:
            text = entry.answers[lang]
            assert not re.search(r"1995", text), (entry.topic, lang)
        for source in entry.sources:
            assert "1995" not in source, entry.topic
