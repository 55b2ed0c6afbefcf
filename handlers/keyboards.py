"""Inline keyboards. Labels are translated eagerly (lazy strings fail validation).

The keyboards shown most (main menu, sections, answer, "did you mean") are built once per
language and content and then reused: aiogram's types are frozen, and building one is a dozen
pydantic models, a fifth of a simple update's time (benchmarks/bench_dispatch.py).
"""

from __future__ import annotations

from functools import lru_cache

from aiogram.types import InlineKeyboardMarkup

from bot.conversation.assistant import Assistant
from bot.faq.menu import MORE, section_topics
from bot.i18n import gettext
from bot.languages import LANGS, NATIVE_NAMES, Lang
from handlers.buttons import Keyboard
from handlers.callbacks import LangCB, MenuCB, NoneOfTheseCB, TopicCB, VoteCB
from handlers.sharing import add_share


def add_menu_button(kb: Keyboard, lang: Lang, back: bool = False) -> Keyboard:
    """The "Main menu" button, last under most replies (``back``: leaving a menu section)."""
    return kb.button(
        text=("⬅️ " if back else "☰ ") + gettext("Main menu", lang), callback_data=MenuCB(section="home")
    )


def section_titles(lang: Lang) -> dict[str, str]:
    """Main-menu section labels in ``lang``."""
    return {
        "dates": "🗓 " + gettext("Election dates", lang),
        "local": "🏛 " + gettext("Maslikhat, akim, parliament", lang),
        "vote": "🗳 " + gettext("How to vote", lang),
        "abroad": "🌍 " + gettext("Voting abroad, embassies", lang),
        "candidates": "👥 " + gettext("Candidates", lang),
        "ask": "❓ " + gettext("Ask a question", lang),
        "about": "ℹ️ " + gettext("About the bot", lang),
        MORE: "➕ " + gettext("More topics", lang),
        "language": "🌐 " + gettext("Language", lang),
    }


def language_keyboard() -> InlineKeyboardMarkup:
    """Қазақша / Русский / Bahasa Indonesia."""
    kb = Keyboard()
    for lang in LANGS:
        kb.button(text=NATIVE_NAMES[lang], callback_data=LangCB(code=lang))
    kb.adjust(1)
    return kb.as_markup()


def main_menu(assistant: Assistant, lang: Lang) -> InlineKeyboardMarkup:
    """The main menu in ``lang``: every topic is two taps away."""
    return _main_menu(lang, bool(section_topics(MORE, assistant.entries)))


@lru_cache(maxsize=16)
def _main_menu(lang: Lang, with_more: bool) -> InlineKeyboardMarkup:
    titles = section_titles(lang)
    kb = Keyboard()
    sections = ["dates", "local", "vote", "abroad", "candidates", "ask", "about"]
    if with_more:
        sections.append(MORE)
    sections.append("language")
    for section in sections:
        kb.button(text=titles[section], callback_data=MenuCB(section=section))
    kb.adjust(2)
    return kb.as_markup()


def section_keyboard(assistant: Assistant, section: str, lang: Lang) -> InlineKeyboardMarkup:
    """The topics of one section, titled in ``lang``, plus a way back."""
    titled = tuple((t, assistant.entries[t].titles[lang]) for t in section_topics(section, assistant.entries))
    return _section(titled, section == "abroad", lang)


@lru_cache(maxsize=256)
def _section(titled: tuple[tuple[str, str], ...], abroad: bool, lang: Lang) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for topic, title in titled:
        kb.button(text=title, callback_data=TopicCB(topic=topic, lang=lang))
    if abroad:  # the /abroad path: next vote, missions by country, nearest mission
        kb.button(
            text="🗺 " + gettext("Countries and missions", lang), callback_data=MenuCB(section="missions")
        )
    add_menu_button(kb, lang, back=True)
    kb.adjust(1)
    return kb.as_markup()


@lru_cache(maxsize=512)
def answer_keyboard(topic: str, lang: Lang, share: str | None = None) -> InlineKeyboardMarkup:
    """Helpful / not helpful under an answer, "Share" (its deep link) and the menu."""
    kb = Keyboard()
    kb.button(text="👍 " + gettext("Helpful", lang), callback_data=VoteCB(topic=topic, lang=lang, helpful=1))
    kb.button(
        text="👎 " + gettext("Not helpful", lang), callback_data=VoteCB(topic=topic, lang=lang, helpful=0)
    )
    add_share(kb, share, lang)
    add_menu_button(kb, lang)
    kb.adjust(2)
    return kb.as_markup()


@lru_cache(maxsize=512)
def after_vote_keyboard(lang: Lang, share: str | None = None) -> InlineKeyboardMarkup:
    """What stays under an answer once it is rated: "Share" and the way on (the menu)."""
    kb = Keyboard()
    add_share(kb, share, lang)
    add_menu_button(kb, lang)
    kb.adjust(2)
    return kb.as_markup()


def menu_keyboard(lang: Lang) -> InlineKeyboardMarkup:
    """One button back to the main menu (under statistics and other ends of a path)."""
    return after_vote_keyboard(lang)


def suggestions_keyboard(assistant: Assistant, topics: tuple[str, ...], lang: Lang) -> InlineKeyboardMarkup:
    """ "Did you mean" buttons (titles in the question's language) and "none of these"."""
    return _suggestions(tuple((t, assistant.entries[t].titles[lang]) for t in topics[:3]), lang)


@lru_cache(maxsize=512)
def _suggestions(titled: tuple[tuple[str, str], ...], lang: Lang) -> InlineKeyboardMarkup:
    kb = Keyboard()
    for topic, title in titled:
        kb.button(text=title, callback_data=TopicCB(topic=topic, lang=lang))
    kb.button(text="✖️ " + gettext("None of these", lang), callback_data=NoneOfTheseCB(lang=lang))
    kb.adjust(1)
    return kb.as_markup()
