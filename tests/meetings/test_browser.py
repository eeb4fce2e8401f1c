"""End to end in Debian's Chromium: the board's secretary takes the attendance (htmx: the
quorum updates in place), puts an item to the vote, enters a show of hands, closes the vote,
closes the session, signs the minutes for both officers and publishes them."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sharaka.meetings.models import Decision, Meeting
from tests.factories import PASSWORD
from tests.meetings.conftest import MeetingWorld

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield browser
        browser.close()


def test_the_secretary_holds_a_meeting_in_the_browser(
    live_server: Any, mw: MeetingWorld, browser: Any
) -> None:
    mw.settings(notice_period_days=0)
    starts = timezone.localtime() + timedelta(minutes=30)
    meeting = mw.open(mw.convene(mw.meeting(days=0, starts_at=starts)))
    base = f"{live_server.url}/partenariats/{mw.w.a.slug}/reunions/{meeting.pk}/"
    page = browser.new_page(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("#id_username", mw.users["secretary"].username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    # Attendance: saved in place by htmx, the quorum panel follows
    page.goto(base + "presences/")
    for name in ("chair", "secretary", "a", "b", "c", "expert"):
        page.select_option(f"#id_m{mw.m[name].pk}_status", "present")
    page.get_by_role("button", name="Enregistrer les présences").click()
    page.locator("#sheet .message.success").wait_for()
    assert page.url == base + "presences/"
    assert "5 / 5" in page.locator("#quorum-panel").inner_text()

    # The vote
    item = meeting.items.get()
    page.goto(f"{base}points/{item.pk}/")
    page.fill("#id_text", "Le budget est adopté.")
    page.get_by_role("button", name="Ouvrir le vote").click()
    for name in ("chair", "secretary", "a", "b", "c"):
        page.select_option(f"#id_m{mw.m[name].pk}", "yes")
    page.get_by_role("button", name="Enregistrer ces votes").click()
    page.get_by_role("link", name="Clore le vote…").click()
    page.get_by_role("button", name="Clore le vote").click()
    page.get_by_text("La délibération est adoptée.").first.wait_for()
    number = Decision.objects.get().number
    assert number in page.content()

    # Minutes: close the session, sign for the chair (paper) and oneself, publish
    page.goto(base)
    page.get_by_role("link", name="Clore la séance et rédiger le procès-verbal…").click()
    page.get_by_role("button", name="Clore la séance").click()
    page.wait_for_url(base + "proces-verbal/")
    for role in ("chair", "secretary"):
        page.select_option("#sign-role", role)
        page.get_by_role("button", name="Signer…").click()
        page.get_by_role("button", name="Signer", exact=True).click()
        page.wait_for_url(base + "proces-verbal/")
    assert "Signé — ne change plus" in page.content()
    page.get_by_role("link", name="Publier…").click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(base + "proces-verbal/")
    assert Meeting.objects.get(pk=meeting.pk).status == "published"
