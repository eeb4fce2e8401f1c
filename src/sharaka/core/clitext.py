"""The command line's messages in the language of the environment (ADR 0028).

``LANGUAGE`` (a list such as ``ar:fr``), then ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``
(``ar_MA.UTF-8``) name it, as for any program; French when none names fr, ar or en (``C``,
``POSIX``, unset). The strings are the project's French msgids, read from its compiled
catalogue with the standard library's ``gettext``: no Django, so the command line speaks
before Django is set up, and ``sharaka.cli`` activates the same language in Django for the
commands that use it.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

LANGS = ("fr", "ar", "en")
DEFAULT = "fr"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def _code(item: str) -> str:
    return item.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()


def language(environ: Mapping[str, str] | None = None) -> str:
    """fr, ar or en, from the environment; French by default."""
    env = os.environ if environ is None else environ
    for item in env.get("LANGUAGE", "").split(":"):
        if _code(item) in LANGS:
            return _code(item)
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "").strip()
        if value:  # the locale in effect: ours if it is one of ours, else French
            return _code(value) if _code(value) in LANGS else DEFAULT
    return DEFAULT


@cache
def _catalogue(lang: str) -> _gettext.NullTranslations:
    return _gettext.translation("django", LOCALE_DIR, languages=[lang], fallback=True)


def gettext(message: str, environ: Mapping[str, str] | None = None) -> str:
    return _catalogue(language(environ)).gettext(message)


def ngettext(singular: str, plural: str, n: int, environ: Mapping[str, str] | None = None) -> str:
    return _catalogue(language(environ)).ngettext(singular, plural, n)
