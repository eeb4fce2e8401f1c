from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from sharaka.finance.models import Expense
from tests.conftest import ROLES
from tests.finance.conftest import FinWorld, csv_file

VIEWERS = {"admin", "officer", "coordinator", "board_member", "treasurer", "auditor"}
RECORDERS = {"admin", "officer", "coordinator", "treasurer"}


def url(name: str, **kw: Any) -> str:
    return reverse(f"finance:{name}", kwargs={"slug": "partenariat-a", **kw})


@pytest.mark.parametrize("role", ROLES)
def test_read_pages_per_role(fw: FinWorld, client_for: Any, role: str) -> None:
    expense = fw.record()
    client = client_for(role)
    for name, kw in [
        ("summary", {}),
        ("contributions", {}),
        ("expenses", {}),
        ("expense", {"pk": expense.pk}),
    ]:
        response = client.get(url(name, **kw))
        assert response.status_code == (200 if role in VIEWERS else 404), (name, role)
    response = client.get(url("expense_create"))
    expected = 200 if role in RECORDERS else 403 if role in VIEWERS else 404
    assert response.status_code == expected
    response = client.get(url("export_xlsx"))
    expected = 403 if role == "board_member" else 200 if role in VIEWERS else 404
    assert response.status_code == expected


def test_anonymous_is_sent_to_sign_in(fw: FinWorld, client_for: Any) -> None:
    response = client_for(None).get(url("summary"))
    assert response.status_code == 302


def test_summary_shows_budget_chart_and_tab(fw: FinWorld, client_for: Any) -> None:
    fw.record("1200.00")
    response = client_for("coordinator").get(url("summary"))
    html = response.content.decode()
    assert "budget-chart" in html and "A1.1" in html
    assert "Dépassements en attente" in html
    assert 'aria-current="page"' in html
    assert ' style="' not in html


def test_record_expense_through_the_page_and_see_the_control(fw: FinWorld, client_for: Any) -> None:
    client = client_for("coordinator")
    data = {
        "date": "2025-07-20",
        "amount": "50",
        "currency": "MAD",
        "supplier": "S",
        "line": fw.staff.pk,
    }
    response = client.post(url("expense_create"), data)
    assert response.status_code == 200
    assert "hors de la période de l&#x27;activité A1.1" in response.content.decode()
    assert Expense.objects.count() == 0
    data["date"] = "2025-04-20"
    response = client.post(url("expense_create"), data)
    assert response.status_code == 302
    assert Expense.objects.count() == 1


def test_workflow_pages_confirm_before_acting(fw: FinWorld, client_for: Any) -> None:
    expense = fw.record(by=fw.w.coordinator)
    client_for("officer").post(url("expense_step", pk=expense.pk, step="check"))
    treasurer = client_for("treasurer")
    page = treasurer.get(url("expense_step", pk=expense.pk, step="approve"))
    assert "ne pourra plus être modifiée" in page.content.decode()
    assert Expense.objects.get(pk=expense.pk).status == "checked"
    treasurer.post(url("expense_step", pk=expense.pk, step="approve"))
    assert Expense.objects.get(pk=expense.pk).status == "approved"
    response = treasurer.post(url("expense_reverse", pk=expense.pk), {"reason": "doublon"})
    assert response.status_code == 302
    assert Expense.objects.filter(reverses=expense).exists()
    refused = client_for("coordinator").post(url("expense_step", pk=expense.pk, step="approve"))
    assert refused.status_code == 403


def test_contribution_form(fw: FinWorld, client_for: Any) -> None:
    client = client_for("treasurer")
    response = client.post(
        url("contribution_create"),
        {
            "organization": fw.pw.association.pk,
            "year": 2025,
            "kind": "cash",
            "pledged": "10",
            "received": "5",
            "currency": "MAD",
        },
    )
    assert response.status_code == 302
    assert "Association Alpha" in client.get(url("contributions")).content.decode()


def test_import_page_good_and_bad(fw: FinWorld, client_for: Any) -> None:
    client = client_for("coordinator")
    header = "date,amount,currency,supplier,reference,activity_code,line,description"
    good = f"{header}\n2025-04-01,10,MAD,S,R,A1.1,staff,d\n"
    upload = csv_file([])
    upload.name = "f.csv"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(url("import"), {"file": SimpleUploadedFile("f.csv", good.encode())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 dépenses importées" in page or "dépenses importées" in page
    bad = good + "2025-04-01,abc,MAD,S,R,A1.1,staff,d\n"
    response = client.post(url("import"), {"file": SimpleUploadedFile("g.csv", bad.encode())})
    page = client.get(response["Location"]).content.decode()
    assert "ligne 3, colonne amount" in page
    assert Expense.objects.count() == 1
    template = client.get(url("import_template")).content.decode()
    assert template.startswith("\ufeff" + header)  # a byte-order mark for Excel


def test_other_partnership_is_404(fw: FinWorld, client_for: Any) -> None:
    response = client_for("other_officer").get(url("summary"))
    assert response.status_code == 404
    assert date(2025, 1, 1)


def test_overrun_message_gives_amounts_in_the_readers_format(fw: FinWorld, client_for: Any) -> None:
    from django.utils import translation

    from sharaka.finance import services

    fw.approved("1000.00")  # line planned 1000, tolerance 10 %: ceiling 1100
    fw.approved("100.00")
    services.expense_check(by=fw.w.coordinator, expense=fw.record("50.00"))
    with translation.override("ar"):
        text = client_for("coordinator").get(url("summary"), HTTP_ACCEPT_LANGUAGE="ar")
        page = text.content.decode()
    assert "فوق السقف البالغ" in page
    before, after = page.replace("\xa0", " ").split("فوق السقف البالغ", 1)
    line = before.rsplit("<li>", 1)[-1] + after[:80]
    assert "1.100,00 درهم" in line and "50,00 درهم" in line, line
    assert "MAD" not in line


def test_budget_chart_mirrors_itself_in_arabic_and_keeps_its_anchors() -> None:
    """In Arabic the labels sit on the right and the bars grow leftwards; the SVG says
    ``direction="ltr"`` so the page's right-to-left direction does not flip the text anchors
    a second time (the labels ran into the bars)."""
    import re
    from decimal import Decimal

    from sharaka.finance.charts import LABEL_WIDTH, WIDTH, budget_bars

    rows = [("A1.1 Extension des horaires", Decimal(100), Decimal(10), Decimal(20))]
    svg = budget_bars(rows, title="t", rtl=True)
    assert 'direction="ltr"' in svg
    label = re.search(r'<text x="([\d.]+)" y="\d+" font-size="12" text-anchor="(\w+)">A1\.1', svg)
    assert label and float(label[1]) == WIDTH - LABEL_WIDTH and label[2] == "start"
    bars = [
        float(x) + float(w)
        for x, w in re.findall(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="22"', svg)
    ]
    assert bars and max(bars) <= WIDTH - LABEL_WIDTH  # every bar ends before the labels
