"""Callback-data filters read only their own kind of data (handlers/callbacks.py PrefixFilter)."""

from __future__ import annotations

import inspect
from unittest import mock

import pytest
from aiogram import F
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, User

from handlers import callbacks
from handlers.callbacks import CardCB, MenuCB, PrefixFilter, TopicCB, VoteCB

KINDS = [
    cls
    for _, cls in inspect.getmembers(callbacks, inspect.isclass)
    if issubclass(cls, CallbackData) and cls is not CallbackData
]


def press(data: str | None) -> CallbackQuery:
    return CallbackQuery(
        id="1", from_user=User(id=7, is_bot=False, first_name="V"), chat_instance="c", data=data
    )


def test_every_kind_filters_by_its_prefix() -> None:
    assert len(KINDS) >= 20
    heads = [cls.__prefix__ + cls.__separator__ for cls in KINDS]
    assert len(set(heads)) == len(heads), "two kinds of button share a prefix"
    for cls in KINDS:
        assert isinstance(cls.filter(), PrefixFilter), cls.__name__


async def test_data_of_another_kind_is_not_parsed() -> None:
    topic = TopicCB(topic="home-voting", lang="kk").pack()
    with mock.patch.object(VoteCB, "unpack", wraps=VoteCB.unpack) as unpack:
        assert await VoteCB.filter()(press(topic)) is False
        assert await VoteCB.filter()(press(None)) is False
        assert unpack.call_count == 0
        vote = VoteCB(topic="home-voting", lang="kk", helpful=1).pack()
        found = await VoteCB.filter()(press(vote))
        assert unpack.call_count == 1
    assert found == {"callback_data": VoteCB(topic="home-voting", lang="kk", helpful=1)}


@pytest.mark.parametrize(
    "data",
    [
        "t:home-voting",  # too few fields
        "t:a:kk:extra",  # too many
        "cc:99999999999999999999",  # beyond SQLite's integers
        "cc:-1",
        "cc:one",
    ],
)
async def test_own_prefix_with_bad_fields_is_refused(data: str) -> None:
    kind = TopicCB if data.startswith("t:") else CardCB
    assert await kind.filter()(press(data)) is False


async def test_rules_still_apply() -> None:
    home = MenuCB(section="home").pack()
    assert await MenuCB.filter(F.section == "home")(press(home)) == {"callback_data": MenuCB(section="home")}
    assert await MenuCB.filter(F.section == "ask")(press(home)) is False
    assert await MenuCB.filter(F.section == "home")(press("menuhome")) is False  # no separator
