"""``sharaka rules progress|allocate|deadline``: the contract's examples and every bad input
named by it (exit 2, one line naming the field, nothing on stdout, never a traceback)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharaka import cli as sharaka_cli
from sharaka.core.rules import cli

ALLOCATE = {"amount": "-12345.67", "minor_units": 2, "method": "largest_remainder",
            "keys": [{"id": "commune-oz", "key": "3"}, {"id": "amal", "key": "1"}]}  # fmt: skip
DEADLINE = {"start": "2027-01-05", "count": 20, "unit": "working_days",
            "weekend": ["saturday", "sunday"], "holidays": ["2027-01-11"],
            "roll": "none"}  # fmt: skip
PROGRESS = {"direction": "ascending",
            "baseline": {"date": "2025-01-01", "value": "10"},
            "target": {"date": "2027-12-31", "value": "40"},
            "actual": {"date": "2026-06-30", "value": "22"},
            "thresholds": {"on_track": "9/10", "at_risk": "3/5"}}  # fmt: skip
VALID: dict[str, dict[str, Any]] = {
    "allocate": ALLOCATE, "deadline": DEADLINE, "progress": PROGRESS,
}  # fmt: skip


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def run_doc(command: str, document: Any) -> tuple[int, str, str]:
    return run([command, "-"], json.dumps(document))


def test_contract_examples(tmp_path: Path) -> None:
    code, out, err = run_doc("allocate", ALLOCATE)
    assert code == 0 and err == ""
    assert json.loads(out) == {
        "shares": [
            {"id": "commune-oz", "amount": "-9259.25"},
            {"id": "amal", "amount": "-3086.42"},
        ],
        "total": "-12345.67",
    }
    path = tmp_path / "deadline.json"
    path.write_text(json.dumps(DEADLINE), encoding="utf-8")
    code, out, _ = run(["deadline", str(path)])
    assert code == 0 and json.loads(out) == {"due": "2027-02-03"}
    code, out, _ = run(["progress"], json.dumps(PROGRESS))
    result = json.loads(out)
    assert code == 0 and result["status"] == "at_risk" and result["achieved"] == 0.4
    assert f"{result['elapsed']:.9f}" == "0.498171846"


def test_through_the_sharaka_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sharaka", "rules", "allocate"], input=json.dumps(ALLOCATE),
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == "-12345.67"
    bad = subprocess.run(
        [sys.executable, "-m", "sharaka", "rules", "deadline", "-"], input='{"start": "x"}',
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr == "sharaka rules: start: must be a date YYYY-MM-DD\n"


def test_dispatch_keeps_the_governance_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert sharaka_cli._rules(["--help"]) == 0
    assert "progress|allocate|deadline" in capsys.readouterr().out
    assert sharaka_cli.main(["rules", "nope"]) == 2
    assert capsys.readouterr().err.startswith("usage: sharaka rules tally|power|balance")
    assert sharaka_cli.main(["rules"]) == 2


@pytest.mark.parametrize(
    ("command", "change", "message"),
    [
        # allocate
        ("allocate", {"amount": "1.234"}, "amount: has more than 2 decimals"),
        ("allocate", {"amount": "12.5", "minor_units": 0}, "amount: has more than 0 decimals"),
        ("allocate", {"amount": "abc"}, "amount: not a decimal number"),
        ("allocate", {"amount": "NaN"}, "amount: not a finite decimal number"),
        ("allocate", {"amount": 1.5}, "amount: must be a decimal string"),
        ("allocate", {"amount": None}, "amount: must be a decimal string"),
        ("allocate", {"minor_units": -1}, "minor_units: must be between 0 and 8"),
        ("allocate", {"minor_units": "2"}, "minor_units: must be a whole number"),
        ("allocate", {"method": "equal"}, "method: must be one of largest_remainder, lead"),
        ("allocate", {"keys": []}, "keys: must be a non-empty list"),
        ("allocate", {"keys": [{"id": "a", "key": "-1"}, {"id": "b", "key": "2"}]},
         "keys[0].key: must not be negative"),
        ("allocate", {"keys": [{"id": "a", "key": "0"}]},
         "keys: the keys must have a positive sum"),
        ("allocate", {"keys": [{"id": "a", "key": "1"}, {"id": "a", "key": "2"}]},
         "keys[1].id: duplicate id 'a'"),
        ("allocate", {"keys": [{"id": "", "key": "1"}]}, "keys[0].id: must be a non-empty string"),
        ("allocate", {"keys": [{"key": "1"}]}, "keys[0].id: is required"),
        ("allocate", {"keys": ["a"]}, "keys[0]: must be a JSON object"),
        ("allocate", {"method": "lead"}, "lead: is required"),
        ("allocate", {"method": "lead", "lead": "nobody"},
         "lead: must be the id of one of the keys"),
        ("allocate", {"lead": "amal"}, "lead: only with method lead"),
        ("allocate", {"share": "x"}, "share: unknown field"),
        # deadline
        ("deadline", {"start": "2027-02-30"}, "start: not a valid date YYYY-MM-DD"),
        ("deadline", {"start": 20270105}, "start: must be a date YYYY-MM-DD"),
        ("deadline", {"count": -1}, "count: must be between 0 and 100000"),
        ("deadline", {"count": 2.5}, "count: must be a whole number"),
        ("deadline", {"count": True}, "count: must be a whole number"),
        ("deadline", {"unit": "hours"}, "unit: must be one of working_days, calendar_days"),
        ("deadline", {"weekend": ["samedi"]}, "weekend[0]: must be one of monday"),
        ("deadline", {"weekend": "sunday"}, "weekend: must be a list of day names"),
        ("deadline", {"weekend": ["monday", "tuesday", "wednesday", "thursday", "friday",
                                  "saturday", "sunday"]},
         "weekend: every day of the week is a weekend day"),
        ("deadline", {"holidays": ["2027-13-01"]}, "holidays[0]: not a valid date"),
        ("deadline", {"holidays": "2027-01-11"}, "holidays: must be a list of dates"),
        ("deadline", {"roll": "previous"}, "roll: must be one of none, next_working_day"),
        ("deadline", {"start": "9999-12-30", "count": 5}, "count: the due date falls after"),
        # progress
        ("progress", {"direction": "up"}, "direction: must be one of ascending, descending"),
        ("progress", {"target": {"date": "2027-12-31", "value": "5"}},
         "target.value: must be above the baseline value (ascending)"),
        ("progress", {"target": {"date": "2027-12-31", "value": "10"}},
         "target.value: must be above the baseline value (ascending)"),
        ("progress", {"direction": "descending"},
         "target.value: must be below the baseline value (descending)"),
        ("progress", {"target": {"date": "2025-01-01", "value": "40"}},
         "target.date: must be after the baseline date"),
        ("progress", {"actual": {"date": "2024-12-31", "value": "22"}},
         "actual.date: must not be before the baseline date"),
        ("progress", {"actual": {"date": "2026-06-30"}}, "actual.value: is required"),
        ("progress", {"baseline": "10"}, "baseline: must be a JSON object"),
        ("progress", {"thresholds": {"on_track": "1/2", "at_risk": "3/5"}},
         "thresholds: on_track must be at least at_risk"),
        ("progress", {"thresholds": {"on_track": "1/0"}},
         "thresholds.on_track: denominator is zero"),
        ("progress", {"thresholds": {"on_track": "x/2"}}, "thresholds.on_track: not a decimal"),
        ("progress", {"thresholds": {"at_risk": "-1/2"}},
         "thresholds.at_risk: must not be negative"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_naming_the_field(
    command: str, change: dict[str, Any], message: str
) -> None:
    code, out, err = run_doc(command, {**VALID[command], **change})
    assert code == 2 and out == ""
    assert err.startswith(f"sharaka rules: {message}"), err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["allocate"], "{", "sharaka rules: input: invalid JSON"),
        (["deadline", "/nonexistent/file.json"], "",
         "sharaka rules: /nonexistent/file.json: cannot read"),
        (["progress"], "[]", "sharaka rules: input: must be a JSON object"),
        (["allocate", "a", "b"], "", "usage: sharaka rules"),
    ],
)  # fmt: skip
def test_unreadable_input(argv: list[str], stdin: str, message: str) -> None:
    code, out, err = run(argv, stdin)
    assert code == 2 and out == "" and err.startswith(message) and err.count("\n") == 1, err


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["2027-01-05", "-3.5", "1/3", "lead", "saturday", "working_days"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["amount", "keys", "id", "key", "lead", "method", "minor_units", "start",
                         "count", "unit", "weekend", "holidays", "roll", "direction", "baseline",
                         "target", "actual", "date", "value", "thresholds", "on_track"]),
        children, max_size=6,
    ),
    max_leaves=25,
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(VALID)), JSON, st.data())
def test_fuzz_never_a_traceback(command: str, document: Any, data: st.DataObject) -> None:
    if isinstance(document, dict) and data.draw(st.booleans()):
        document = {**VALID[command], **document}
    code, out, err = run_doc(command, document)
    assert code in (0, 2)
    if code == 0:
        json.loads(out)
    else:
        assert out == "" and err.count("\n") == 1 and err.startswith("sharaka rules: ")
        assert "could not be processed" not in err, err
