"""The topic catalogue: stable IDs from the project's content specification (CONTENT.md).

``python -m bot ask --json`` reports these as ``id``. Every one must have a published
FAQ entry in all three languages with a source (checked by the tests).
"""

from __future__ import annotations

CATALOGUE: tuple[str, ...] = (
    "election-dates",
    "elections-2023",
    "rural-akim-elections-2021",
    "district-akim-elections",
    "presidential-election",
    "referendum-2026",
    "kurultai",
    "mazhilis",
    "maslikhat-role",
    "maslikhat-elections",
    "akim-role",
    "akim-selection",
    "akim-eligibility",
    "who-can-vote",
    "voting-hours",
    "voting-documents",
    "polling-station",
    "absentee-voting",
    "home-voting",
    "voting-abroad",
    "embassy",
    "how-to-vote",
    "against-all",
    "candidate-lists",
    "self-nomination",
    "observers",
    "report-violation",
    "cec",
    "about-bot",
    "privacy",
)

# Answered from tables in later versions; for now from their FAQ entries.
DYNAMIC: frozenset[str] = frozenset({"election-dates", "embassy", "candidate-lists"})
