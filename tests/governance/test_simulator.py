"""The what-if simulator: an htmx partial that saves nothing, then "apply" with confirmation."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sharaka.governance import services
from sharaka.governance.models import GovernanceSettings, Mandate, Seat
from tests.governance.conftest import START


def _form(bw, rows: list[tuple[Any, str, int, int]], **rule: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"rows-TOTAL_FORMS": len(rows), "rows-INITIAL_FORMS": 0}
    for i, (org, college, voting, advisory) in enumerate(rows):
        data |= {
            f"rows-{i}-organization": "experts" if org is None else org.pk,
            f"rows-{i}-college": college,
            f"rows-{i}-voting": voting,
            f"rows-{i}-advisory": advisory,
        }
    rule_fields = {
        "method": "consensus",
        "threshold": "2/3",
        "base": "present",
        "quorum": "1/2",
        "fallback_method": "qualified",
        "fallback_threshold": "2/3",
        "fallback_base": "present",
        "fallback_from_round": 2,
    } | rule
    data |= {f"rule-{k}": v for k, v in rule_fields.items()}
    return data


def _current(bw) -> list[tuple[Any, str, int, int]]:
    return [
        (bw.commune, "local_public", 2, 0),
        (bw.association, "associative", 2, 0),
        (bw.company, "private", 1, 0),
        (None, "experts", 0, 1),
    ]


def _snapshot() -> tuple[int, int, int, int]:
    return (
        Seat.objects.count(),
        Seat.history.count(),
        Mandate.objects.count(),
        GovernanceSettings.history.count(),
    )


def _url(bw, name: str) -> str:
    return reverse(f"governance:{name}", kwargs={"slug": bw.w.a.slug})


def test_simulation_partial_saves_nothing(bw, client_for):
    before = _snapshot()
    rows = _current(bw)
    rows[0] = (bw.commune, "local_public", 6, 0)  # the commune takes 6 of 9 seats
    response = client_for("board_member").post(
        _url(bw, "simulate"), _form(bw, rows), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "Résultat de la simulation" in html
    assert "détient 6 sièges sur 9" in html  # the engine's sentence, with the display name
    assert "Commune A" in html
    assert "2 → 6 sièges votants" in html
    assert _snapshot() == before


def test_simulation_of_the_decision_rule(bw, client_for):
    response = client_for("officer").post(
        _url(bw, "simulate"),
        _form(bw, _current(bw), method="absolute", fallback_method=""),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "majorité absolue" in html and "Règle de décision" in html
    assert "Banzhaf" in html


def test_simulation_with_bad_input_says_why(bw, client_for):
    rows = [*_current(bw), (None, "experts", 2, 0)]  # independent experts cannot vote
    response = client_for("admin").post(
        _url(bw, "simulate"), _form(bw, rows, quorum="2"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ne peut pas être calculée" in html
    assert "voix consultative seulement" in html
    assert "entre 0 (exclu) et 1" in html


def test_simulation_without_htmx_renders_the_whole_page(bw, client_for):
    response = client_for("auditor").post(_url(bw, "simulate"), _form(bw, _current(bw)))
    html = response.content.decode()
    assert "<html" in html and "Aucun changement par rapport" in html


def test_simulation_requires_the_board_view_permission(bw, client_for):
    data = _form(bw, _current(bw))
    assert client_for("outsider").post(_url(bw, "simulate"), data).status_code == 404
    assert client_for(None).post(_url(bw, "simulate"), data).status_code == 302
    assert client_for("admin").get(_url(bw, "simulate")).status_code == 405


def test_apply_asks_for_confirmation_then_saves(bw, client_for):
    rows = _current(bw)
    rows[1] = (bw.association, "associative", 3, 0)
    client = client_for("coordinator")
    before = _snapshot()
    confirm = client.post(_url(bw, "simulate_apply"), _form(bw, rows))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Enregistrer cette composition" in html
    assert 'name="confirm" value="1"' in html
    assert _snapshot() == before
    done = client.post(_url(bw, "simulate_apply"), _form(bw, rows) | {"confirm": "1"})
    assert done.status_code == 302
    assert len(bw.seats(bw.association)) == 3


def test_apply_with_a_rule_change(bw, client_for):
    data = _form(bw, _current(bw), method="absolute", fallback_method="") | {"confirm": "1"}
    # the coordinator changes compositions, not rules: nothing to save
    response = client_for("coordinator").post(_url(bw, "simulate_apply"), data)
    assert "ne sera pas enregistrée" in response.content.decode()
    assert GovernanceSettings.objects.get(partnership=bw.w.a).method == "consensus"
    # the authority officer may change the interim rules
    response = client_for("officer").post(_url(bw, "simulate_apply"), data)
    assert response.status_code == 302
    settings = GovernanceSettings.objects.get(partnership=bw.w.a)
    assert settings.method == "absolute" and settings.fallback_method == ""


def test_apply_refuses_removing_an_occupied_seat(bw, client_for, woman):
    services.mandate_create(
        by=bw.w.admin, board=bw.board, seat=bw.seat(bw.company), person=woman, start_date=START
    )
    rows = _current(bw)
    rows[2] = (bw.company, "private", 0, 0)
    response = client_for("admin").post(
        _url(bw, "simulate_apply"), _form(bw, rows) | {"confirm": "1"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aïcha Femme" in html and "mettez d'abord fin à son mandat" in html
    assert len(bw.seats(bw.company)) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [("board_member", 403), ("treasurer", 403), ("other_officer", 404), (None, 302)],
)
def test_apply_refused_per_role(bw, client_for, role, status):
    rows = _current(bw)
    rows[1] = (bw.association, "associative", 3, 0)
    before = _snapshot()
    response = client_for(role).post(_url(bw, "simulate_apply"), _form(bw, rows) | {"confirm": "1"})
    assert response.status_code == status
    assert _snapshot() == before


def test_apply_with_nothing_to_save_offers_no_button(bw, client_for):
    before = _snapshot()
    client = client_for("coordinator")
    response = client.post(_url(bw, "simulate_apply"), _form(bw, _current(bw)) | {"confirm": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "rien à enregistrer" in html and 'name="confirm"' not in html
    assert _snapshot() == before


def test_application_saves_a_rule_only_for_who_may(bw, world):
    from sharaka.governance import composition, selectors, simulation
    from sharaka.governance.rules.values import Method, Rule

    comp = selectors.composition_get(partnership=world.a)
    outcome = simulation.outcome_get(
        partnership=world.a, comp=comp, target=composition.counts_of(comp.seat_states),
        rule=Rule(method=Method.ABSOLUTE), rule_fields={"method": "absolute"},
    )  # fmt: skip
    assert outcome.changes == [] and not outcome.plan.changed and outcome.rule_changed
    officer = simulation.application_get(user=world.officer, partnership=world.a,
                                         rules=comp.rules, outcome=outcome)  # fmt: skip
    assert officer.rule_fields == {"method": "absolute"} and not officer.nothing
    coordinator = simulation.application_get(user=world.coordinator, partnership=world.a,
                                             rules=comp.rules, outcome=outcome)  # fmt: skip
    assert coordinator.rule_fields is None and coordinator.nothing
    assert "ne sera pas enregistrée" in coordinator.rule_note
