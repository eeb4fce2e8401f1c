"""French is the source language; Arabic renders right to left; English is complete."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "lang", "direction", "phrase"),
    [
        ("fr", "fr", "ltr", "Portail public"),
        ("ar", "ar", "rtl", "البوابة العامة"),
        ("en", "en", "ltr", "Public portal"),
    ],
)
def test_language_follows_the_browser(accept: str, lang: str, direction: str, phrase: str) -> None:
    body = Client().get("/", headers={"Accept-Language": accept}).content.decode()
    assert f'<html lang="{lang}" dir="{direction}">' in body
    assert phrase in body


def test_the_switcher_sets_the_language() -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    body = client.get("/portail/").content.decode()
    assert 'dir="rtl"' in body


def test_every_catalogue_is_complete() -> None:
    """No untranslated or fuzzy entry in the ar and en catalogues."""
    from pathlib import Path

    import sharaka

    locale = Path(sharaka.__file__).parent / "locale"
    for language in ("ar", "en"):
        text = (locale / language / "LC_MESSAGES" / "django.po").read_text()
        assert "#, fuzzy" not in text.split("\n\n", 1)[1], language
        entries = text.split("\n\n")[1:]
        empty = [e for e in entries if e.rstrip().endswith('msgstr ""') and "msgid_plural" not in e]
        assert not empty, (language, empty[:3])
