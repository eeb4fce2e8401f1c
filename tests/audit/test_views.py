"""The pre-audit checks page and its button: each route for each role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sharaka.audit import tasks
from sharaka.audit.models import CheckRun, Trigger
from sharaka.partnerships.models import Partnership
from tests.audit.conftest import FinWorld
from tests.conftest import ROLES

READERS = {"admin", "officer", "coordinator", "treasurer", "auditor"}
RUNNERS = {"admin", "officer", "coordinator", "auditor"}
SEE_PARTNERSHIP = READERS | {"board_member"}


def url(name: str) -> str:
    return reverse(f"audit:{name}", kwargs={"slug": "partenariat-a"})


def expected(role: str, allowed: set[str]) -> int:
    if role in allowed:
        return 200
    return 403 if role in SEE_PARTNERSHIP else 404


@pytest.mark.parametrize("role", ROLES)
def test_the_page_per_role(fw: FinWorld, client_for: Any, role: str) -> None:
    response = client_for(role).get(url("checks"))
    assert response.status_code == expected(role, READERS)
    if response.status_code == 200:
        html = response.content.decode()
        assert ("Lancer les contrôles maintenant" in html) == (role in RUNNERS)


@pytest.mark.parametrize("role", ROLES)
def test_running_the_checks_per_role(fw: FinWorld, client_for: Any, role: str) -> None:
    fw.record(document=False)
    client = client_for(role)
    assert client.get(url("run")).status_code == expected(role, RUNNERS)
    response = client.post(url("run"))
    if role in RUNNERS:
        assert response.status_code == 302 and response["Location"] == url("checks")
        run = CheckRun.objects.get()
        assert run.trigger == Trigger.USER and run.run_by == fw.w.user(role)
        assert run.counts == {"expense_missing_receipt": 1, "minutes_not_signed_in_time": 1}
    else:
        assert response.status_code == expected(role, RUNNERS)
        assert not CheckRun.objects.exists()


def test_anonymous_is_sent_to_sign_in(fw: FinWorld, client_for: Any) -> None:
    assert client_for(None).get(url("checks")).status_code == 302
    assert client_for(None).post(url("run")).status_code == 302
    assert not CheckRun.objects.exists()


def test_the_page_lists_the_last_run_by_severity_with_links(fw: FinWorld, client_for: Any) -> None:
    bare = fw.record(document=False)
    fw.record("1000.01", reference="F-1")
    fw.record("1000.00", reference="F-1", line=fw.staff2)
    fw.record("1000.00", reference="F-1", line=fw.staff2, confirm_duplicate=True)
    client = client_for("auditor")
    page = client.get(url("checks")).content.decode()
    assert "pas encore été exécutés" in page
    client.post(url("run"))
    page = client.get(url("checks")).content.decode()
    assert "Élevée" in page and "Moyenne" in page
    assert page.index("Élevée") < page.index("Moyenne")  # most serious first
    assert "Dépassement de ligne non autorisé" in page
    assert reverse("finance:expense", kwargs={"slug": "partenariat-a", "pk": bare.pk}) in page
    assert "Doublon possible" in page and "Loi organique 113-14, art. 116" in page
    assert 'aria-current="page"' in page and ' style="' not in page
    finance = client.get(reverse("finance:summary", kwargs={"slug": "partenariat-a"}))
    assert url("checks") in finance.content.decode()  # the finance tab links to it


def test_the_page_in_english(fw: FinWorld, client_for: Any) -> None:
    fw.record(document=False)
    client = client_for("coordinator")
    client.post(url("run"))
    page = client.get(url("checks"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Pre-audit checks" in page and "Supporting document missing" in page


def test_the_page_queries_do_not_grow_with_the_findings(
    fw: FinWorld, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("auditor")
    fw.record(document=False)
    client.post(url("run"))
    with django_assert_max_num_queries(30) as captured:
        client.get(url("checks"))
    first = len(captured.captured_queries)
    for _ in range(8):
        fw.record(document=False, reference="D", confirm_duplicate=True)
    client.post(url("run"))
    with django_assert_max_num_queries(first):
        client.get(url("checks"))


def test_a_large_partnership_is_checked_on_the_queue(
    fw: FinWorld, client_for: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(tasks, "INLINE_EXPENSES", 0)
    fw.record(document=False)
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("run"), follow=True)
    assert "en tâche de fond" in response.content.decode()
    run = CheckRun.objects.get()
    assert run.run_by == fw.w.coordinator and run.finding_count == 2


def test_an_auditor_still_runs_them_on_a_terminated_partnership(
    fw: FinWorld, client_for: Any
) -> None:
    Partnership.objects.filter(pk=fw.w.a.pk).update(status="terminated")
    response = client_for("auditor").post(url("run"))
    assert response.status_code == 302
    assert CheckRun.objects.count() == 1
