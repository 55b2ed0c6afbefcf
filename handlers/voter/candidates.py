"""Browsing candidates: election → region → ballot → alphabetical pages → card; statistics."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, partial
from html import escape

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from babel.numbers import format_decimal

from bot import charts
from bot.candidates.directory import Candidate, CandidateDirectory, ElectionStats
from bot.candidates.render import (
    area_name,
    ballot_title,
    button_label,
    card,
    election_name,
    found_text,
    sample_label,
    stats_text,
)
from bot.conversation.assistant import Assistant
from bot.conversation.deep_links import candidate_link
from bot.conversation.render import MAX_RESULTS
from bot.faq.menu import SECTIONS
from bot.i18n import gettext, ngettext
from bot.languages import Lang
from handlers.buttons import Keyboard
from handlers.callbacks import AreaCB, BallotCB, CardCB, ElectionCB, MenuCB, StatsCB, TopicCB
from handlers.keyboards import add_menu_button, menu_keyboard
from handlers.pictures import draw, send_with_chart
from handlers.routing import LeanRouter
from handlers.sharing import add_share, share_of

PAGE = 10


def _back(kb: Keyboard, data: str) -> None:
    kb.button(text="⬅️ " + _("Back"), callback_data=data)


def candidates_menu(
    assistant: Assistant, directory: CandidateDirectory, lang: Lang
) -> tuple[str, InlineKeyboardMarkup]:
    """Elections with candidates, statistics, and the candidate FAQ topics."""
    kb = Keyboard()
    elections = directory.elections_with_candidates()
    with_candidates = {e["id"] for e in elections}
    for election in elections:
        mark = " ⚠️" if election["is_sample"] else ""
        kb.button(text=election[f"name_{lang}"] + mark, callback_data=ElectionCB(election=election["id"]))
    for election in sorted(directory.elections.values(), key=lambda e: e["date"], reverse=True):
        if election["id"] not in with_candidates and directory.stats(election["id"]):
            kb.button(text="📊 " + election[f"name_{lang}"], callback_data=StatsCB(election=election["id"]))
    for topic in SECTIONS["candidates"]:
        entry = assistant.entry(topic)
        if entry is not None:
            kb.button(text=entry.titles[lang], callback_data=TopicCB(topic=topic, lang=lang))
    add_menu_button(kb, lang, back=True)
    kb.adjust(1)
    text = (
        _("Choose an election to see its candidates, in alphabetical order:")
        if elections
        else _(
            "No candidate lists are loaded yet. Official lists are published by the election commissions "
            "(election.gov.kz)."
        )
    )
    return "👥 " + text, kb.as_markup()


def results_keyboard(candidates: Sequence[Candidate], lang: Lang) -> InlineKeyboardMarkup:
    """One button per candidate (at most MAX_RESULTS), in the order given, and the menu."""
    kb = Keyboard()
    for candidate in candidates[:MAX_RESULTS]:
        kb.button(text=button_label(candidate), callback_data=CardCB(candidate=candidate.id))
    add_menu_button(kb, lang)
    kb.adjust(1)
    return kb.as_markup()


def router() -> Router:
    """Build the router for the candidate menu, lists, cards and statistics."""
    r = LeanRouter(name="candidates")

    @r.callback_query(MenuCB.filter(F.section == "candidates"))
    async def menu(
        query: CallbackQuery, assistant: Assistant, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """The Candidates section of the main menu."""
        await query.answer()
        if isinstance(query.message, Message):
            text, markup = candidates_menu(assistant, directory, lang)
            await query.message.answer(text, reply_markup=markup)

    @r.callback_query(ElectionCB.filter())
    async def election(
        query: CallbackQuery, callback_data: ElectionCB, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """Regions and cities with ballots in the election."""
        areas = directory.areas_of(callback_data.election, lang)
        if not areas or not isinstance(query.message, Message):
            await query.answer(
                _("This list is no longer available. Open the menu again: /menu"), show_alert=True
            )
            return
        await query.answer()
        kb = Keyboard()
        for area in areas:
            kb.button(
                text=area_name(directory, area, lang),
                callback_data=AreaCB(election=callback_data.election, area=area),
            )
        kb.button(text="📊 " + _("Statistics"), callback_data=StatsCB(election=callback_data.election))
        _back(kb, MenuCB(section="candidates").pack())
        kb.adjust(2)
        name = escape(election_name(directory, callback_data.election, lang))
        prompt = _("Choose a region or city:")
        await query.message.answer(f"{name}\n{prompt}", reply_markup=kb.as_markup())

    @r.callback_query(AreaCB.filter())
    async def area(
        query: CallbackQuery, callback_data: AreaCB, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """Ballots (districts, constituencies) of the election in the region."""
        ballots = directory.ballots_of(callback_data.election, callback_data.area, lang)
        if not ballots or not isinstance(query.message, Message):
            await query.answer(
                _("This list is no longer available. Open the menu again: /menu"), show_alert=True
            )
            return
        await query.answer()
        if len(ballots) == 1:
            await show_page(query.message, directory, ballots[0]["rowid"], 0, lang)
            return
        kb = Keyboard()
        for ballot in ballots:
            kb.button(
                text=ballot_title(directory, ballot, lang),
                callback_data=BallotCB(ballot=ballot["rowid"], page=0),
            )
        _back(kb, ElectionCB(election=callback_data.election).pack())
        kb.adjust(1)
        title = escape(area_name(directory, callback_data.area, lang))
        prompt = _("Choose a district or constituency:")
        await query.message.answer(f"{title}\n{prompt}", reply_markup=kb.as_markup())

    @r.callback_query(BallotCB.filter(F.page >= 0))
    async def ballot(
        query: CallbackQuery, callback_data: BallotCB, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """A page of the ballot's candidates."""
        if directory.ballot(callback_data.ballot) is None or not isinstance(query.message, Message):
            await query.answer(
                _("This list is no longer available. Open the menu again: /menu"), show_alert=True
            )
            return
        await query.answer()
        await show_page(query.message, directory, callback_data.ballot, callback_data.page, lang, edit=True)

    @r.callback_query(CardCB.filter())
    async def candidate_card(
        query: CallbackQuery, callback_data: CardCB, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """One candidate's card."""
        candidate = directory.candidate(callback_data.candidate)
        if candidate is None or not isinstance(query.message, Message):
            await query.answer(
                _("This candidate is no longer in the list. Open the menu again: /menu"), show_alert=True
            )
            return
        await query.answer()
        await send_candidate_card(query.message, directory, candidate, lang)

    @r.callback_query(StatsCB.filter())
    async def statistics(
        query: CallbackQuery, callback_data: StatsCB, directory: CandidateDirectory, lang: Lang
    ) -> None:
        """Figures of one election."""
        stats = directory.stats(callback_data.election)
        if stats is None or not isinstance(query.message, Message):
            await query.answer(_("No statistics for this election."), show_alert=True)
            return
        await query.answer()
        png = await draw(stats_chart_png, directory, stats, lang)
        await send_with_chart(
            query.message, png, "election.png", stats_text(directory, stats, lang), menu_keyboard(lang)
        )

    return r


@lru_cache(maxsize=64)
def _election_png(title: str, bars: tuple[tuple[str, int], ...], note: str, lang: Lang) -> bytes:
    return charts.bars_png(title, bars, note, number=partial(format_decimal, locale=lang))


def stats_chart_png(directory: CandidateDirectory, stats: ElectionStats, lang: Lang) -> bytes:
    """An election's nominations as a bar chart labelled in ``lang`` (drawn once per figures)."""
    title = directory.elections[stats.election_id][f"name_{lang}"]
    if stats.is_sample:
        title += " (" + gettext("sample data", lang) + ")"
    note = ngettext("{n} candidate", "{n} candidates", stats.candidates, lang).format(
        n=format_decimal(stats.candidates, locale=lang)
    )
    if stats.per_seat is not None:
        per_seat = format_decimal(round(stats.per_seat, 1), "#,##0.0", locale=lang)
        note += " · " + gettext("Candidates per seat: {n}", lang).format(n=per_seat)
    bars = (
        (gettext("Nominated by parties", lang), stats.party_nominated),
        (gettext("Self-nominated", lang), stats.self_nominated),
    )
    return _election_png(title, bars, note, lang)


async def send_candidate_card(
    message: Message, directory: CandidateDirectory, candidate: Candidate, lang: Lang
) -> None:
    """One candidate's card, with "Share" (its deep link), back to the ballot and the menu."""
    kb = Keyboard()
    add_share(kb, await share_of(message.bot, candidate_link(candidate.id), candidate.full_name), lang)
    _back(kb, BallotCB(ballot=candidate.ballot, page=0).pack())
    add_menu_button(kb, lang)
    kb.adjust(1, 2)
    await message.answer(card(directory, candidate, lang), reply_markup=kb.as_markup())


async def show_page(
    message: Message,
    directory: CandidateDirectory,
    ballot_rowid: int,
    page: int,
    lang: Lang,
    edit: bool = False,
) -> None:
    """Send (or, when paging, edit in place) one page of a ballot's candidates."""
    ballot = directory.ballot(ballot_rowid)
    assert ballot is not None
    candidates, total = directory.candidates_on(ballot_rowid, lang, page * PAGE, PAGE)
    pages = max(1, -(-total // PAGE))
    if page >= pages:  # a stale page number: show the last page
        page = pages - 1
        candidates, total = directory.candidates_on(ballot_rowid, lang, page * PAGE, PAGE)
    lines = []
    if ballot["is_sample"]:
        lines += [sample_label(lang), ""]
    lines.append(f"<b>{escape(election_name(directory, ballot['election_id'], lang))}</b>")
    lines.append(escape(ballot_title(directory, ballot, lang)))
    lines.append(found_text(total, lang, False))
    if pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    kb = Keyboard()
    for candidate in candidates:
        kb.button(text=button_label(candidate), callback_data=CardCB(candidate=candidate.id))
    nav = []
    if page > 0:
        nav.append(("◀️", BallotCB(ballot=ballot_rowid, page=page - 1)))
    if page < pages - 1:
        nav.append(("▶️", BallotCB(ballot=ballot_rowid, page=page + 1)))
    for label, data in nav:
        kb.button(text=label, callback_data=data)
    _back(kb, AreaCB(election=ballot["election_id"], area=directory.top_area(ballot["area_id"])).pack())
    kb.adjust(*([1] * len(candidates)), max(1, len(nav)), 1)
    text = "\n".join(lines)
    if edit and message.from_user is not None and message.from_user.is_bot:
        await message.edit_text(text, reply_markup=kb.as_markup())
    else:
        await message.answer(text, reply_markup=kb.as_markup())
