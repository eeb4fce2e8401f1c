"""Convention pages: access per route and per role, forms, htmx check, workflow."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sharaka.conventions.models import ConventionVersion
from tests.conftest import ROLES, World
from tests.conventions.conftest import add_signatory, sign

pytestmark = pytest.mark.django_db

VIEWERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
EDITORS = {"admin", "officer", "coordinator"}
SIGNERS = {"admin", "officer"}


def _expected(role: str, allowed: set[str]) -> int:
    if role in allowed:
        return 200
    return 403 if role in VIEWERS else 404


def _base(version: ConventionVersion) -> str:
    return f"/partenariats/partenariat-a/convention/versions/{version.number}/"


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_per_role(client_for: Any, role: str, draft: ConventionVersion) -> None:
    response = client_for(role).get("/partenariats/partenariat-a/convention/")
    assert response.status_code == (200 if role in VIEWERS else 404)
    if role in VIEWERS:
        content = response.content.decode()
        assert "Convention initiale" in content
        assert ("Ajouter une clause" in content) is (role in EDITORS)


@pytest.mark.parametrize("role", ROLES)
def test_routes_per_role(client_for: Any, role: str, draft: ConventionVersion) -> None:
    client = client_for(role)
    base = _base(draft)
    routes = {
        base: VIEWERS,
        base + "clauses/audit/": EDITORS,
        base + "clauses/ajouter/custom/": EDITORS,
        base + "clauses/audit/retirer/": EDITORS,
        base + "statut/": EDITORS,  # a draft goes to negotiation: editors may
        base + "document/?format=docx&lang=fr": VIEWERS,
        "/partenariats/partenariat-a/convention/avenant/": EDITORS,
    }
    for url, allowed in routes.items():
        assert client.get(url).status_code == _expected(role, allowed), url


@pytest.mark.parametrize("role", ROLES)
def test_signed_version_routes_per_role(client_for: Any, role: str, world: World,
                                        in_force: ConventionVersion) -> None:  # fmt: skip
    client = client_for(role)
    base = _base(in_force)
    assert client.get(base + "statut/").status_code == _expected(role, SIGNERS)
    assert client.get(base + "copie-signee/").status_code == _expected(role, SIGNERS)
    assert client.get("/partenariats/partenariat-a/convention/differences/").status_code == (
        _expected(role, VIEWERS)
    )


def test_member_of_a_gets_404_on_b(client_for: Any, world: World) -> None:
    from sharaka.conventions import services

    services.convention_create(by=world.admin, partnership=world.b)
    for role in ("coordinator", "board_member", "officer"):
        client = client_for(role)
        assert client.get("/partenariats/partenariat-b/convention/").status_code == 404
        assert client.get("/partenariats/partenariat-b/convention/versions/0/document/"
                          "?format=docx").status_code == 404  # fmt: skip
    assert client_for("other_officer").get(
        "/partenariats/partenariat-b/convention/").status_code == 200  # fmt: skip


def test_anonymous_is_sent_to_login(client_for: Any, draft: ConventionVersion) -> None:
    for url in ("/partenariats/partenariat-a/convention/", _base(draft) + "clauses/audit/"):
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_empty_page_and_creation(client_for: Any, world: World) -> None:
    page = client_for("officer").get("/partenariats/partenariat-a/convention/")
    assert "Rédiger la convention" in page.content.decode()
    assert "Rédiger la convention" not in client_for("board_member").get(
        "/partenariats/partenariat-a/convention/").content.decode()  # fmt: skip
    assert client_for("board_member").post(
        "/partenariats/partenariat-a/convention/creer/").status_code == 403  # fmt: skip
    response = client_for("coordinator").post("/partenariats/partenariat-a/convention/creer/")
    assert response.status_code == 302
    assert world.a.convention.versions.count() == 1  # type: ignore[attr-defined]


def test_tab_lights_up(client_for: Any, draft: ConventionVersion) -> None:
    page = client_for("officer").get("/partenariats/partenariat-a/").content.decode()
    assert 'href="/partenariats/partenariat-a/convention/"' in page


def _clause_post(version: ConventionVersion, code: str) -> dict[str, Any]:
    """The form of a clause, as the browser would submit it unchanged."""
    from sharaka.conventions import catalogue
    from sharaka.conventions.forms import ClauseForm

    form = ClauseForm(spec=catalogue.spec_for(code), clause=version.clauses.get(code=code))
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.get_initial_for_field(field, name)
        if value is None or value is False:
            continue
        data[name] = value
    return data


def test_clause_form_saves_typed_parameters(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("coordinator")
    url = _base(draft) + "clauses/deliberations/"
    data = _clause_post(draft, "deliberations") | {"notice_days": "14", "quorum": "60 %"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    params = draft.clauses.get(code="deliberations").params
    assert params["notice_days"] == 14 and params["quorum"] == "3/5"
    assert params["fallback_method"] == "qualified"


def test_clause_form_shows_the_error_on_the_field(client_for: Any,
                                                  draft: ConventionVersion) -> None:  # fmt: skip
    client = client_for("officer")
    data = _clause_post(draft, "deliberations") | {"quorum": "la moitié"}
    response = client.post(_base(draft) + "clauses/deliberations/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "quorum" in form.errors and "Quorum" in form.errors["quorum"][0]
    board = _clause_post(draft, "board") | {"composition__1__seats": "-2"}
    response = client.post(_base(draft) + "clauses/board/", board)
    assert "composition__1__seats" in response.context["form"].errors


def test_table_rows_can_be_added_and_removed(client_for: Any, draft: ConventionVersion) -> None:
    data = _clause_post(draft, "board") | {
        "composition__2__organization": "Entreprise Bêta",
        "composition__2__college": "private", "composition__2__seats": "1",
        "composition__2__voting": "on",
    }  # fmt: skip
    client_for("officer").post(_base(draft) + "clauses/board/", data)
    rows = draft.clauses.get(code="board").params["composition"]
    assert [r["organization"] for r in rows][-1] == "Entreprise Bêta"
    data = _clause_post(draft, "board")
    for key in [k for k in data if k.startswith("composition__2__")]:
        data[key] = ""
    client_for("officer").post(_base(draft) + "clauses/board/", data)
    assert len(draft.clauses.get(code="board").params["composition"]) == 2


def test_htmx_check_previews_without_saving(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("officer")
    data = _clause_post(draft, "audit")
    data.pop("audit_frequency_months")
    response = client.post(_base(draft) + "clauses/audit/verifier/", data, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert response.status_code == 200 and 'id="completeness"' in content
    assert "audit_frequency_missing" in content and "<html" not in content
    assert draft.clauses.get(code="audit").params["audit_frequency_months"] == 12
    bad = client.post(_base(draft) + "clauses/audit/verifier/",
                      data | {"expense_tolerance": "trop"})  # fmt: skip
    assert "Dépassement" in bad.content.decode()
    assert client_for("board_member").post(
        _base(draft) + "clauses/audit/verifier/", data).status_code == 403  # fmt: skip


def test_adding_a_clause_from_the_catalogue(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("officer")
    response = client.get(_base(draft) + "clauses/ajouter/?code=annexes")
    assert response.status_code == 302 and response["Location"].endswith("ajouter/annexes/")
    response = client.post(
        _base(draft) + "clauses/ajouter/custom/",
        {"title_fr": "Assurances", "text_fr": "Chaque partie s'assure."},
    )
    assert response.status_code == 302
    assert draft.clauses.filter(code="custom").count() == 1
    assert client.get(_base(draft) + "clauses/ajouter/inexistante/").status_code == 404


def test_remove_clause_asks_for_confirmation(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("officer")
    page = client.get(_base(draft) + "clauses/audit/retirer/")
    assert "Confirmation" in page.content.decode()
    assert draft.clauses.filter(code="audit").exists()
    client.post(_base(draft) + "clauses/audit/retirer/")
    assert not draft.clauses.filter(code="audit").exists()


def test_signature_needs_confirmation(client_for: Any, world: World,
                                      draft: ConventionVersion) -> None:  # fmt: skip
    add_signatory(world, draft)
    client = client_for("officer")
    url = _base(draft) + "statut/"
    client.post(url, {"to_status": "under_negotiation", "confirm": "on"})
    draft.refresh_from_db()
    assert draft.status == "under_negotiation"
    page = client.get(url + "?to_status=signed").content.decode()
    assert "irréversible" in page
    response = client.post(url, {"to_status": "signed", "effective_date": "2025-01-01"})
    assert response.status_code == 200 and "confirm" in response.context["form"].errors
    draft.refresh_from_db()
    assert draft.status == "under_negotiation"
    coordinator_page = client_for("coordinator").get(url).content.decode()
    assert 'value="signed"' not in coordinator_page
    response = client.post(url, {"to_status": "signed", "effective_date": "2025-01-01",
                                 "confirm": "on"})  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed"


def test_signing_an_incomplete_version_shows_why(client_for: Any, world: World,
                                                 draft: ConventionVersion) -> None:  # fmt: skip
    from sharaka.conventions import services

    services.clause_update(by=world.officer, clause=draft.clauses.get(code="termination"),
                           merge=True, params={"surplus_disposition": None})  # fmt: skip
    add_signatory(world, draft)
    services.version_transition(by=world.officer, version=draft, to_status="under_negotiation")
    response = client_for("officer").post(_base(draft) + "statut/",
                                          {"to_status": "signed", "confirm": "on"})  # fmt: skip
    assert response.status_code == 200
    assert "excédent" in response.content.decode()


def test_signatory_add_and_upload(client_for: Any, world: World, draft: ConventionVersion,
                                  partner: Any) -> None:  # fmt: skip
    from tests.factories import PersonFactory

    person = PersonFactory(organization=partner)
    client = client_for("coordinator")
    response = client.post(_base(draft) + "signataires/ajouter/", {
        "organization": partner.pk, "person": person.pk, "capacity": "Présidente",
    })  # fmt: skip
    assert response.status_code == 302
    assert draft.signatories.count() == 1
    client.post(_base(draft) + "signataires/ajouter/", {"organization": partner.pk})
    assert draft.signatories.count() == 1
    sign(world, draft, with_signatory=False)
    officer = client_for("officer")
    bad = officer.post(_base(draft) + "copie-signee/",
                       {"signed_copy": SimpleUploadedFile("scan.txt", b"hello")})  # fmt: skip
    assert bad.status_code == 200 and "PDF" in bad.context["form"].errors["signed_copy"][0]
    good = officer.post(_base(draft) + "copie-signee/", {
        "signed_copy": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 test")})  # fmt: skip
    assert good.status_code == 302
    download = client_for("auditor").get(_base(draft) + "copie-signee/telecharger/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]


def test_diff_page_and_amendment(client_for: Any, world: World,
                                 in_force: ConventionVersion) -> None:  # fmt: skip
    client = client_for("officer")
    page = client.get("/partenariats/partenariat-a/convention/")
    assert "Préparer un avenant" in page.content.decode()
    response = client.post("/partenariats/partenariat-a/convention/avenant/",
                           {"purpose": "Préavis porté à 15 jours"})  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("/versions/1/")
    amendment = in_force.convention.versions.get(number=1)
    data = _clause_post(amendment, "deliberations") | {"notice_days": "15"}
    client.post("/partenariats/partenariat-a/convention/versions/1/clauses/deliberations/", data)
    diff = client.get("/partenariats/partenariat-a/convention/differences/?from=0&to=1")
    content = diff.content.decode()
    assert "Délai de convocation" in content and "<del>10</del>" in content
    assert "<ins>15</ins>" in content
    assert client.get("/partenariats/partenariat-a/convention/differences/?from=1&to=1"
                      ).context["rows"] == []  # fmt: skip


def test_render_view_rejects_unknown_format(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("officer")
    assert client.get(_base(draft) + "document/?format=odt").status_code == 404
    assert client.get(_base(draft) + "document/?format=pdf&lang=de").status_code == 404
    response = client.get(_base(draft) + "document/?format=docx&lang=ar")
    assert response["Content-Disposition"].endswith('convention-ar.docx"')


def test_detail_page_query_count_is_fixed(client_for: Any, draft: ConventionVersion,
                                          django_assert_max_num_queries: Any) -> None:  # fmt: skip
    client = client_for("officer")
    client.get("/partenariats/partenariat-a/convention/")
    with django_assert_max_num_queries(30):
        client.get("/partenariats/partenariat-a/convention/")


def test_clause_form_bounds_the_position(client_for: Any, draft: ConventionVersion) -> None:
    client = client_for("coordinator")
    before = draft.clauses.get(code="deliberations").order
    for order in ("1e23", "100000000000000000000000", "10000"):
        data = _clause_post(draft, "deliberations") | {"order": order}
        response = client.post(_base(draft) + "clauses/deliberations/", data)
        assert response.status_code == 200
        assert "order" in response.context["form"].errors
    assert draft.clauses.get(code="deliberations").order == before


# --- The pages' common contract (core.pages) and view models --------------------------------


def test_clause_form_names_where_a_refusal_goes(draft: ConventionVersion) -> None:
    """A service's refusal of ``composition.0.seats`` shows on that cell, a translated text's
    on its French field, each message once."""
    from sharaka.conventions import catalogue
    from sharaka.conventions.catalogue import PType
    from sharaka.conventions.forms import ClauseForm
    from sharaka.core.errors import ValidationFailed
    from sharaka.core.forms import apply_domain_error

    form = ClauseForm({}, spec=catalogue.spec_for("board"), clause=draft.clauses.get(code="board"))
    assert form.is_valid()
    apply_domain_error(
        form,
        ValidationFailed(
            "refusé",
            {"composition.0.seats": ["Trop de sièges.", "Trop de sièges."], "ailleurs": ["Non."]},
        ),
    )
    assert form.errors["composition__0__seats"] == ["Trop de sièges."]
    assert form.non_field_errors() == ["Non."]
    spec = next(s for s in catalogue.CATALOGUE if any(p.type is PType.TEXT for p in s.params))
    param = next(p for p in spec.params if p.type is PType.TEXT)
    text = ClauseForm({}, spec=spec)
    assert text.is_valid()
    apply_domain_error(text, ValidationFailed("refusé", {param.name: ["Texte requis."]}))
    assert text.errors[f"{param.name}__fr"] == ["Texte requis."]


def test_signatory_refused_on_the_convention_page(client_for: Any, draft: ConventionVersion,
                                                  partner: Any) -> None:  # fmt: skip
    response = client_for("coordinator").post(_base(draft) + "signataires/ajouter/",
                                              {"organization": partner.pk})  # fmt: skip
    assert response.status_code == 422
    assert "person" in response.context["signatory_form"].errors
    assert "Convention initiale" in response.content.decode()  # the convention page
    assert draft.signatories.count() == 0


def test_a_second_convention_is_refused_on_a_page(client_for: Any,
                                                  draft: ConventionVersion) -> None:  # fmt: skip
    response = client_for("officer").post("/partenariats/partenariat-a/convention/creer/")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "a déjà sa convention" in response.content.decode()
    assert draft.convention.versions.count() == 1


def test_refused_removal_shows_why(client_for: Any, world: World,
                                   in_force: ConventionVersion) -> None:  # fmt: skip
    """A signed version's clauses do not change: the question says so, the clause stays."""
    url = _base(in_force) + "clauses/audit/retirer/"
    response = client_for("officer").post(url)
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "préparez un avenant" in response.content.decode()
    assert in_force.clauses.filter(code="audit").exists()


def test_version_and_diff_view_models(world: World, in_force: ConventionVersion) -> None:
    from sharaka.conventions import selectors, services
    from sharaka.core.errors import NotFound

    amendment = services.amendment_create(by=world.officer, convention=in_force.convention)
    page = selectors.version_page_view_get(user=world.coordinator, partnership=world.a,
                                           convention=in_force.convention)  # fmt: skip
    assert page.version.pk == amendment.pk  # the version being prepared comes first
    assert page.in_force is not None and page.in_force.pk == in_force.pk
    assert page.status_choices == [("under_negotiation", "En négociation")]
    assert not page.can_amend  # an amendment is already being prepared
    with pytest.raises(NotFound):
        selectors.version_page_view_get(user=world.coordinator, partnership=world.a,
                                        convention=in_force.convention, number=7)  # fmt: skip
    diff = selectors.diff_view_get(partnership=world.a)
    assert (diff.old.number, diff.new.number) == (0, 1) and diff.rows == []
    assert selectors.diff_view_get(partnership=world.a, old="x", new="99").new.number == 1
