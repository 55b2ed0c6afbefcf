"""The topic menu: which FAQ topics each main-menu section leads to.

Topics published but not listed here (e.g. added later by an admin) appear under
"more topics", so every published topic is reachable by buttons.
"""

from __future__ import annotations

from collections.abc import Iterable

SECTIONS: dict[str, tuple[str, ...]] = {
    "dates": (
        "election-dates",
        "referendum-2026",
        "elections-2023",
        "presidential-election",
        "district-akim-elections",
        "rural-akim-elections-2021",
    ),
    "local": (
        "maslikhat-role",
        "maslikhat-elections",
        "akim-role",
        "akim-selection",
        "akim-eligibility",
        "kurultai",
        "mazhilis",
    ),
    "vote": (
        "who-can-vote",
        "voting-hours",
        "voting-documents",
        "polling-station",
        "how-to-vote",
        "against-all",
        "absentee-voting",
        "home-voting",
        "observers",
        "report-violation",
    ),
    "abroad": ("voting-abroad", "embassy"),
    "candidates": ("candidate-lists", "self-nomination"),
    "about": ("about-bot", "cec", "privacy"),
}
MORE = "more"


def section_topics(section: str, published: Iterable[str]) -> list[str]:
    """The published topics of ``section`` in menu order."""
    available = set(published)
    if section == MORE:
        listed = {t for topics in SECTIONS.values() for t in topics}
        return sorted(available - listed)
    return [t for t in SECTIONS.get(section, ()) if t in available]
