"""Accessibility scan (issue 20): axe-core, through Playwright in Debian's Chromium, on the
demo's pages in French and Arabic, as the people who use them. Every link a user can
follow is visited once per URL shape (``/partenariats/<slug>/depenses/12/`` and
``…/13/`` are one page), within a budget per user, and the test fails on any violation
axe rates serious or critical.

The scan runs on SQLite only: what it checks is HTML, the same on every database, and it
takes minutes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
from django.db import connection

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

#: (user, language, pages at most, screen width): the officer sees the most; a
#: coordinator, the auditor, a board member and a resident (not signed in) see their own
#: part. At the width of a phone (390 px), no page may scroll sideways: only a table
#: scrolls, inside its ``.table-wrap``.
PHONE = 390
SCANS = (
    ("agent.oz", "fr", 90, 1280), ("agent.oz", "ar", 90, PHONE), ("coord.sport", "ar", 40, 1280),
    ("auditeur", "ar", 30, PHONE), ("membre.ca", "fr", 25, PHONE), ("-", "fr", 30, PHONE),
    ("-", "ar", 30, 1280),
)  # fmt: skip
#: Not pages: files, feeds, the API, the admin; and signing out would end the scan.
NOT_A_PAGE = re.compile(
    r"deconnexion|logout|\.(pdf|docx|xlsx|csv|ics|zip|xml|json)\b|/api/|/admin/|/static/|"
    r"/media/|export|telecharger|flux|feed|/rss|/atom|open-data/.+"
)
SERIOUS = {"serious", "critical"}


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


def _shape(url: str) -> str:
    return re.sub(r"\d+", "N", urlparse(url).path)


def _scan(
    browser: Any, axe: Any, base: str, user: str, lang: str, budget: int, width: int
) -> list[str]:
    """Crawl from the home page as ``user`` and return one line per serious violation (and,
    on a phone's width, per page wider than the screen)."""
    from sharaka.demo import DEMO_PASSWORD

    context = browser.new_context(
        locale=lang, extra_http_headers={"Accept-Language": lang},
        viewport={"width": width, "height": 900},
    )  # fmt: skip
    page = context.new_page()
    if user != "-":
        page.goto(f"{base}/comptes/connexion/")
        page.fill("#id_username", user)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/")
    queue, seen, shapes, found = [f"{base}/"], set(), set(), []
    while queue and len(shapes) < budget:
        url = queue.pop(0)
        if url in seen or _shape(url) in shapes:
            continue
        seen.add(url)
        try:
            response = page.goto(url)
        except Exception as error:  # a link to a file (a receipt, an evidence) downloads
            if "Download is starting" in str(error):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        assert response.status < 500, f"{url} answered {response.status}"
        shapes.add(_shape(url))
        wide = page.evaluate("document.documentElement.scrollWidth")
        if width == PHONE and wide > PHONE + 1:
            found.append(f"{user} {lang} {url}: {wide} px wide on a {PHONE} px screen")
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in SERIOUS:
                node = violation["nodes"][0]
                found.append(f"{user} {lang} {url}: {violation['id']} ({violation['impact']}) "
                             f"at {node['target']}: {violation['help']}")  # fmt: skip
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urljoin(url, href).split("#")[0]
            if urlparse(target).netloc == urlparse(base).netloc and not NOT_A_PAGE.search(target):
                queue.append(target)
    context.close()
    assert len(shapes) >= min(budget, 10), f"{user} {lang}: only {len(shapes)} pages reached"
    return found


def test_demo_pages_have_no_serious_accessibility_violation_nor_sideways_scroll(
    live_server: Any, browser: Any
) -> None:
    axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")
    if connection.vendor != "sqlite":
        pytest.skip("HTML is the same on every database: scanned on SQLite only")
    from sharaka import demo

    demo.load_demo()
    axe = axe_playwright.Axe()
    found: list[str] = []
    for user, lang, budget, width in SCANS:
        found += _scan(browser, axe, live_server.url, user, lang, budget, width)
    assert not found, "\n".join(found)
