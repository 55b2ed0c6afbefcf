"""The topic model: it learns topics and an out-of-scope class, and its disk cache is
reused, replaced when damaged and kept small."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.faq import classifier
from bot.faq.classifier import text_features, train, trained

EXAMPLES = [
    ("voting-hours", "когда открываются участки"),
    ("voting-hours", "до скольки работает участок"),
    ("voting-hours", "saylau uchaskesi qashan ashylady"),
    ("voting-hours", "tps buka jam berapa"),
    ("home-voting", "голосование на дому для больных"),
    ("home-voting", "можно ли проголосовать дома если болею"),
    ("home-voting", "үйде дауыс беру"),
    ("home-voting", "nyoblos di rumah karena sakit"),
    ("-out-of-scope-", "курс доллара на сегодня"),
    ("-out-of-scope-", "погода в алматы завтра"),
    ("-out-of-scope-", "resep nasi goreng"),
    ("-out-of-scope-", "ауа райы қандай"),
]


def test_features_share_stems_and_letter_groups_across_spellings() -> None:
    a, b = text_features("uchastok otkryvaetsia"), text_features("uchastki otkryvaiutsia")
    assert "s:ucha" in a and "s:ucha" in b and " uc" in a and " uc" in b
    assert "b:uchastok otkryvaetsia" in a and "w:uchastok" in a


def test_model_learns_topics_and_out_of_scope() -> None:
    model = train(EXAMPLES)
    assert set(model.classes) == {"voting-hours", "home-voting", "-out-of-scope-"}
    probabilities = model.probabilities("во сколько открывается участок?")
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert model.classes[int(np.argmax(probabilities))] == "voting-hours"
    assert model.classes[int(np.argmax(model.probabilities("курс доллара")))] == "-out-of-scope-"
    unknown = model.probabilities("zzzz qqqq")  # no known feature: the prior, not an error
    assert unknown.shape == (3,) and unknown.sum() == pytest.approx(1.0, abs=1e-5)


def test_cache_is_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = trained(EXAMPLES, tmp_path)
    assert len(list(tmp_path.glob("topic-model-*.npz"))) == 1

    def no_training(_examples: object) -> None:
        raise AssertionError("trained again although cached")

    monkeypatch.setattr(classifier, "train", no_training)
    monkeypatch.setattr(classifier, "_fit", no_training)
    again = trained(EXAMPLES, tmp_path)
    assert again.classes == first.classes and again.vocabulary == first.vocabulary
    assert again.weights.dtype == first.weights.dtype == classifier.WEIGHT_TYPE
    for text in ("когда открываются участки", "курс доллара", "zzzz", ""):
        assert np.array_equal(again.probabilities(text), first.probabilities(text))


def test_changed_examples_train_a_new_model(tmp_path: Path) -> None:
    trained(EXAMPLES, tmp_path)
    more = trained([*EXAMPLES, ("home-voting", "урна на дом для больных")], tmp_path)
    assert len(list(tmp_path.glob("topic-model-*.npz"))) == 2
    assert "w:bolnih" in more.vocabulary  # folded; now in two examples


def test_damaged_cache_is_retrained(tmp_path: Path) -> None:
    trained(EXAMPLES, tmp_path)
    (path,) = tmp_path.glob("topic-model-*.npz")
    path.write_bytes(b"not a model")
    model = trained(EXAMPLES, tmp_path)
    assert model.classes[int(np.argmax(model.probabilities("когда открываются участки?")))] == "voting-hours"
    assert path.read_bytes() != b"not a model"  # replaced


def test_cache_keeps_only_the_newest_models(tmp_path: Path) -> None:
    for i in range(classifier.CACHE_KEPT + 2):
        trained([*EXAMPLES, ("voting-hours", f"участок открыт {i} часов")], tmp_path)
    assert len(list(tmp_path.glob("topic-model-*.npz"))) == classifier.CACHE_KEPT


def test_unwritable_cache_still_gives_a_model(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    model = trained(EXAMPLES, blocker / "cache")  # cannot create a folder under a file
    assert "voting-hours" in model.classes
