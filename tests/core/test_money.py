# ruff: noqa: RUF001  (Arabic text: its letters are not look-alikes)
"""One way to write amounts and percentages in each language (core.money, ADR 0028)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from sharaka.core import locale, money

LANGS = ("fr", "ar", "en")
amounts = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2,
                      allow_nan=False, allow_infinity=False)  # fmt: skip


@given(amount=amounts, lang=st.sampled_from(LANGS), currency=st.sampled_from(["MAD", "EUR"]))
def test_the_digits_read_back_give_the_amount(amount: Decimal, lang: str, currency: str) -> None:
    text = money.money(amount, lang, currency)
    assert money.parse_number(text, lang) == amount


@given(amount=amounts, lang=st.sampled_from(LANGS))
def test_digits_are_grouped_by_three(amount: Decimal, lang: str) -> None:
    style = money.style(lang)
    text = money.number(amount, lang)
    whole, _sep, fraction = text.lstrip("-").partition(style.decimal)
    groups = whole.split(style.group)
    assert 1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])
    assert all(g.isdigit() for g in groups) and len(fraction) == 2 and fraction.isdigit()
    assert int("".join(groups)) == abs(amount).to_integral_value(rounding="ROUND_DOWN")


@pytest.mark.parametrize(
    ("lang", "text"),
    [("fr", "4\xa0789\xa0000,00\xa0DH"), ("ar", "4.789.000,00\xa0درهم"),
     ("en", "MAD\xa04,789,000.00")],
)  # fmt: skip
def test_each_language_places_the_currency(lang: str, text: str) -> None:
    assert money.money(Decimal("4789000"), lang) == text


@pytest.mark.parametrize(("lang", "text"), [("fr", "12,5\xa0%"), ("ar", "12,5%"), ("en", "12.5%")])
def test_percentages(lang: str, text: str) -> None:
    assert money.percent(Fraction(1, 8), lang, ratio=True) == text
    assert money.percent(50, lang) == text.replace("12", "50").replace(",5", "").replace(".5", "")


def test_the_arabic_percent_sign_stays_against_its_number() -> None:
    """A space would let "%" move to the other side of the number in a right-to-left line."""
    assert not re.search(r"\d\s%", money.percent(50, "ar"))


@pytest.mark.parametrize(
    ("lang", "cells"),
    [("fr", "842\xa0500,00\xa0DH|842\xa0500,00|7,5\xa0%|—"),
     ("ar", "842.500,00\xa0درهم|842.500,00|7,5%|—"),
     ("en", "MAD\xa0842,500.00|842,500.00|7.5%|—")],
)  # fmt: skip
def test_template_filters_follow_the_active_language(lang: str, cells: str) -> None:
    template = Template('{{ a|money:"MAD" }}|{{ a|amount }}|{{ r|percent }}|{{ none|money }}')
    with translation.override(lang):
        assert template.render(Context({"a": Decimal("842500"), "r": 7.5, "none": None})) == cells
        assert locale.money(Decimal("842500")) == cells.split("|")[0]


def test_the_overrun_message_groups_its_amounts() -> None:
    from sharaka.finance import controls, rules

    finding = rules.overrun_finding(planned=Decimal("800000"), already=Decimal("0"),
                                    amount=Decimal("900000"), tolerance=Fraction(1, 20),
                                    authorised=Decimal("0"))  # fmt: skip
    assert finding is not None
    with translation.override("fr"):
        text = controls.message(finding)
    assert "60\xa0000,00" in text and "800\xa0000,00" in text
    assert "800000.00" not in text
    with translation.override("ar"):
        assert "800.000,00" in controls.message(finding)
