"""Dates read day-month-year in every language, with a 24-hour clock (ADR 0028)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import formats, translation

DAY = date(2026, 12, 6)
MOMENT = datetime(2026, 12, 6, 14, 9, tzinfo=ZoneInfo("Africa/Casablanca"))


@pytest.mark.parametrize(
    ("lang", "long", "month"),
    [("fr", "6 décembre 2026", "décembre"), ("ar", "6 دجنبر 2026", "دجنبر"),
     ("en", "6 December 2026", "December")],
)  # fmt: skip
def test_a_date_reads_day_month_year(lang: str, long: str, month: str) -> None:
    with translation.override(lang):
        assert formats.date_format(DAY, "DATE_FORMAT") == long
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "06/12/2026"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "06/12/2026 14:09"
        full = formats.date_format(MOMENT, "DATETIME_FORMAT")
        assert full.index("6") < full.index(month) < full.index("2026") < full.index("14:09")
        assert formats.time_format(MOMENT, "TIME_FORMAT") == "14:09"


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_templates_use_the_same_formats(lang: str) -> None:
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ m|date:"SHORT_DATETIME_FORMAT" }}')
    with translation.override(lang):
        assert template.render(Context({"d": DAY, "m": MOMENT})) == "06/12/2026|06/12/2026 14:09"


def test_an_english_form_reads_a_typed_date_day_first() -> None:
    from django import forms

    class F(forms.Form):
        day = forms.DateField()

    with translation.override("en"):
        form = F({"day": "06/12/2026"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == DAY
