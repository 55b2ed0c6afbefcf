"""PNG charts drawn with matplotlib: admins' /stats and an election's candidate figures.

Callers pass every label already translated and formatted (numbers, days) in the reply's
language; this module only draws. matplotlib is imported on first use (the bot does not pay
for it until someone asks for a chart) and drawing takes a lock: its font cache is shared.
Call these off the event loop (``asyncio.to_thread``): a chart takes 50-300 ms.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.config import cache_dir

if TYPE_CHECKING:  # imported for real on first use only
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_BARS = 31  # days or topics in one panel
MAX_LABEL = 40  # characters of a bar's label
_LOCK = threading.Lock()
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")


@dataclass(frozen=True)
class StatsChart:
    """What the admins' chart shows, every text in the admin's language."""

    title: str
    per_day_title: str
    days: Sequence[str]  # oldest first, already formatted
    per_day: dict[str, Sequence[int]]  # series label (a language) -> questions on each day
    answered_title: str
    answered: Sequence[tuple[str, int]]  # ("answered", n), ("not answered", m)
    topics_title: str
    topics: Sequence[tuple[str, int]]  # topic title -> questions, most asked first
    empty: str  # shown in a panel with nothing to draw
    number: Callable[[int], str] = str  # the figures on the bars, in the language's format


def _figure(width: float, height: float) -> Figure:
    os.environ.setdefault("MPLCONFIGDIR", str(cache_dir() / "matplotlib"))
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _hbars(
    axes: Axes, title: str, bars: Sequence[tuple[str, int]], empty: str, number: Callable[[int], str]
) -> None:
    axes.set_title(title, loc="left", fontsize=11)
    bars = list(bars)[:MAX_BARS]
    if not bars or not any(n for _, n in bars):
        axes.text(0.5, 0.5, empty, ha="center", va="center", transform=axes.transAxes, color="grey")
        axes.set_axis_off()
        return
    labels = [_short(label) for label, _ in bars][::-1]  # the first bar on top
    values = [n for _, n in bars][::-1]
    drawn = axes.barh(labels, values, color=_COLOURS[0])
    axes.bar_label(drawn, labels=[number(n) for n in values], padding=3, fontsize=9)
    axes.margins(x=0.15)
    axes.spines[["top", "right"]].set_visible(False)


def stats_png(chart: StatsChart) -> bytes:
    """The /stats chart: questions per day by language (stacked), answered share, top topics."""
    with _LOCK:
        figure = _figure(8, 9)
        per_day, answered, topics = figure.subplots(3, 1, height_ratios=(3, 1, 2))
        figure.suptitle(chart.title, fontsize=13)
        per_day.set_title(chart.per_day_title, loc="left", fontsize=11)
        days = list(chart.days)[-MAX_BARS:]
        if days and any(sum(v) for v in chart.per_day.values()):
            bottom = [0] * len(days)
            for colour, (label, series) in zip(_COLOURS, chart.per_day.items(), strict=False):
                values = list(series)[-MAX_BARS:]
                per_day.bar(days, values, bottom=bottom, label=label, color=colour)
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
            per_day.legend(loc="upper left", fontsize=9)
            per_day.tick_params(axis="x", labelrotation=60, labelsize=8)
            per_day.spines[["top", "right"]].set_visible(False)
        else:
            per_day.text(0.5, 0.5, chart.empty, ha="center", va="center", transform=per_day.transAxes)
            per_day.set_axis_off()
        _hbars(answered, chart.answered_title, chart.answered, chart.empty, chart.number)
        _hbars(topics, chart.topics_title, chart.topics, chart.empty, chart.number)
        return _png(figure)


def bars_png(
    title: str,
    bars: Sequence[tuple[str, int]],
    note: str = "",
    empty: str = "",
    number: Callable[[int], str] = str,
) -> bytes:
    """One horizontal bar chart (an election's nominations), ``note`` under the title."""
    with _LOCK:
        figure = _figure(7, 1.6 + 0.5 * max(1, len(bars)))
        axes = figure.subplots()
        figure.suptitle(title, fontsize=12)
        _hbars(axes, note, bars, empty, number)
        return _png(figure)
