"""The command line speaks the language of the environment, French by default (ADR 0028)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sharaka.core import clitext


@pytest.mark.parametrize(
    ("environ", "lang"),
    [
        ({}, "fr"),
        ({"LANG": "C.UTF-8"}, "fr"),
        ({"LANG": "POSIX"}, "fr"),
        ({"LANG": "de_DE.UTF-8"}, "fr"),
        ({"LANG": "ar_MA.UTF-8"}, "ar"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "ar_MA.UTF-8"}, "en"),
        ({"LC_MESSAGES": "ar_MA", "LANG": "fr_FR.UTF-8"}, "ar"),
        ({"LANGUAGE": "de:ar:en", "LANG": "fr_FR.UTF-8"}, "ar"),
        ({"LANGUAGE": "de", "LANG": "en_US.UTF-8"}, "en"),
        ({"LANGUAGE": "", "LC_ALL": "", "LANG": "ar"}, "ar"),
    ],
)
def test_the_language_comes_from_the_environment(environ: dict[str, str], lang: str) -> None:
    assert clitext.language(environ) == lang


def test_messages_in_each_language() -> None:
    message = "--reset annulé : rien n'a été supprimé"
    assert clitext.gettext(message, {"LANG": "C.UTF-8"}) == message
    assert clitext.gettext(message, {"LANG": "en_US.UTF-8"}) == "--reset cancelled: nothing deleted"
    assert "لم يُحذف شيء" in clitext.gettext(message, {"LANGUAGE": "ar"})
    many = clitext.ngettext("%(n)s compte", "%(n)s comptes", 3, {"LANG": "en_GB"}) % {"n": 3}
    assert many == "3 accounts"


def _sharaka(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sharaka", *args],
        capture_output=True, text=True, timeout=120, check=False, env={**clean, **env},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "text"),
    [("C.UTF-8", "--port doit être compris entre 1 et 65535, pas 0"),
     ("en_US.UTF-8", "--port must be between 1 and 65535, not 0"),
     ("ar_MA.UTF-8", "65535")],
)  # fmt: skip
def test_the_demo_refuses_in_the_environments_language(lang: str, text: str) -> None:
    result = _sharaka("demo", "--no-serve", "--port", "0", LANG=lang)
    assert result.returncode == 2 and text in result.stderr
    if lang.startswith("ar"):
        assert "يجب" in result.stderr


def test_django_commands_follow_the_environment(tmp_path: object) -> None:
    """A Django message (a domain refusal) comes out in the language of the environment."""
    from sharaka import cli

    os.environ["LANGUAGE"] = "en"
    try:
        cli._setup_django()
        from django.utils import translation

        assert translation.get_language() == "en"
    finally:
        del os.environ["LANGUAGE"]
        from django.utils import translation

        translation.activate("fr")
