"""Small talk: greetings, thanks, "who are you", "menu" and goodbyes in kk, ru and id.

Phrases are compared on the folded key (:func:`bot.text.normalize.key`), so Kazakh in
Cyrillic, in Latin and on a Russian keyboard meet ("сәлем", "salem", "салем" are one key).
A message is small talk only when all of it is: "сәлем, сайлау қашан?" is a question.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from bot.languages import Lang
from bot.text.normalize import key

Act = Literal["greeting", "thanks", "who", "menu", "bye"]

# act -> language (None: no evidence of one, e.g. "ok", "hi") -> phrases as people type them.
PHRASES: dict[Act, dict[Lang | None, str]] = {
    "greeting": {
        "kk": "сәлем | сәлеметсіз бе | сәлеметсіздер ме | сәлеметсің бе | ассалаумағалейкум | "
        "салам | қайырлы таң | қайырлы күн | қайырлы кеш | армысыз | амансыз ба | сәлем бот",
        "ru": "привет | здравствуйте | здравствуй | здрасте | добрый день | доброе утро | добрый вечер | "
        "приветствую | доброго дня | хай | салют | привет бот",
        "id": "halo | hai | selamat pagi | selamat siang | selamat sore | selamat malam | "
        "assalamualaikum | permisi | halo kak | hai kak | pagi | halo bot | hallo",
        None: "hi | hello | hey | hello bot | hi bot | salam aleikum | салам алейкум | ассалам алейкум",
    },
    "thanks": {
        "kk": "рақмет | рахмет | рақмет сізге | көп рақмет | үлкен рақмет | рақмет бот | рахмет сизге | "
        "алғыс | көп рахмет",
        "ru": "спасибо | спасибо большое | большое спасибо | благодарю | спс | пасиб | спасибо бот | "
        "понятно спасибо | ок спасибо",
        "id": "terima kasih | makasih | trims | terimakasih | makasih kak | terima kasih banyak | "
        "makasih banyak | thx kak | oke makasih | siap makasih",
        None: "thanks | thank you | thx | ty",
    },
    "who": {
        "kk": "сен кімсің | сіз кімсіз | бұл не бот | бұл қандай бот | сен бот па | сен не істей аласың | "
        "не істей аласың",
        "ru": "ты кто | кто ты | вы кто | кто вы | что ты умеешь | что ты можешь | что это за бот | "
        "ты бот | ты робот | кто ты такой",
        "id": "kamu siapa | siapa kamu | ini bot apa | bot apa ini | kamu bisa apa | "
        "apa yang bisa kamu lakukan | ini siapa",
        None: "who are you | what are you | what can you do",
    },
    "menu": {
        "kk": "мәзір | мәзірді көрсет | тақырыптар | басты мәзір | көмек",
        "ru": "меню | главное меню | покажи меню | темы | помощь | помоги",
        "id": "menu utama | tampilkan menu | topik | bantuan | tolong",
        None: "menu | help | start | ok | okay | ок | окей",
    },
    "bye": {
        "kk": "сау бол | сау болыңыз | көріскенше | хош | қош бол | жақсы түн",
        "ru": "пока | до свидания | досвидания | всего доброго | до встречи | спокойной ночи",
        "id": "dah | sampai jumpa | selamat tinggal | dadah | sampai nanti",
        None: "bye | goodbye | bye bye",
    },
}
MAX_WORDS = 6  # longer messages carry a question, not just small talk
FILLERS = frozenset(key(w) for w in "бот bot kak gan ya уа ау аға апа".split())


@dataclass(frozen=True)
class SmallTalkMatch:
    """What kind of small talk a message is, and its language (None when it shows none)."""

    act: Act
    lang: Lang | None


@cache
def _lexicon() -> dict[str, SmallTalkMatch]:
    found: dict[str, SmallTalkMatch] = {}
    for act, by_lang in PHRASES.items():
        for lang, phrases in by_lang.items():
            for phrase in phrases.split("|"):
                if folded := key(phrase):
                    found.setdefault(folded, SmallTalkMatch(act, lang))
    return found


def classify(text: str) -> SmallTalkMatch | None:
    """The small talk a whole message is ("привет!", "рахмет", "makasih kak"), or None.

    Several acts in one message ("привет, спасибо") count as the first one.
    """
    words = key(text).split()
    if not words or len(words) > MAX_WORDS:
        return None
    lexicon = _lexicon()
    found: list[SmallTalkMatch] = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            hit = lexicon.get(" ".join(words[i : i + n]))
            if hit is not None:
                found.append(hit)
                i += n
                break
        else:
            if words[i] not in FILLERS:
                return None
            i += 1
    if not found:
        return None
    lang = next((m.lang for m in found if m.lang is not None), None)
    return SmallTalkMatch(found[0].act, lang)
