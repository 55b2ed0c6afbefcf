"""Is a question about another country's elections? The bot knows Kazakhstan's only.

A question is about a foreign vote when it names elections or an elected office and a
foreign country (by any of Babel's names, a city, or a word only that country uses: the
Duma, the KPU, Trump) and nothing of Kazakhstan. A question about *voting* from abroad
("я в Германии, как проголосовать?") is Kazakhstan's and stays in scope, unless the
country is named right beside the election ("umur milih di pemilu Indonesia").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.text.normalize import key

SHORTEST_PREFIX = 4  # shorter words ("сша", "мэр", "kpu") must be whole words


@dataclass(frozen=True)
class _Prefixes:
    """Folded words a message word may be (``whole``) or start with (``starts``, 4+ letters)."""

    whole: frozenset[str]
    starts: frozenset[str]
    lengths: tuple[int, ...]  # the lengths in ``starts``
    heads: frozenset[str]  # the first SHORTEST_PREFIX letters of ``starts``: most words have none

    def matches(self, word: str) -> bool:
        return word in self.whole or (
            word[:SHORTEST_PREFIX] in self.heads
            and any(word[:n] in self.starts for n in self.lengths if n <= len(word))
        )


def _prefixes(words: str) -> _Prefixes:
    folded = {key(w) for w in words.split()}
    starts = frozenset(w for w in folded if len(w) >= SHORTEST_PREFIX)
    heads = frozenset(w[:SHORTEST_PREFIX] for w in starts)
    return _Prefixes(frozenset(folded), starts, tuple(sorted({len(w) for w in starts})), heads)


# Folded prefixes of words for elections and elected offices.
ELECTION_WORDS = _prefixes(
    "выбор сайлау saylau election pemilu pemilihan pilpres pileg pilkada президент presiden president "
    "парламент parlemen parliament конгресс congress сенат senat референдум referendum праймериз primar "
    "губернатор gubernur мэр walikota"
)
# Words only a foreign country's politics uses, folded.
FOREIGN_WORDS = _prefixes(
    "сша usa америк amerik штат госдум дума duma kpu bawaslu dpr mpr capres cawapres "
    "трамп trump байден biden харрис harris путин putin prabowo jokowi gibran anies ganjar "
    "евровидени eurovision бундестаг bundestag"
)
# Words that make a question Kazakhstan's, folded.
KAZAKH_WORDS = _prefixes(
    "казахстан қазақстан kazakhstan qazaqstan kazakstan рк қр казах қазақ kazakh qazaq "
    "kz кз мажилис мәжіліс mazhilis majilis маслихат мәслихат maslikhat аким әкім akim курултай құрылтай "
    "kurultai тоқаев токаев tokayev цик оск election.gov.kz"
)
# Verbs of casting one's vote: with a country, the voter is abroad, the vote is Kazakhstan's.
VOTING_WORDS = _prefixes(
    "голосова проголосова дауыс vote voting memilih milih nyoblos coblos mencoblos ikut участв "
    "қатыс катыс katys qatys"
)


def _has(words: list[str], prefixes: _Prefixes) -> bool:
    return any(prefixes.matches(w) for w in words)


def _country_beside_election(text: str, countries_named: Callable[[str], list[str]]) -> bool:
    """A country named right next to an election word: "pemilu Indonesia", "выборы президента
    США", "Ресей сайлауы" are that country's, whatever else the message says."""
    tokens = text.split()
    elections = [_has(key(t).split(), ELECTION_WORDS) for t in tokens]
    for i, is_election in enumerate(elections):
        if not is_election:
            continue
        after = i + 2 if i + 2 < len(tokens) and elections[i + 1] else i + 1
        beside = [j for j in (i - 1, after) if 0 <= j < len(tokens) and not elections[j]]
        if any(countries_named(tokens[j]) for j in beside):
            return True
    return False


def foreign_election(text: str, countries_named: Callable[[str], list[str]]) -> list[str] | None:
    """The foreign countries (ISO codes, possibly none known) whose elections a question is
    about, or None when it is not about a foreign vote.

    ``countries_named`` gives the codes of the foreign countries a text names.
    """
    words = key(text).split()
    if not _has(words, ELECTION_WORDS) or _has(words, KAZAKH_WORDS):
        return None
    marked = _has(words, FOREIGN_WORDS) or _country_beside_election(text, countries_named)
    countries = countries_named(text)
    if not marked and not countries:
        return None
    if not marked and _has(words, VOTING_WORDS):
        return None  # "выборы, я в Германии, где голосовать?": voting abroad
    return countries
