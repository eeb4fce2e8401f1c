"""Board pages: access per route and role, forms, history at a date, the simulator."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sharaka.governance import services
from sharaka.governance.models import Board, GovernanceSettings, Mandate, Seat
from tests.governance.conftest import START, add_parties

VIEWERS = ("admin", "officer", "coordinator", "board_member", "treasurer", "auditor")
CHANGERS = ("admin", "officer", "coordinator")

# Expected status per role: viewers see, changers change, B's officer and outsiders get
# 404 (A's existence does not leak), anonymous visitors are sent to the sign-in page.
VIEW = {**dict.fromkeys(VIEWERS, 200), "other_officer": 404, "outsider": 404, None: 302}
CHANGE = {**VIEW, "board_member": 403, "treasurer": 403, "auditor": 403}


def _url(name: str, bw, **kwargs) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": bw.w.a.slug, **kwargs})


def _check(client_for, role, url, expected, method="get", data=None):
    client = client_for(role)
    response = getattr(client, method)(url, data or {})
    assert response.status_code == expected, (role, url, response.status_code)
    if expected == 302 and role is None:
        assert reverse("accounts:login") in response["Location"]
    return response


@pytest.mark.parametrize("role", [*VIEW])
@pytest.mark.parametrize("name", ["board", "rules", "colleges", "history"])
def test_read_pages_per_role(bw, client_for, role, name):
    _check(client_for, role, _url(name, bw), VIEW[role])


@pytest.mark.parametrize("role", [*CHANGE])
def test_change_pages_per_role(bw, client_for, woman, role):
    seat = bw.seat(bw.commune)
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    office = services.officer_appoint(
        by=bw.w.admin, board=bw.board, mandate=mandate, role="chair", start_date=START
    )
    vacant = bw.seat(bw.commune, 1)
    for url in (
        _url("seat_add", bw),
        _url("seat_edit", bw, seat_id=seat.pk),
        _url("seat_abolish", bw, seat_id=vacant.pk),
        _url("mandate_add", bw, seat_id=vacant.pk),
        _url("mandate_end", bw, mandate_id=mandate.pk),
        _url("officer_appoint", bw),
        _url("officer_end", bw, officer_id=office.pk),
        _url("college_edit", bw, college_id=bw.board.colleges.get(code="private").pk),
    ):
        _check(client_for, role, url, CHANGE[role])


@pytest.mark.parametrize("role", [*CHANGE])
def test_board_create_page_per_role(world, client_for, role):
    add_parties(world)
    url = reverse("governance:board_create", kwargs={"slug": world.a.slug})
    response = _check(client_for, role, url, CHANGE[role])
    if CHANGE[role] == 200:
        html = response.content.decode()
        assert "Grand équipement" in html  # facility + large: the large facility template
        assert "Association Alpha" in html and "Experts indépendants" in html


def test_members_of_a_get_404_on_b(bw, client_for):
    url = reverse("governance:board", kwargs={"slug": bw.w.b.slug})
    for role in ("coordinator", "board_member", "treasurer", "auditor", "officer"):
        assert client_for(role).get(url).status_code == 404
    assert client_for("other_officer").get(url).status_code == 200  # B's own officer


def test_board_page_without_board_shows_the_way_to_compose_it(world, client_for):
    html = client_for("officer").get(reverse("governance:board", kwargs={"slug": world.a.slug}))
    assert "Composer le conseil" in html.content.decode()
    html = client_for("board_member").get(
        reverse("governance:board", kwargs={"slug": world.a.slug})
    )
    assert "Composer le conseil" not in html.content.decode()
    assert not GovernanceSettings.objects.exists()  # reading writes nothing


def test_board_create_post(world, client_for):
    association, company = add_parties(world)
    client = client_for("officer")
    url = reverse("governance:board_create", kwargs={"slug": world.a.slug})
    rows = [
        (world.a.lead_authority_id, "local_public", 2, 0, True),
        (association.pk, "associative", 2, 0, True),
        (company.pk, "private", 1, 0, False),  # unchecked: not on the board
        ("experts", "experts", 0, 2, True),
    ]
    data = {
        "template": "facility_large",
        "name": "Conseil de gestion",
        "established_on": "2025-01-01",
        "rows-TOTAL_FORMS": len(rows),
        "rows-INITIAL_FORMS": len(rows),
    }
    for i, (org, college, voting, advisory, include) in enumerate(rows):
        data |= {
            f"rows-{i}-organization": org,
            f"rows-{i}-college": college,
            f"rows-{i}-voting": voting,
            f"rows-{i}-advisory": advisory,
        }
        if include:
            data[f"rows-{i}-include"] = "on"
    preview = client.post(url, data | {"preview": "1"}, HTTP_HX_REQUEST="true")
    assert preview.status_code == 200 and "<html" not in preview.content.decode()
    assert "Sièges et pouvoir de vote" in preview.content.decode()
    assert "encore nommé" in preview.content.decode()
    assert "Les femmes occupent" not in preview.content.decode()
    assert not Board.objects.exists()
    response = client.post(url, data)
    assert response.status_code == 302
    board = Board.objects.get(partnership=world.a)
    assert board.name == "Conseil de gestion"
    assert Seat.objects.filter(board=board, voting=True).count() == 4
    assert Seat.objects.filter(board=board, voting=False).count() == 2
    assert not Seat.objects.filter(board=board, organization=company).exists()


def test_board_create_post_field_errors(world, client_for):
    add_parties(world)
    url = reverse("governance:board_create", kwargs={"slug": world.a.slug})
    data = {
        "template": "facility_large",
        "name": "Conseil",
        "established_on": "2025-01-01",
        "rows-TOTAL_FORMS": 1,
        "rows-INITIAL_FORMS": 1,
        "rows-0-organization": "experts",
        "rows-0-college": "experts",
        "rows-0-voting": 3,
        "rows-0-advisory": 0,
        "rows-0-include": "on",
    }
    response = client_for("admin").post(url, data)
    assert response.status_code == 200
    assert "voix consultative seulement" in response.content.decode()
    response = client_for("admin").post(url, data | {"rows-0-organization": ""})
    assert "Choisissez une organisation" in response.content.decode()
    assert not Board.objects.exists()


def test_mandate_forms_show_field_errors(bw, client_for, woman, man):
    seat = bw.seat(bw.commune)
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=START
    )
    client = client_for("coordinator")
    response = client.post(
        _url("mandate_add", bw, seat_id=seat.pk), {"person": man.pk, "start_date": "2025-02-01"}
    )
    assert response.status_code == 200
    assert "déjà occupé" in response.content.decode()
    assert Mandate.objects.count() == 1
    vacant = bw.seat(bw.commune, 1)
    response = client.post(
        _url("mandate_add", bw, seat_id=vacant.pk), {"person": man.pk, "start_date": "2025-02-01"}
    )
    assert response.status_code == 302
    mandate = Mandate.objects.get(person=man)
    response = client.post(
        _url("mandate_end", bw, mandate_id=mandate.pk), {"end_date": "2025-01-01", "reason": ""}
    )
    assert "précéder son début" in response.content.decode()
    response = client.post(
        _url("mandate_end", bw, mandate_id=mandate.pk),
        {"end_date": "2025-12-31", "reason": "Fin de mandat"},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.end_date == date(2025, 12, 31)


def test_seat_abolish_confirms_before_deleting(bw, client_for):
    seat = bw.seat(bw.company)
    client = client_for("officer")
    response = client.get(_url("seat_abolish", bw, seat_id=seat.pk))
    assert "Supprimer le siège" in response.content.decode()
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert client.post(_url("seat_abolish", bw, seat_id=seat.pk)).status_code == 302
    assert not Seat.objects.filter(pk=seat.pk).exists()


def test_board_at_a_past_date(bw, client_for, woman, man):
    seat = bw.seat(bw.commune)
    first = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=man, start_date=START
    )
    services.mandate_end(by=bw.w.admin, board=bw.board, mandate=first, end_date=date(2025, 6, 30))
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=seat, person=woman, start_date=date(2025, 7, 1)
    )
    client = client_for("auditor")
    past = client.get(_url("board", bw), {"date": "2025-03-01"}).content.decode()
    now = client.get(_url("board", bw)).content.decode()
    assert "Ali Homme" in past and "Aïcha Femme" not in past
    assert "Aïcha Femme" in now and "Ali Homme" not in now.split("Sièges par collège")[1]
    assert "<svg" in now and "style=" not in now.split("<svg")[1].split("</svg>")[0]
    bad = client.get(_url("board", bw), {"date": "hier"})
    assert bad.status_code == 200 and "Date invalide" in bad.content.decode()


def test_rules_page_edit(bw, client_for):
    url = _url("rules", bw)
    assert "Modifier les règles provisoires" in client_for("officer").get(url).content.decode()
    assert (
        "Modifier les règles provisoires" not in client_for("coordinator").get(url).content.decode()
    )
    assert client_for("coordinator").post(url, {}).status_code == 403
    settings = GovernanceSettings.objects.get(partnership=bw.w.a)
    data = {
        f: getattr(settings, f)
        for f in (
            "method",
            "threshold",
            "base",
            "quorum",
            "tie_break",
            "fallback_method",
            "fallback_threshold",
            "fallback_base",
            "fallback_from_round",
            "max_seat_share_per_organization",
            "min_women_share",
            "notice_period_days",
            "max_proxies_per_member",
            "expense_tolerance",
        )
    }
    data |= {
        "min_women_share": "1/2",
        "required_colleges": ["local_public", "associative"],
        "no_dictator": "on",
        "warn_veto": "on",
    }
    response = client_for("officer").post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    settings.refresh_from_db()
    assert settings.min_women_share == "1/2"
    assert settings.required_colleges == ["associative", "local_public"]
    response = client_for("officer").post(url, data | {"quorum": "beaucoup"})
    assert response.status_code == 200 and "Fraction mal formée" in response.content.decode()


def test_history_page(bw, client_for, woman):
    mandate = services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.commune), person=woman, start_date=START
    )
    services.mandate_end(
        by=bw.w.admin,
        board=bw.board,
        mandate=mandate,
        end_date=date(2025, 8, 31),
        reason="Démission",
    )
    html = client_for("treasurer").get(_url("history", bw)).content.decode()
    assert "Aïcha Femme" in html and "Démission" in html and "<svg" in html


# --- The pages' common contract (core.pages) --------------------------------------------------


def test_a_refused_question_shows_why_and_changes_nothing(bw, client_for, woman):
    seat = bw.seat(bw.commune)
    services.mandate_create(by=bw.w.admin, board=bw.board, seat=seat, person=woman,
                            start_date=START)  # fmt: skip
    response = client_for("coordinator").post(_url("seat_abolish", bw, seat_id=seat.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Aïcha Femme" in html
    assert Seat.objects.filter(pk=seat.pk, abolished_on__isnull=True).exists()


def test_college_rename_on_the_colleges_page(bw, client_for):
    college = bw.board.colleges.get(code="private")
    url = _url("college_edit", bw, college_id=college.pk)
    client = client_for("coordinator")
    bad = client.post(url, {f"c{college.pk}-label": "", f"c{college.pk}-order": "-1"})
    assert bad.status_code == 422 and "errorlist" in bad.content.decode()
    assert "Collèges du conseil" in bad.content.decode()  # the colleges page, not a form page
    college.refresh_from_db()
    assert college.label != ""
    good = client.post(url, {f"c{college.pk}-label": "Entreprises", f"c{college.pk}-order": "5"})
    assert good.status_code == 302
    college.refresh_from_db()
    assert (college.label, college.order) == ("Entreprises", 5)
    assert client_for("board_member").post(url, {f"c{college.pk}-label": "X"}).status_code == 403


def test_college_deletion_asks_then_deletes_or_says_why(bw, client_for):
    client = client_for("officer")
    used = bw.board.colleges.get(code="private")  # the company's seat sits in it
    page = client.get(_url("college_edit", bw, college_id=used.pk)).content.decode()
    assert "Supprimer le collège" in page and 'name="delete"' in page
    refused = client.post(_url("college_edit", bw, college_id=used.pk), {"delete": "1"})
    assert refused.status_code == 200 and 'role="alert"' in refused.content.decode()
    assert bw.board.colleges.filter(pk=used.pk).exists()
    client.post(_url("colleges", bw), {"code": "observers", "label": "Observateurs", "order": 9})
    empty = bw.board.colleges.get(code="observers")
    done = client.post(_url("college_edit", bw, college_id=empty.pk), {"delete": "1"})
    assert done.status_code == 302
    assert not bw.board.colleges.filter(pk=empty.pk).exists()


def test_board_create_when_the_board_exists(bw, client_for):
    response = client_for("officer").get(_url("board_create", bw), follow=True)
    assert response.redirect_chain[-1][0] == _url("board", bw)
    assert "a déjà un conseil" in response.content.decode()


def test_officer_end_form_has_no_reason(bw, client_for, woman):
    mandate = services.mandate_create(by=bw.w.admin, board=bw.board, seat=bw.seat(bw.commune),
                                      person=woman, start_date=START)  # fmt: skip
    office = services.officer_appoint(by=bw.w.admin, board=bw.board, mandate=mandate,
                                      role="chair", start_date=START)  # fmt: skip
    url = _url("officer_end", bw, officer_id=office.pk)
    page = client_for("officer").get(url).content.decode()
    assert 'name="end_date"' in page and 'name="reason"' not in page
    assert client_for("officer").post(url, {"end_date": "2025-06-30"}).status_code == 302
    office.refresh_from_db()
    assert office.end_date == date(2025, 6, 30)
