"""A finding's amounts and days are shown in the reader's formats, not as stored."""

from __future__ import annotations

from django.utils import translation

from sharaka.audit.selectors import finding_message

PARAMS = {"line": "A1.3", "excess": "4200.00", "planned": "140000.00", "tolerance": "15"}
MISSING = {"date": "2026-11-23", "supplier": "Piscines Services Maroc", "amount": "5683.07"}


def test_amounts_are_grouped_in_french() -> None:
    with translation.override("fr"):
        text = (
            finding_message("line_overrun_unauthorised", PARAMS)
            .replace("\u202f", " ")
            .replace("\xa0", " ")
        )
    assert "4 200,00" in text and "140 000,00" in text
    assert "4200.00" not in text


def test_days_are_day_month_year() -> None:
    with translation.override("fr"):
        text = finding_message("expense_missing_receipt", MISSING)
    assert "23/11/2026" in text and "2026-11-23" not in text
    with translation.override("en"):
        text = finding_message("expense_missing_receipt", MISSING)
    assert "23/11/2026" in text


def test_an_unparsable_value_is_shown_as_stored() -> None:
    with translation.override("fr"):
        text = finding_message("expense_missing_receipt", {**MISSING, "date": "hier"})
    assert "hier" in text
