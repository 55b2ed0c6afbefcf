"""Text normalisation shared by the matcher and the language detector.

``normalize`` cleans what users type (case, invisible characters, punctuation).
``fold`` maps Kazakh Cyrillic, Kazakh Latin (2021 and informal), Kazakh typed on a
Russian keyboard, Russian and Indonesian onto one Latin skeleton, so that
"қашан", "qashan", "кашан" and "kashan" meet in the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width, bidi controls and other invisible format characters (category Cf).
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad]")
_NON_WORD = re.compile(r"[^\w]+|_")
_REPEATS = re.compile(r"(.)\1+")
_LETTER = re.compile(r"[^\W\d_]")

# Multi-letter spellings first, then single letters.
_FOLD_DIGRAPHS = (
    ("дж", "j"),
    ("dzh", "j"),
    ("zh", "j"),
    ("dj", "j"),
    ("kh", "h"),
    ("sch", "sh"),
)
_FOLD_LETTERS = str.maketrans(
    {
        # Kazakh Cyrillic letters
        "ә": "a",
        "ғ": "g",
        "қ": "k",
        "ң": "n",
        "ө": "o",
        "ұ": "u",
        "ү": "u",
        "һ": "h",
        "і": "i",
        # Russian Cyrillic
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "j",
        "з": "z",
        "и": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sh",
        "ъ": "",
        "ы": "i",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
        # Kazakh Latin (2021) and common informal letters
        "ä": "a",
        "ğ": "g",
        "q": "k",
        "ñ": "n",
        "ö": "o",
        "ū": "u",
        "ü": "u",
        "ş": "sh",
        "ı": "i",
        "y": "i",
        "w": "u",
        "x": "h",
        "c": "ch",
        "é": "e",
        "ç": "ch",
    }
)


def normalize(text: str) -> str:
    """Lower-case, drop invisible characters, ё→е, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).lower().replace("ё", "е")
    return " ".join(_NON_WORD.sub(" ", text).split())


def fold(text: str) -> str:
    """Return the script-independent Latin key of already normalised ``text``."""
    for digraph, single in _FOLD_DIGRAPHS:
        text = text.replace(digraph, single)
    text = text.translate(_FOLD_LETTERS)
    # "ch" from Latin c keeps Indonesian "cara" and Russian "час" apart from "k".
    return _REPEATS.sub(r"\1", text)


def key(text: str) -> str:
    """Normalise and fold in one step.

    Remembered for the last few hundred short texts: deciding one reply folds the same
    message a dozen times (FAQ, candidates, places abroad, scope), each a few regular
    expressions. Long texts are folded afresh, so the memory kept stays about 1 MB.
    """
    if len(text) > KEY_REMEMBERED_CHARS:
        return fold(normalize(text))
    return _remembered_key(text)


KEY_REMEMBERED_CHARS = 300


@lru_cache(maxsize=1024)
def _remembered_key(text: str) -> str:
    return fold(normalize(text))


def has_letters(text: str) -> bool:
    """True when ``text`` contains at least one letter of any script."""
    return bool(_LETTER.search(text))
