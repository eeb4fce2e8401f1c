"""Names and titles inside Arabic lines are isolated (ADR 0028): ``<bdi>`` in the page, the
Unicode isolates FSI … PDI in the PDF's text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from sharaka.core.bidi import FSI, PDI
from sharaka.meetings import document, selectors, services
from tests.conftest import sign_in
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_names_in_the_arabic_minutes_sit_in_isolating_elements(mw: MeetingWorld) -> None:
    meeting = mw.session()
    services.minutes_draft(by=mw.admin, meeting=meeting)
    url = f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/proces-verbal/?lang=ar"
    page = _client(mw.users["secretary"]).get(url).content.decode()
    for name in ("Chair Membre", "Secretary Membre", "A Membre", mw.w.a.title):
        assert f"<bdi>{FSI}{name}{PDI}</bdi>" in page, name
        # never left bare between Arabic words
        assert not re.search(rf"[^{FSI}>]{re.escape(name)}", page), name


def test_the_french_minutes_need_no_isolation_of_latin_names(mw: MeetingWorld) -> None:
    meeting = mw.session()
    services.minutes_draft(by=mw.admin, meeting=meeting)
    minutes = selectors.minutes_get(meeting)
    fr = document.build(minutes, lang="fr")
    ar = document.build(minutes, lang="ar")
    assert FSI not in fr.partnership and fr.partnership == mw.w.a.title
    assert ar.partnership == f"{FSI}{mw.w.a.title}{PDI}"
    assert any(f"{FSI}Chair Membre{PDI}" in value for _term, value in ar.facts)


def test_the_meeting_and_partnership_headers_isolate_their_titles(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    client = _client(mw.admin)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    page = client.get(f"/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/").content.decode()
    assert f"<h1><bdi>{mw.w.a.title}</bdi></h1>" in page
    assert f"<bdi>{escape(mw.board.name)}</bdi>" in page
