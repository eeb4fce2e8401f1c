"""Ranges and changes point the reading way: "→" left to right, "←" right to left (ADR 0028)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

import sharaka
from sharaka.core import locale

SRC = Path(sharaka.__file__).parent


def test_the_arrow_follows_the_language() -> None:
    for lang, expected in (("fr", "→"), ("en", "→"), ("ar", "←")):
        with translation.override(lang):
            assert locale.arrow() == expected
            html = Template("{{ a|date:'d/m/Y' }} {% arrow %} {{ b|date:'d/m/Y' }}").render(
                Context({"a": datetime.date(2026, 1, 1), "b": datetime.date(2026, 12, 31)})
            )
            assert html == f"01/01/2026 {expected} 31/12/2026"


@given(st.text(max_size=12), st.text(max_size=12), st.sampled_from(["fr", "en", "ar"]))
def test_a_span_keeps_its_values_in_logical_order(first: str, second: str, lang: str) -> None:
    """The first value is written first whatever the language: only the arrow turns."""
    with translation.override(lang):
        text = locale.span(first, second)
    assert text.startswith(first) and text.endswith(second)
    middle = text[len(first) : len(text) - len(second)]
    assert middle == (" ← " if lang == "ar" else " → ")


def test_no_template_writes_a_fixed_arrow_between_values() -> None:
    """Every range or change in a template uses ``{% arrow %}`` (the two board messages keep
    "→" in their French msgid; their Arabic translation writes "←")."""
    offenders = []
    for path in SRC.rglob("*.html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if "→" in line and not re.search(r"{% blocktranslate[^%]*%}[^{]*{{ before }} → ", line):
                offenders.append(f"{path.relative_to(SRC)}:{number}")
    assert offenders == []


def test_the_arabic_catalogue_turns_the_arrows_of_the_board_messages() -> None:
    with translation.override("ar"):
        text = translation.gettext("%(before)s → %(after)s sièges votants") % {
            "before": 3,
            "after": 5,
        }
    assert "3 ← 5" in text and "→" not in text


def test_a_target_period_reads_the_right_way_in_arabic() -> None:
    from sharaka.evaluation.models import Target

    target = Target(period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 3, 31))
    with translation.override("ar"):
        assert str(target) == "2026-01-01 ← 2026-03-31"
    with translation.override("fr"):
        assert str(target) == "2026-01-01 → 2026-03-31"
