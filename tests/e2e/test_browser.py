"""End to end in Debian's Chromium: a person signs in, creates a partnership, moves it
through its lifecycle, and reads the page in Arabic. Skipped where Chromium is missing."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from sharaka.partnerships.models import Partnership
from tests.conftest import World
from tests.factories import PASSWORD, AssociationFactory

CHROMIUM = shutil.which("chromium")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so Django's async-safety guard is lifted for these tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        yield browser
        browser.close()


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/comptes/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/")


def _choose_by_keyboard(page: Any, selector: str, text: str, value: str) -> None:
    """A search-as-you-type choice (core.lookups) without the mouse: type, the listbox
    opens, Escape closes it, the arrow key highlights the option (aria-activedescendant),
    Enter picks it."""
    combo = page.locator(selector)
    assert combo.get_attribute("role") == "combobox"
    combo.fill(text)
    listbox = page.locator(f"{selector}_listbox")
    option = listbox.locator("[role=option]").first
    option.wait_for(state="visible")
    assert combo.get_attribute("aria-expanded") == "true"
    combo.press("Escape")
    listbox.wait_for(state="hidden")
    assert combo.get_attribute("aria-expanded") == "false"
    combo.press("ArrowDown")  # reopens the list and highlights its first option
    assert combo.get_attribute("aria-activedescendant") == option.get_attribute("id")
    assert option.get_attribute("aria-selected") == "true"
    combo.press("Enter")
    assert listbox.is_hidden()
    chosen = page.locator(f"[data-combobox]:has({selector}) input[type=hidden]")
    assert chosen.input_value() == value


def test_officer_creates_and_activates_a_partnership(
    live_server: Any, world: World, browser: Any
) -> None:
    partner = AssociationFactory(name="Association Mémoire vive")
    page = browser.new_page(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    _sign_in(page, live_server.url, "officer")
    page.get_by_role("link", name="Nouveau partenariat").first.click()
    page.fill("#id_title", "Musée de la mémoire")
    page.select_option("#id_kind", "management")
    page.select_option("#id_category", "facility")
    page.select_option("#id_sector", "museum_culture")
    page.select_option("#id_complexity", "small")
    page.select_option("#id_lead_authority", str(world.a.lead_authority_id))
    page.get_by_role("button", name="Créer").click()
    page.wait_for_url(f"{live_server.url}/partenariats/musee-de-la-memoire/")
    assert page.locator("h1").inner_text() == "Musée de la mémoire"

    # negotiation needs a second party: the status page says so, the overview adds one
    page.get_by_role("link", name="Changer de statut").click()
    assert "Au moins deux parties" in page.locator("[data-condition=two_parties]").inner_text()
    page.goto(f"{live_server.url}/partenariats/musee-de-la-memoire/")
    _choose_by_keyboard(page, "#id_organization", "Mémoire", str(partner.pk))
    page.select_option("#id_role", "partner")
    page.get_by_role("button", name="Ajouter une partie").click()
    page.wait_for_url(f"{live_server.url}/partenariats/musee-de-la-memoire/")

    page.get_by_role("link", name="Changer de statut").click()
    page.select_option("#id_to_status", "negotiation")
    page.fill("#id_note", "Ouverture des négociations")
    page.get_by_role("button", name="Confirmer le changement").click()
    page.wait_for_url(f"{live_server.url}/partenariats/musee-de-la-memoire/")
    assert "En négociation" in page.locator(".subtitle").first.inner_text()
    assert Partnership.objects.get(slug="musee-de-la-memoire").status == "negotiation"

    page.goto(f"{live_server.url}/partenariats/?q=mémoire")
    assert page.locator("tbody tr").count() == 1


def test_arabic_pages_read_right_to_left(live_server: Any, world: World, browser: Any) -> None:
    page = browser.new_page(locale="ar", extra_http_headers={"Accept-Language": "ar"})
    _sign_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/partenariats/partenariat-a/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.goto(f"{live_server.url}/partenariats/partenariat-b/")
    assert page.locator("h1").count() == 1  # the 404 page, not partnership B
    assert "Partenariat B" not in page.content()


def test_treasurer_sets_up_the_second_factor_then_signs_in_with_a_code(
    live_server: Any, world: World, browser: Any
) -> None:
    import time
    from base64 import b32decode

    from django_otp.oath import TOTP

    def code_for(key: str, later: int = 0) -> str:
        totp = TOTP(b32decode(key.replace(" ", "")))
        totp.time = time.time() + later * 30
        return f"{totp.token():06d}"

    base = live_server.url
    page = browser.new_page(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page.goto(f"{base}/comptes/connexion/?next=/partenariats/")
    page.fill("#id_username", "treasurer")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # no authenticator yet: the set-up page, with a QR code and the key to type
    page.wait_for_url(f"{base}/comptes/double-authentification/configurer/**")
    assert page.locator(".qr svg").count() == 1
    key = page.locator("code.secret").inner_text()
    page.fill("#id_token", code_for(key))
    page.get_by_role("button", name="Activer").click()
    page.wait_for_url(f"{base}/partenariats/")
    assert page.get_by_text("Double authentification activée.").count() == 1
    # next time: the password, then the current code
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.goto(f"{base}/comptes/connexion/?next=/partenariats/")
    page.fill("#id_username", "treasurer")
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/comptes/double-authentification/?next=**")
    page.fill("#id_token", code_for(key, later=1))  # the next period's code: not reused
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url(f"{base}/partenariats/")
    assert page.get_by_role("heading", name="Partenariats").count() >= 1
