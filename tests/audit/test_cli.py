"""``sharaka audit check SLUG [--json]`` and its exit status."""

from __future__ import annotations

import json
from typing import Any

from sharaka.audit.models import CheckRun, Trigger
from sharaka.cli import main
from tests.audit.conftest import FinWorld


def test_no_finding_exits_0(fw: FinWorld, capsys: Any) -> None:
    assert main(["audit", "check", "partenariat-b"]) == 0
    assert "0 finding(s)" in capsys.readouterr().out
    assert main(["audit", "check", "partenariat-b", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_findings_exit_1_and_print_as_json(fw: FinWorld, capsys: Any) -> None:
    bare = fw.record(document=False)
    assert main(["audit", "check", "partenariat-a", "--json"]) == 1
    items = json.loads(capsys.readouterr().out)
    receipt = next(i for i in items if i["code"] == "expense_missing_receipt")
    assert receipt["severity"] == "medium"
    assert receipt["records"] == [{"type": "expense", "id": bare.pk}]
    assert "pièce justificative" in receipt["message"]
    assert all(set(i) >= {"code", "severity", "message", "records"} for i in items)
    assert main(["audit", "check", "partenariat-a"]) == 1
    out = capsys.readouterr().out
    assert f"expense:{bare.pk}" in out and "expense_missing_receipt" in out
    assert CheckRun.objects.filter(trigger=Trigger.COMMAND).count() == 2


def test_an_unknown_partnership_exits_2_with_one_line(fw: FinWorld, capsys: Any) -> None:
    assert main(["audit", "check", "nope"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "nope" in err
    assert not CheckRun.objects.exists()


def test_usage_errors_exit_2(capsys: Any) -> None:
    for argv in (["audit"], ["audit", "check"], ["audit", "verify", "x"]):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code  # type: ignore[assignment]
        assert code == 2
    capsys.readouterr()
