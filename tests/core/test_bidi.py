"""Values inserted into a line of the other direction are isolated (core.bidi, ADR 0028)."""

from __future__ import annotations

from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from sharaka.conventions.renderers.document import label
from sharaka.core.bidi import FSI, PDI, isolate, needs_isolation


def test_what_an_arabic_line_isolates() -> None:
    assert isolate("Commune d'Oued Zitoune", rtl=True) == f"{FSI}Commune d'Oued Zitoune{PDI}"
    assert isolate("15 %", rtl=True) == f"{FSI}15 %{PDI}"
    assert isolate("1", rtl=True) == "1" and isolate("06/12/2026", rtl=True) == "06/12/2026"
    assert isolate("جماعة واد الزيتون", rtl=True) == "جماعة واد الزيتون"
    assert isolate("", rtl=True) == ""


def test_what_a_french_line_isolates() -> None:
    assert isolate("Commune d'Oued Zitoune", rtl=False) == "Commune d'Oued Zitoune"
    assert isolate("جمعية الأمل", rtl=False) == f"{FSI}جمعية الأمل{PDI}"


def test_the_purpose_of_an_amendment_keeps_its_percent_in_arabic() -> None:
    """The convention PDF showed "% Relèvement … à 15": the French purpose is isolated."""
    line = label("purpose", "ar", purpose="Relèvement de la tolérance à 15 %")
    assert line == f"موضوع الملحق: {FSI}Relèvement de la tolérance à 15 %{PDI}"
    french = label("purpose", "fr", purpose="Relèvement à 15 %")
    assert french == "Objet de l'avenant : Relèvement à 15 %"


def test_the_isolated_filter_escapes_and_wraps_in_bdi() -> None:
    text = f"الرئيس: {FSI}<b>A & B</b>{PDI}"
    html = Template("{{ t|isolated }}").render(Context({"t": text}))
    assert html == f"الرئيس: <bdi>{FSI}&lt;b&gt;A &amp; B&lt;/b&gt;{PDI}</bdi>"


@given(st.text(max_size=30), st.booleans())
def test_isolating_twice_changes_nothing_more(value: str, rtl: bool) -> None:
    once = isolate(value, rtl=rtl)
    assert isolate(once, rtl=rtl) == once
    assert once.replace(FSI, "").replace(PDI, "") == value.replace(FSI, "").replace(PDI, "")
    assert once == value or needs_isolation(value, rtl=rtl)
