"""The realistic training questions (content/training/): coverage, separation from the
evaluation sets, and validation of the files."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from bot.faq import training
from bot.faq.entries import ContentError
from bot.faq.topics import CATALOGUE
from bot.faq.training import OUT_OF_SCOPE, load_examples
from bot.text.normalize import key

REALISTIC = Path(__file__).parent / "data" / "realistic"
EXAMPLES = load_examples()


@pytest.mark.parametrize("lang", ["kk", "ru", "id"])
def test_every_topic_has_examples_in_every_language(lang: str) -> None:
    counts = Counter(e.topic for e in EXAMPLES if e.lang == lang)
    thin = {t: counts[t] for t in CATALOGUE if counts[t] < 5}
    assert not thin, f"topics with fewer than 5 {lang} examples: {thin}"
    assert counts[OUT_OF_SCOPE] >= 20


def test_kazakh_examples_cover_the_three_spellings() -> None:
    with (training.TRAINING_DIR / "kk.csv").open(encoding="utf-8", newline="") as f:
        styles = Counter(row["style"] for row in csv.DictReader(f))
    assert min(styles[s] for s in ("kk-cyrillic", "kk-latin", "kk-rukeyboard")) >= 100, styles


def test_no_example_is_an_evaluation_question() -> None:
    evaluation = set()
    for path in REALISTIC.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            evaluation |= {key(row["text"]) for row in csv.DictReader(f)}
    leaked = [e.text for e in EXAMPLES if key(e.text) in evaluation]
    assert not leaked


def write(directory: Path, text: str, name: str = "ru.csv") -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("topic,question,style\nvoting-hours,когда,ru\n", "must be one of"),
        ("topic,text,style\nvoting-hour,когда открываются участки,ru\n", "must be a topic of the catalogue"),
        ("topic,text,style\nvoting-hours,,ru\n", "must be non-empty text"),
        ("topic,text,style\nvoting-hours," + "а" * 401 + ",ru\n", "is 401 characters, at most 400"),
        ('topic,text,style\nvoting-hours,"не закрыта кавычка,ru\n', "malformed CSV"),
    ],
)
def test_bad_files_are_refused_with_the_line(tmp_path: Path, content: str, problem: str) -> None:
    directory = write(tmp_path / "training", content)
    with pytest.raises(ContentError) as raised:
        load_examples(directory)
    assert problem in str(raised.value) and "ru.csv" in str(raised.value)


def test_bad_encoding_is_refused(tmp_path: Path) -> None:
    directory = tmp_path / "training"
    directory.mkdir()
    (directory / "id.csv").write_bytes(b"topic,text,style\nvoting-hours,\xff\xfe jam,id\n")
    with pytest.raises(ContentError, match="malformed CSV"):
        load_examples(directory)


def test_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training, "MAX_ROWS", 2)
    rows = "".join(f"voting-hours,когда открываются участки {i},ru\n" for i in range(3))
    with pytest.raises(ContentError, match="more than 2 rows"):
        load_examples(write(tmp_path / "training", "topic,text,style\n" + rows))


def test_missing_folder_is_no_examples(tmp_path: Path) -> None:
    assert load_examples(tmp_path / "nowhere") == []
