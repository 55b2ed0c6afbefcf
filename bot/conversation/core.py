"""The conversation core: every reply to a voter's message is decided here.

:func:`respond` takes the text, the user's interface language and the bot's knowledge,
and returns a typed reply (:mod:`bot.conversation.replies`). Telegram handlers, the local
console (the same handlers) and ``python -m bot ask`` all call it, so they give the same
answer. The order of the decisions, in one place:

1. nothing to read (emoji, digits) -> ``no_text``;
2. small talk as the whole message ("привет", "рахмет", "makasih kak") -> ``smalltalk``;
3. candidates by name, area or party -> ``candidates`` (a name needs an exact match when
   the FAQ has a confident answer);
4. an embassy question, or a bare place name -> ``missions``, or ``no_mission`` for a
   country without one;
5. another country's elections -> ``out_of_scope``;
6. the FAQ: ``calendar`` (election dates), ``faq``, ``suggest`` or ``unknown``.

Language: a question written in kk, ru or id is answered in it; a text without evidence
of a language (a name, a place, "ok", an emoji) in the interface language. Names and
place names are never evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.abroad.missions import MissionDirectory, alphabetical_missions
from bot.candidates.directory import CandidateDirectory, route_text
from bot.conversation import scope, smalltalk
from bot.conversation.assistant import Assistant
from bot.conversation.replies import (
    Calendar,
    CandidateResults,
    FaqAnswer,
    MissionCards,
    NoMission,
    NoText,
    OutOfScope,
    Reply,
    SmallTalk,
    Suggestions,
    Unknown,
)
from bot.faq import feedback
from bot.languages import DEFAULT_LANG, Lang
from bot.text.normalize import has_letters, key, normalize

SURE_LANGUAGE = 0.7  # below this detection confidence, the text shows no language
MAX_ROUTED_CHARS = 300  # names and places are looked for in the start of a message
MAX_MISSIONS = 5
MAX_PLACE_WORDS = 2  # a message this short that only names a place gets its missions
SHORT_TEXT_WORDS = 3  # a text this short needs a word of its language alone to show it


@dataclass(frozen=True)
class Knowledge:
    """What the core reads: the FAQ and language model, candidates, missions."""

    assistant: Assistant
    directory: CandidateDirectory
    missions: MissionDirectory


def _language(knowledge: Knowledge, text: str) -> tuple[Lang | None, Lang | None]:
    """The language ``text`` is written in (None when it shows none clearly), and the
    detector's best guess.

    A short text shows its language only with a word of that language alone: "Toqaev" has a
    Kazakh Latin letter, but a name is not Kazakh.
    """
    assistant = knowledge.assistant
    detection = assistant.detector.detect(text)
    guess = detection.lang
    if guess is None or detection.confidence < SURE_LANGUAGE:
        return None, guess
    own_words = assistant.distinctive.get(guess, frozenset())
    words = key(text).split()
    if len(words) <= SHORT_TEXT_WORDS and own_words.isdisjoint(words):
        return None, guess
    return guess, guess


def _without_names(text: str, names: list[str]) -> str:
    """``text`` without the words of the given names (in any case form): their language is
    no evidence of the question's ("кандидаты в Жетысу" is Russian)."""
    stems = tuple({w[:5] for name in names for w in key(name).split() if len(w) >= 3})
    return " ".join(token for token in text.split() if not key(token).startswith(stems))


def respond(text: str, ui_lang: Lang | None, knowledge: Knowledge, reply_lang: Lang | None = None) -> Reply:
    """Decide the reply to one message; ``reply_lang`` forces the reply's language."""

    def lang_for(detected: Lang | None, guess: Lang | None = None) -> Lang:
        return reply_lang or detected or ui_lang or guess or DEFAULT_LANG

    if not has_letters(normalize(text)):
        return NoText(lang=lang_for(None), detected=None)
    small = smalltalk.classify(text)
    if small is not None:
        return SmallTalk(lang=lang_for(small.lang), detected=small.lang, act=small.act)

    assistant, missions = knowledge.assistant, knowledge.missions
    head = text[:MAX_ROUTED_CHARS]
    match = assistant.matcher.match(text)
    found = route_text(knowledge.directory, head, faq_confident=match.topic is not None)
    if found is not None:
        area = knowledge.directory.areas.get(found.value) if found.kind == "area" else {}
        names = [area[f"name_{lang}"] for lang in ("kk", "ru", "en")] if area else []
        detected, guess = (
            (None, None) if found.kind == "names" else _language(knowledge, _without_names(text, names))
        )
        return CandidateResults(lang=lang_for(detected, guess), detected=detected, query=found)

    asks = missions.asks_for_mission(text) or match.topic == "embassy"
    bare_place = match.topic is None and len(text.split()) <= MAX_PLACE_WORDS  # "Бали", "Osaka"
    if asks or bare_place:
        places = missions.find(head, cities_abroad=True, ignore=assistant.vocabulary)
        if places:
            names = [n for m in places for n in (*m.city_names.values(), *m.country_names.values())]
            detected, guess = (
                (None, None) if bare_place and not asks else _language(knowledge, _without_names(text, names))
            )
            lang = lang_for(detected, guess)
            shown = alphabetical_missions(places, lang)[:MAX_MISSIONS]
            return MissionCards(lang=lang, detected=detected, missions=tuple(shown))
        elsewhere = missions.countries_without_mission(head, cities_abroad=True, ignore=assistant.vocabulary)
        if elsewhere and asks:
            detected, guess = _language(knowledge, text)
            return NoMission(lang=lang_for(detected, guess), detected=detected, countries=tuple(elsewhere))

    detected, guess = _language(knowledge, text)
    lang = lang_for(detected, guess)
    foreign = scope.foreign_election(head, missions.named_countries)
    if foreign is not None:
        return OutOfScope(lang=lang, detected=detected, countries=tuple(foreign))
    if match.topic == "election-dates":
        return Calendar(lang=lang, detected=detected, score=match.score)
    if match.topic is not None:
        return FaqAnswer(lang=lang, detected=detected, score=match.score, answer_topic=match.topic)
    if match.suggestions:
        return Suggestions(lang=lang, detected=detected, score=match.score, topics=match.suggestions)
    return Unknown(lang=lang, detected=detected, score=match.score)


def record(knowledge: Knowledge, text: str, reply: Reply) -> None:
    """Count the question anonymously for /stats; keep an unanswered one for the team.

    Small talk and messages without text are neither counted nor kept.
    """
    if reply.kind in ("no_text", "smalltalk"):
        return
    db = knowledge.assistant.db
    lang = reply.detected or reply.lang
    knowledge.assistant.question_tally.add(lang, reply.topic)
    if reply.kind == "unknown":
        feedback.record_unanswered(db, text, lang, "no_match")
