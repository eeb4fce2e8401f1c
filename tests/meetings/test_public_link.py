"""The meetings page links to the published minutes only when the portal shows them: a
partnership not yet public has no portal page, so the link would lead to a 404 (issue 20)."""

from __future__ import annotations

import pytest
from django.test import Client

from sharaka.partnerships.models import Partnership
from sharaka.partnerships.rules import PUBLISHED, Status
from tests.conftest import sign_in
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _list_page(mw: MeetingWorld, status: Status) -> tuple[str, str]:
    Partnership.objects.filter(pk=mw.w.a.pk).update(status=status)
    client = Client()
    sign_in(client, mw.users["secretary"])
    page = client.get(f"/partenariats/{mw.w.a.slug}/reunions/").content.decode()
    portal = f"/portail/{mw.w.a.slug}/proces-verbaux/"
    return page, portal


@pytest.mark.parametrize("status", [s for s in Status if s not in PUBLISHED])
def test_no_link_to_the_portal_minutes_before_the_partnership_is_public(
    mw: MeetingWorld, status: Status
) -> None:
    page, portal = _list_page(mw, status)
    assert portal not in page
    assert Client().get(portal).status_code == 404  # where the link would have led


@pytest.mark.parametrize("status", sorted(PUBLISHED))
def test_the_link_to_the_portal_minutes_once_public(mw: MeetingWorld, status: Status) -> None:
    page, portal = _list_page(mw, status)
    assert portal in page
    assert Client().get(portal).status_code == 200
