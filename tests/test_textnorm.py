"""Normalisation and the script-independent folded key."""

from __future__ import annotations

import pytest

from bot.text.normalize import has_letters, key, normalize


@pytest.mark.parametrize(
    "spellings",
    [
        ("Қашан сайлау болады?", "qashan saylau bolady", "кашан сайлау болады", "Kashan sailau bolady"),
        ("мәслихат", "маслихат", "maslikhat", "mäslihat"),
        ("Тоқаев", "Токаев", "Toqaev"),
        ("Джакарта", "Jakarta"),
        ("шетелде қалай дауыс беремін", "shetelde qalai dauys beremin", "şetelde qalai dauys beremın"),
        ("әкім", "аким", "akim", "äkım"),
        ("ұлттық", "ulttyq", "улттык"),
    ],
)
def test_spellings_meet_in_one_key(spellings: tuple[str, ...]) -> None:
    keys = {key(s) for s in spellings}
    assert len(keys) == 1, keys


def test_different_words_stay_apart() -> None:
    assert key("сайлау") != key("сауал")
    assert key("когда") != key("где")


def test_normalize_strips_invisible_and_punctuation() -> None:
    text = "Ёлка\u200b\u200f,  <b>Сайлау</b>!!!\u202e?"
    assert normalize(text) == "елка b сайлау b"


def test_has_letters() -> None:
    assert not has_letters(normalize("😀🎉 ?!"))
    assert not has_letters(normalize("\u200b\u200e 123"))
    assert has_letters(normalize("әкім 😀"))
