"""In Debian's Chromium: the completeness check follows the clause form as it is edited
(htmx, nothing saved), then the clause is saved. Skipped where Chromium is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from sharaka.conventions.models import ConventionVersion
from tests.conftest import World
from tests.factories import PASSWORD

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        yield browser
        browser.close()


def test_completeness_follows_the_form(
    live_server: Any, world: World, draft: ConventionVersion, browser: Any
) -> None:
    page = browser.new_page(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.fill("#id_username", "officer")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/partenariats/partenariat-a/convention/versions/0/clauses/audit/")
    panel = page.locator("#completeness")
    assert "complète et cohérente" in panel.inner_text()
    page.fill("#id_audit_frequency_months", "")
    page.locator("#id_auditor_name").click()  # leaving the field fires "change"
    page.wait_for_selector("#completeness li[data-code=audit_frequency_missing]")
    assert draft.clauses.get(code="audit").params["audit_frequency_months"] == 12
    page.fill("#id_audit_frequency_months", "6")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/convention/versions/0/#clause-audit")
    assert draft.clauses.get(code="audit").params["audit_frequency_months"] == 6
