"""Reference data reads in the interface language; no internal code reaches the page
(ADR 0028)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from sharaka.conventions.models import ConventionVersion
from sharaka.finance.views import _STEPS
from sharaka.governance import selectors as governance
from sharaka.governance.models import BoardCollege
from tests.conventions.conftest import draft, partner  # noqa: F401 (fixtures)
from tests.governance.conftest import START
from tests.meetings.conftest import MeetingWorld, mw  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_default_college_shows_in_the_interface_language(mw: MeetingWorld) -> None:  # noqa: F811
    college = BoardCollege.objects.get(board=mw.board, code="local_public")
    assert college.label == "Collectivités territoriales"  # stored in the source language
    with translation.override("ar"):
        assert str(college) == "الجماعات الترابية"
    with translation.override("en"):
        assert str(college) == "Local authorities"
        assert "Local authorities" in {seat.college_label for seat in _seats(mw)}
    college.label = "Communes du cercle"  # renamed: shown as typed
    assert college.display_label == "Communes du cercle"


def _seats(mw: MeetingWorld) -> list[Any]:  # noqa: F811
    seats, _holders, _officers = governance.analysis_seats(
        governance.board_data_get(board=mw.board), START
    )
    return list(seats)


def test_the_board_page_in_arabic_names_the_colleges_in_arabic(
    mw: MeetingWorld,  # noqa: F811
    client_for: Any,
) -> None:
    client = client_for("admin")
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get(f"/partenariats/{mw.w.a.slug}/conseil/").content.decode()
    assert "الجماعات الترابية" in page and "Collectivités territoriales" not in page


def test_no_internal_code_on_the_convention_articles(
    draft: ConventionVersion,  # noqa: F811
    client_for: Any,
) -> None:
    page = client_for("officer").get("/partenariats/partenariat-a/convention/").content.decode()
    assert "M15" not in page and "clause de gestion" in page


def test_the_expense_steps_speak_arabic() -> None:
    with translation.override("ar"):
        for _perm, _service, question, button, done in _STEPS.values():
            for text in (question, button, done):
                assert not any("a" <= char.lower() <= "z" for char in str(text)), str(text)
