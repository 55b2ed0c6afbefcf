"""Keyboards built once and reused (handlers/keyboards.py, handlers/voter/missions.py) still
follow every change of the content they show."""

from __future__ import annotations

import dataclasses

from bot.abroad.missions import MissionDirectory
from bot.conversation.assistant import Assistant
from bot.telegram.local_chat import buttons
from handlers.keyboards import section_keyboard
from handlers.voter.missions import countries_keyboard, mission_keyboard


def test_countries_keyboard_is_built_once_per_directory_and_language(assistant: Assistant) -> None:
    missions = MissionDirectory(assistant.db)
    ru = countries_keyboard(missions, "ru")
    assert countries_keyboard(missions, "ru") is ru
    assert countries_keyboard(missions, "kk") is not ru
    assert len(buttons(ru)) == len(missions.countries())
    one = next(m for m in missions.missions if len(missions.in_country(m.country)) == 1)
    with assistant.db.atomic():
        assistant.db.execute("DELETE FROM mission_polling WHERE mission_id = ?", [one.id])
        assistant.db.execute("DELETE FROM missions WHERE id = ?", [one.id])
    changed = MissionDirectory(assistant.db)  # what every change of the missions makes
    after = countries_keyboard(changed, "ru")
    assert len(buttons(after)) == len(buttons(ru)) - 1
    assert f"mc:{one.country}" in {data for _, data in buttons(ru)}
    assert f"mc:{one.country}" not in {data for _, data in buttons(after)}


def test_section_keyboard_follows_a_changed_title(assistant: Assistant) -> None:
    before = section_keyboard(assistant, "vote", "ru")
    assert section_keyboard(assistant, "vote", "ru") is before
    topic = next(data.split(":")[1] for _, data in buttons(before) if data.startswith("t:"))
    entry = assistant.entries[topic]
    renamed = dataclasses.replace(entry, titles={**entry.titles, "ru": "Новое название"})
    assistant.entries = {**assistant.entries, topic: renamed}
    labels = [label for label, _ in buttons(section_keyboard(assistant, "vote", "ru"))]
    assert "Новое название" in labels
    assert "Новое название" not in [label for label, _ in buttons(before)]


def test_section_keyboard_labels_are_in_the_language_asked(assistant: Assistant) -> None:
    kk = [label for label, _ in buttons(section_keyboard(assistant, "abroad", "kk"))]
    ru = [label for label, _ in buttons(section_keyboard(assistant, "abroad", "ru"))]
    assert kk[-1] != ru[-1] and kk[-2] != ru[-2]  # "Main menu", "Countries and missions"


def test_mission_keyboard_carries_its_mission_and_share_link() -> None:
    kb = mission_keyboard("kz-jakarta", "id", "https://t.me/share/url?url=x")
    assert mission_keyboard("kz-jakarta", "id", "https://t.me/share/url?url=x") is kb
    data = [d for _, d in buttons(kb)]
    assert "rh:kz-jakarta" in data
    assert mission_keyboard("kz-jakarta", "id", None) is not kb
