"""Every interface string is translated in kk, ru and id, with the right plural rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import PLURAL_FORMS, compile_catalogs, gettext, ngettext, po_path, translations
from bot.languages import LANGS

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


def source_messages() -> set[str | tuple[str, str]]:
    """Every msgid used in bot/ and handlers/, read from the code itself."""
    found: set[str | tuple[str, str]] = set()
    for package in ("bot", "handlers"):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message))  # type: ignore[arg-type]
    return found


def test_code_has_strings() -> None:
    assert len(source_messages()) > 30


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_translated(lang: str) -> None:
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    translated = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(s.strip() for s in strings):
            translated[message.id if isinstance(message.id, str) else tuple(message.id)] = strings
    missing = sorted(map(str, source_messages() - set(translated)))
    assert not missing, f"untranslated in {lang}: {missing}"


@pytest.mark.parametrize("lang", LANGS)
def test_plural_forms_header(lang: str) -> None:
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    assert catalog.plural_forms.replace(" ", "") == PLURAL_FORMS[lang].replace(" ", "")


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_survive_translation(lang: str) -> None:
    with po_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {
            p for p in ("{n}", "{name}", "{date}", "{user_id}", "{lang}", "{updated_at}") if p in ids[0]
        }
        for s in strings:
            assert wanted <= {p for p in wanted if p in s}, (lang, ids[0], s)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # n:     1  2  4  5  11 12 21 22 25 101 111
        ("ru", [0, 1, 1, 2, 2, 2, 0, 1, 2, 0, 2]),
        ("kk", [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
        ("id", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    ],
)
def test_compiled_plural_rule(lang: str, expected: list[int]) -> None:
    compile_catalogs()
    plural = translations(lang).plural  # type: ignore[attr-defined]
    assert [plural(n) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111)] == expected


def test_plural_translations() -> None:
    compile_catalogs()
    one, many = "I know answers on {n} topic.", "I know answers on {n} topics."
    assert ngettext(one, many, 21, "ru").format(n=21) == "Я знаю ответы по 21 теме."
    assert ngettext(one, many, 5, "ru").format(n=5) == "Я знаю ответы по 5 темам."
    assert ngettext(one, many, 5, "id").format(n=5) == "Saya tahu jawaban untuk 5 topik."
    assert ngettext(one, many, 5, "kk").format(n=5) == "5 тақырып бойынша жауап білемін."


def test_simple_translations() -> None:
    assert gettext("Main menu", "kk") == "Басты мәзір"
    assert gettext("Main menu", "ru") == "Главное меню"
    assert gettext("Main menu", "id") == "Menu utama"


def test_no_translation_calls_inside_f_strings() -> None:
    """Babel cannot extract a message from inside an f-string, so it would never be translated."""
    import re

    pattern = re.compile(r"""f(["']).*\{[^}]*\b(_|gettext|ngettext)\(""")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in ("bot", "handlers")
        for path in (ROOT / package).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not offenders, offenders
