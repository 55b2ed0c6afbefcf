"""People's names: a search key shared by every spelling, and Latin transliteration."""

from __future__ import annotations

from bot.text.normalize import key

# Kazakh Latin alphabet of 2021 (with Russian letters as usually romanised).
_LATIN = str.maketrans(
    {
        "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e",
        "ё": "io", "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l",
        "м": "m", "н": "n", "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts",
        "ч": "ch", "ш": "ş", "щ": "şş", "ъ": "", "ы": "y", "і": "ı", "ь": "", "э": "e",
        "ю": "iu", "я": "ia",
    }
)  # fmt: skip


def to_latin(name: str) -> str:
    """Transliterate a Cyrillic name into Kazakh Latin: "Тоқаев" → "Toqaev"."""
    words = []
    for word in name.split():
        latin = word.lower().translate(_LATIN)
        words.append("-".join(part[:1].upper() + part[1:] for part in latin.split("-")))
    return " ".join(words)


def name_key(name: str) -> str:
    """The key every spelling of a name shares: Тоқаев, Токаев, Tokayev, Toqaev → tokaev."""
    return key(name).replace("ie", "e")
