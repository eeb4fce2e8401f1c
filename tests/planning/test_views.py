"""Action plan pages: access per role on every route, forms with field-level errors,
adoption and revision through the pages, exports, the Gantt chart (mirrored in Arabic)."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sharaka.planning import services
from sharaka.planning.models import Activity, BudgetLine, PlanVersion, VersionStatus
from tests.conftest import ROLES
from tests.planning.conftest import PlanWorld, make_decision

pytestmark = pytest.mark.django_db

READERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
CHANGERS = {"admin", "officer", "coordinator"}


@pytest.fixture
def filled(pw: PlanWorld) -> PlanWorld:
    activity = pw.activity("A1.1", responsible_organization=pw.association)
    pw.line(activity, "staff", "Salaires", {2025: 1000, 2026: 2000})
    pw.activity("A1.2")
    return pw


def _urls(pw: PlanWorld) -> tuple[list[str], list[str]]:
    slug, plan, n = pw.w.a.slug, pw.plan.pk, pw.version.number
    activity = Activity.objects.get(version=pw.version, code="A1.1")
    line = BudgetLine.objects.get(activity=activity)
    read = [
        reverse("planning:plan", args=[slug]),
        reverse("planning:plan_detail", args=[slug, plan]),
        reverse("planning:version", args=[slug, plan, n]),
        reverse("planning:print", args=[slug, plan, n]),
        reverse("planning:export_csv", args=[slug, plan, n]),
        reverse("planning:export_xlsx", args=[slug, plan, n]),
    ]
    change = [
        reverse("planning:plan_create", args=[slug]),
        reverse("planning:plan_edit", args=[slug, plan]),
        reverse("planning:adopt", args=[slug, plan, n]),
        reverse("planning:objective_create", args=[slug, plan, n]),
        reverse("planning:activity_create", args=[slug, plan, n]),
        reverse("planning:objective_edit", args=[slug, pw.objective.pk]),
        reverse("planning:objective_delete", args=[slug, pw.objective.pk]),
        reverse("planning:activity_edit", args=[slug, activity.pk]),
        reverse("planning:activity_delete", args=[slug, activity.pk]),
        reverse("planning:activity_progress", args=[slug, activity.pk]),
        reverse("planning:line_create", args=[slug, activity.pk]),
        reverse("planning:line_edit", args=[slug, line.pk]),
        reverse("planning:line_delete", args=[slug, line.pk]),
    ]
    return read, change


@pytest.mark.parametrize("role", [*ROLES, None])
def test_access_per_role_on_every_route(
    filled: PlanWorld, client_for: Any, role: str | None
) -> None:
    read, change = _urls(filled)
    client = client_for(role)
    for url in read + change:
        response = client.get(url)
        if role is None:
            assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
        elif role not in READERS:
            assert response.status_code == 404, (role, url)
        elif url in change and role not in CHANGERS:
            assert response.status_code == 403, (role, url)
        else:
            assert response.status_code == 200, (role, url, response.status_code)


@pytest.mark.parametrize("role", ["coordinator", "board_member", "treasurer", "auditor"])
def test_member_of_a_gets_404_on_b(filled: PlanWorld, client_for: Any, role: str) -> None:
    slug_b = filled.w.b.slug
    client = client_for(role)
    assert client.get(reverse("planning:plan", args=[slug_b])).status_code == 404
    # Objects of A reached through B's address are not found either.
    activity = Activity.objects.get(version=filled.version, code="A1.1")
    url = reverse("planning:activity_edit", args=[slug_b, activity.pk])
    assert client_for("admin").get(url).status_code == 404


def test_tab_lights_up(filled: PlanWorld, client_for: Any) -> None:
    page = client_for("auditor").get(reverse("partnerships:detail", args=[filled.w.a.slug]))
    assert reverse("planning:plan", args=[filled.w.a.slug]) in page.content.decode()


def test_empty_state(world: Any, client_for: Any) -> None:
    html = client_for("coordinator").get(reverse("planning:plan", args=[world.a.slug]))
    assert "pas encore de plan d'action" in html.content.decode()
    assert reverse("planning:plan_create", args=[world.a.slug]) in html.content.decode()
    reader = client_for("auditor").get(reverse("planning:plan", args=[world.a.slug]))
    assert reverse("planning:plan_create", args=[world.a.slug]) not in reader.content.decode()


def test_plan_page_shows_activities_gantt_and_budget(filled: PlanWorld, client_for: Any) -> None:
    html = client_for("auditor").get(reverse("planning:plan", args=[filled.w.a.slug]))
    text = html.content.decode()
    assert "A1.1" in text and "Association Alpha" in text
    assert '<svg class="chart gantt"' in text and "style=" not in text.split("<main")[1]
    assert "3\xa0000,00" in text
    assert "Projet" in text
    # Readers see no change buttons.
    assert reverse("planning:adopt", args=[filled.w.a.slug, filled.plan.pk, 1]) not in text


def test_gantt_is_mirrored_in_arabic(filled: PlanWorld, client_for: Any) -> None:
    client = client_for("auditor")
    url = reverse("planning:plan", args=[filled.w.a.slug])
    ltr = client.get(url, headers={"accept-language": "fr"}).content.decode()
    rtl = client.get(url, headers={"accept-language": "ar"}).content.decode()
    assert 'direction="rtl"' in rtl and 'direction="rtl"' not in ltr


def test_create_plan_with_field_errors(world: Any, client_for: Any) -> None:
    client = client_for("officer")
    url = reverse("planning:plan_create", args=[world.a.slug])
    bad = client.post(
        url, {"title": "Plan", "period_start": "2026-01-01", "period_end": "2025-01-01"}
    )
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()
    good = client.post(
        url, {"title": "Plan", "period_start": "2025-01-01", "period_end": "2026-12-31"}
    )
    assert good.status_code == 302
    assert PlanVersion.objects.filter(plan__partnership=world.a, number=1).exists()


def test_activity_form_shows_the_rule_on_the_field(filled: PlanWorld, client_for: Any) -> None:
    client = client_for("coordinator")
    url = reverse("planning:activity_create", args=[filled.w.a.slug, filled.plan.pk, 1])
    response = client.post(
        url,
        {
            "objective": filled.objective.pk,
            "code": "A1.1",
            "title": "Doublon",
            "start_date": "2025-01-01",
            "end_date": "2025-02-01",
            "status": "planned",
            "progress": 0,
        },
    )
    assert response.status_code == 200
    assert "déjà utilisé" in response.content.decode()
    response = client.post(
        url,
        {
            "objective": filled.objective.pk,
            "code": "A1.3",
            "title": "Hors période",
            "start_date": "2024-01-01",
            "end_date": "2025-02-01",
            "status": "planned",
            "progress": 0,
        },
    )
    assert "période du plan" in response.content.decode()
    response = client.post(
        url,
        {
            "objective": filled.objective.pk,
            "code": "A1.3",
            "title": "Bonne",
            "start_date": "2025-01-01",
            "end_date": "2025-02-01",
            "status": "planned",
            "progress": 0,
        },
    )
    assert response.status_code == 302
    assert Activity.objects.filter(version=filled.version, code="A1.3").exists()


def test_line_form(filled: PlanWorld, client_for: Any) -> None:
    activity = Activity.objects.get(version=filled.version, code="A1.2")
    url = reverse("planning:line_create", args=[filled.w.a.slug, activity.pk])
    client = client_for("coordinator")
    assert "amount_2027" in client.get(url).content.decode()
    response = client.post(url, {"category": "equipment", "label": "", "amount_2025": "-3"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"category": "equipment", "label": "", "amount_2026": "300.5"})
    assert response.status_code == 302
    assert BudgetLine.objects.get(activity=activity).total == 300.5


def test_adopt_and_revise_through_the_pages(filled: PlanWorld, client_for: Any) -> None:
    slug, plan = filled.w.a.slug, filled.plan.pk
    client = client_for("coordinator")
    other_kind = make_decision(filled.w.a, "other")
    decision = make_decision(filled.w.a, "action_plan_adoption", on=date(2025, 3, 1))
    page = client.get(reverse("planning:adopt", args=[slug, plan, 1])).content.decode()
    assert decision.number in page and other_kind.number not in page
    response = client.post(
        reverse("planning:adopt", args=[slug, plan, 1]), {"decision": decision.pk}
    )
    assert response.status_code == 302
    assert PlanVersion.objects.get(pk=filled.version.pk).status == VersionStatus.ADOPTED
    html = client.get(reverse("planning:plan", args=[slug])).content.decode()
    assert decision.number in html and "Réviser le plan" in html
    confirm = client.get(reverse("planning:revise", args=[slug, plan, 1]))
    assert confirm.status_code == 200 and "Confirmation" in confirm.content.decode()
    response = client.post(reverse("planning:revise", args=[slug, plan, 1]), {"note": "2026"})
    assert response["Location"].endswith(reverse("planning:version", args=[slug, plan, 2]))
    assert PlanVersion.objects.get(plan_id=plan, number=2).status == VersionStatus.DRAFT
    discard = reverse("planning:discard", args=[slug, plan, 2])
    assert "Confirmation" in client.get(discard).content.decode()
    client.post(discard)
    assert not PlanVersion.objects.filter(plan_id=plan, number=2).exists()


def test_delete_needs_a_confirmation(filled: PlanWorld, client_for: Any) -> None:
    activity = Activity.objects.get(version=filled.version, code="A1.2")
    url = reverse("planning:activity_delete", args=[filled.w.a.slug, activity.pk])
    client = client_for("coordinator")
    page = client.get(url)
    assert "Confirmation" in page.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    client.post(url)
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_adopted_version_offers_no_editing(filled: PlanWorld, client_for: Any) -> None:
    filled.adopt()
    activity = Activity.objects.get(version=filled.version, code="A1.1")
    client = client_for("coordinator")
    html = client.get(reverse("planning:plan", args=[filled.w.a.slug])).content.decode()
    assert reverse("planning:activity_edit", args=[filled.w.a.slug, activity.pk]) not in html
    assert reverse("planning:activity_progress", args=[filled.w.a.slug, activity.pk]) in html
    response = client.post(
        reverse("planning:activity_edit", args=[filled.w.a.slug, activity.pk]),
        {
            "objective": filled.objective.pk,
            "code": "A1.1",
            "title": "X",
            "start_date": "2025-01-01",
            "end_date": "2025-02-01",
            "status": "planned",
            "progress": 0,
        },
    )
    assert response.status_code == 200 and "ne change plus" in response.content.decode()
    response = client.post(
        reverse("planning:activity_progress", args=[filled.w.a.slug, activity.pk]),
        {"status": "in_progress", "progress": 35},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.progress == 35


# --- Exports ---------------------------------------------------------------------------------


def test_csv_export_parses_back(filled: PlanWorld, client_for: Any) -> None:
    url = reverse("planning:export_csv", args=[filled.w.a.slug, filled.plan.pk, 1])
    response = client_for("treasurer").get(url)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    # French: semicolons and decimal commas, as a French spreadsheet reads numbers (issue 20)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Objectif", "Code", "Activité"]
    assert "2025 (MAD)" in header and "2027 (MAD)" in header
    by_code = {row[1]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_code) == {"A1.1", "A1.2"}
    assert by_code["A1.1"]["2025 (MAD)"] == "1000,00"
    assert by_code["A1.1"]["Total (MAD)"] == "3000,00"
    assert by_code["A1.1"]["Responsable"] == "Association Alpha"


def test_csv_export_neutralises_formulas(filled: PlanWorld, client_for: Any) -> None:
    filled.activity("A1.3", title='=HYPERLINK("http://x")')
    url = reverse("planning:export_csv", args=[filled.w.a.slug, filled.plan.pk, 1])
    text = client_for("admin").get(url).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_xlsx_export_reopens(filled: PlanWorld, client_for: Any) -> None:
    from openpyxl import load_workbook

    filled.activity("A1.3", title="=1+1")
    url = reverse("planning:export_xlsx", args=[filled.w.a.slug, filled.plan.pk, 1])
    response = client_for("auditor").get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Activités", "Budget"]
    activities = list(workbook["Activités"].iter_rows(values_only=True))
    assert activities[0][1] == "Code"
    codes = [row[1] for row in activities[1:]]
    assert codes == ["A1.1", "A1.2", "A1.3"]
    assert "=1+1" in [row[2] for row in activities[1:]]
    assert workbook["Activités"]["C4"].data_type == "s"  # text, not a formula
    budget = list(workbook["Budget"].iter_rows(values_only=True))
    assert budget[1][0] == "A1.1" and float(budget[1][4]) == 1000.0


def test_print_view(filled: PlanWorld, client_for: Any) -> None:
    url = reverse("planning:print", args=[filled.w.a.slug, filled.plan.pk, 1])
    text = client_for("board_member").get(url).content.decode()
    assert "Calendrier" in text and 'class="tabs"' not in text and "A1.1" in text


def test_anonymous_export_is_redirected(filled: PlanWorld) -> None:
    url = reverse("planning:export_csv", args=[filled.w.a.slug, filled.plan.pk, 1])
    assert Client().get(url).status_code == 302


def test_revision_service_keeps_the_plan_for_the_url(filled: PlanWorld) -> None:
    filled.adopt()
    draft = services.plan_version_revise(by=filled.w.coordinator, version=filled.version)
    assert draft.plan_id == filled.plan.pk


# --- The pages' common contract (core.pages) and view models --------------------------------


def test_a_refused_question_shows_why_and_changes_nothing(pw: PlanWorld, client_for: Any) -> None:
    """Discarding the first version is refused: the confirm page says why, nothing goes."""
    url = reverse("planning:discard", args=[pw.w.a.slug, pw.plan.pk, 1])
    response = client_for("coordinator").post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "abandonne pas" in html
    assert PlanVersion.objects.filter(pk=pw.version.pk).exists()


def test_a_used_decision_cannot_adopt_again(filled: PlanWorld, client_for: Any) -> None:
    """Adopting with a decision that adopted another version is refused on the form."""
    decision = make_decision(filled.w.a, "action_plan_adoption")
    services.plan_version_adopt(by=filled.w.coordinator, version=filled.version,
                                decision=decision)  # fmt: skip
    draft = services.plan_version_revise(by=filled.w.coordinator, version=filled.version)
    url = reverse("planning:adopt", args=[filled.w.a.slug, filled.plan.pk, draft.number])
    response = client_for("coordinator").post(url, {"decision": decision.pk})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert PlanVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_revise_goes_to_the_new_draft_with_its_number(filled: PlanWorld, client_for: Any) -> None:
    filled.adopt()
    client = client_for("coordinator")
    url = reverse("planning:revise", args=[filled.w.a.slug, filled.plan.pk, 1])
    response = client.post(url, {"note": "Révision"}, follow=True)
    assert response.redirect_chain[-1][0].endswith(
        reverse("planning:version", args=[filled.w.a.slug, filled.plan.pk, 2])
    )
    assert "version 2" in response.content.decode()


def test_plan_page_view_model(pw: PlanWorld, world: Any) -> None:
    from sharaka.core.errors import NotFound
    from sharaka.planning import selectors

    empty = selectors.plan_page_view_get(partnership=world.b)
    assert empty.plans == [] and empty.view is None
    page = selectors.plan_page_view_get(partnership=world.a, plan_id=pw.plan.pk, number=1)
    assert page.view is not None and page.view.version.pk == pw.version.pk
    assert [p.pk for p in page.plans] == [pw.plan.pk]
    with pytest.raises(NotFound):
        selectors.plan_page_view_get(partnership=world.a, plan_id=pw.plan.pk, number=9)


def test_new_plan_and_objective_initial_values(pw: PlanWorld, world: Any) -> None:
    from sharaka.planning import selectors

    assert selectors.new_plan_initial(partnership=world.a) == {}  # A already has a plan
    world.b.start_date, world.b.end_date = date(2026, 1, 1), date(2028, 12, 31)
    assert selectors.new_plan_initial(partnership=world.b) == {
        "period_start": date(2026, 1, 1), "period_end": date(2028, 12, 31)}  # fmt: skip
    assert selectors.new_objective_initial(version=pw.version) == {"position": 2, "code": "O2"}
