"""Interface strings: gettext catalogues in ``locales/<lang>/LC_MESSAGES/bot.po``.

The ``.mo`` files are build products: :func:`compile_catalogs` (run at start and in the
Dockerfile) compiles every ``.po`` that is newer than its ``.mo``. The same catalogues
serve aiogram's I18n middleware inside handlers and :func:`gettext` here, which needs no
request context (CLI, start-up work such as ``set_my_commands``).
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.languages import LANGS, Lang

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "bot"

# Babel 2.18 has no plural rule for kk or id, so the catalogues carry their own and
# tests check each one against these.
PLURAL_FORMS: dict[Lang, str] = {
    "kk": "nplurals=2; plural=(n != 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "id": "nplurals=1; plural=0;",
}


def po_path(lang: Lang, locales_dir: Path = LOCALES_DIR) -> Path:
    """Where the catalogue of ``lang`` lives."""
    return locales_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def compile_catalogs(locales_dir: Path = LOCALES_DIR, force: bool = False) -> list[Path]:
    """Compile each ``.po`` newer than its ``.mo``; return the ``.mo`` files written."""
    written = []
    for lang in LANGS:
        po = po_path(lang, locales_dir)
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as src:
            catalog = read_po(src, locale=lang, domain=DOMAIN)
        tmp = mo.with_suffix(".mo.tmp")
        with tmp.open("wb") as dst:
            write_mo(dst, catalog)
        tmp.replace(mo)
        written.append(mo)
    translations.cache_clear()
    return written


@cache
def translations(lang: Lang) -> _gettext.GNUTranslations:
    """The compiled catalogue of ``lang``."""
    return _gettext.translation(DOMAIN, localedir=LOCALES_DIR, languages=[lang])  # type: ignore[return-value]


def gettext(message: str, lang: Lang) -> str:
    """Translate ``message`` into ``lang`` outside a Telegram request."""
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, n: int, lang: Lang) -> str:
    """Translate with the plural form of ``n`` in ``lang``."""
    return translations(lang).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it (it is translated where shown)."""
    return message
