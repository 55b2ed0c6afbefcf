"""Texts about candidates and elections in each language (HTML-escaped for Telegram)."""

from __future__ import annotations

import json
from html import escape

from babel.numbers import format_decimal, format_percent

from bot.candidates.directory import Candidate, CandidateDirectory, ElectionStats
from bot.i18n import gettext, ngettext
from bot.languages import Lang


def sample_label(lang: Lang) -> str:
    """The warning shown with every piece of generated demo data."""
    return "⚠️ " + gettext("SAMPLE DATA: generated for the demo, not real candidates.", lang)


def election_name(directory: CandidateDirectory, election_id: str, lang: Lang) -> str:
    """An election's name in ``lang``."""
    election = directory.elections.get(election_id)
    return election[f"name_{lang}"] if election else election_id


def area_name(directory: CandidateDirectory, area_id: str, lang: Lang) -> str:
    """An area's name: Kazakh for kk, Russian for ru, Latin for id."""
    return directory.area_name(area_id, lang)


def party_name(directory: CandidateDirectory, party_id: str | None, lang: Lang) -> str:
    """The party's name, or "self-nominated"."""
    if party_id is None:
        return gettext("self-nominated", lang)
    party = directory.parties.get(party_id)
    return party[f"name_{lang}"] if party else party_id


def ballot_title(directory: CandidateDirectory, ballot: dict, lang: Lang) -> str:
    """Area and constituency of a ballot."""
    name = area_name(directory, ballot["area_id"], lang)
    return f"{name}, {ballot['constituency']}" if ballot["constituency"] else name


def button_label(candidate: Candidate) -> str:
    """A list button: name and year of birth (names stay as registered)."""
    return f"{candidate.full_name} ({candidate.birth_year})"


def status_text(status: str, lang: Lang) -> str:
    """A candidate's status in ``lang``."""
    labels = {
        "registered": gettext("registered", lang),
        "withdrawn": gettext("withdrawn", lang),
        "deregistered": gettext("registration cancelled", lang),
        "elected": gettext("elected", lang),
    }
    return labels.get(status, status)


def card(directory: CandidateDirectory, candidate: Candidate, lang: Lang) -> str:
    """Everything public about one candidate."""
    ballot = directory.ballot(candidate.ballot)
    lines = []
    if candidate.is_sample:
        lines += [sample_label(lang), ""]
    lines += [
        f"<b>{escape(candidate.full_name)}</b>",
        escape(candidate.name_latin),
        "",
        gettext("Year of birth: {year}", lang).format(year=candidate.birth_year),
        gettext("Nomination: {party}", lang).format(
            party=escape(party_name(directory, candidate.party_id, lang))
        ),
        gettext("Election: {name}", lang).format(
            name=escape(election_name(directory, candidate.election_id, lang))
        ),
    ]
    if ballot is not None:
        lines.append(
            gettext("Constituency: {name}", lang).format(name=escape(ballot_title(directory, ballot, lang)))
        )
    if candidate.list_position:
        lines.append(gettext("Place on the party list: {n}", lang).format(n=candidate.list_position))
    lines.append(gettext("Status: {status}", lang).format(status=escape(status_text(candidate.status, lang))))
    if candidate.votes is not None:
        lines.append(gettext("Votes: {n}", lang).format(n=format_decimal(candidate.votes, locale=lang)))
    source = gettext("Source", lang)
    lines += ["", f"📎 {escape(source)}: {escape(candidate.source)}"]
    return "\n".join(lines)


def found_text(count: int, lang: Lang, sample: bool) -> str:
    """Header of a list of candidates."""
    text = ngettext(
        "Found {n} candidate (alphabetical):", "Found {n} candidates (alphabetical):", count, lang
    )
    text = text.format(n=format_decimal(count, locale=lang))
    return f"{sample_label(lang)}\n\n{text}" if sample else text


def stats_text(directory: CandidateDirectory, stats: ElectionStats, lang: Lang) -> str:
    """Candidates, seats and nomination shares, with the locale's numbers and plurals."""
    election = directory.elections[stats.election_id]

    def number(n: int) -> str:
        return format_decimal(n, locale=lang)

    def share(n: int) -> str:
        ratio = round(n / stats.candidates, 3) if stats.candidates else 0
        return format_percent(ratio, locale=lang, decimal_quantization=False)  # 38,2 % / 38,2%

    lines = []
    if stats.is_sample:
        lines += [sample_label(lang), ""]
    lines.append(f"📊 <b>{escape(election[f'name_{lang}'])}</b>")
    lines.append(
        ngettext("{n} candidate", "{n} candidates", stats.candidates, lang).format(n=number(stats.candidates))
    )
    if stats.seats:
        lines.append(ngettext("{n} seat", "{n} seats", stats.seats, lang).format(n=number(stats.seats)))
        per_seat = format_decimal(round(stats.per_seat or 0, 1), "#,##0.0", locale=lang)
        lines.append(gettext("Candidates per seat: {n}", lang).format(n=per_seat))
    lines.append(
        gettext("Nominated by parties: {n} ({share})", lang).format(
            n=number(stats.party_nominated), share=share(stats.party_nominated)
        )
    )
    lines.append(
        gettext("Self-nominated: {n} ({share})", lang).format(
            n=number(stats.self_nominated), share=share(stats.self_nominated)
        )
    )
    if not stats.from_rows:
        lines.append(gettext("Published totals; the list of candidates is not loaded.", lang))
    sources = json.loads(election["sources"] or "[]")
    if sources:
        source = gettext("Source", lang)
        lines += ["", f"📎 {escape(source)}: {escape('; '.join(sources))}"]
    return "\n".join(lines)
