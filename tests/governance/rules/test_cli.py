"""``sharaka rules``: JSON in, JSON out, exit 2 with one line on bad input, never a traceback."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharaka.governance.rules import cli

MEMBERS = [
    {
        "id": "m1",
        "organization": "commune-a",
        "college": "local_public",
        "voting": True,
        "chair": True,
        "gender": "f",
    },
    {"id": "m2", "organization": "commune-a", "college": "local_public", "gender": "m"},
    {"id": "m3", "organization": "asso-b", "college": "associative", "gender": "f"},
    {"id": "m4", "organization": "asso-c", "college": "associative", "gender": "x"},
    {"id": "m5", "organization": "firm-d", "college": "private"},
    {"id": "e1", "organization": "expert", "college": "experts", "voting": False},
]
RULE = {
    "method": "qualified",
    "threshold": "2/3",
    "base": "present",
    "quorum": {"fraction": "1/2", "per_college": None},
    "max_proxies_per_member": 1,
    "tie_break": "none",
    "colleges": None,
    "fallback": None,
}
TALLY = {
    "members": MEMBERS,
    "attendance": {
        "m1": "present",
        "m2": "proxy:m1",
        "m3": "present",
        "m4": "absent",
        "m5": "excused",
        "e1": "present",
    },
    "recused": [],
    "ballots": {"m1": "yes", "m2": "yes", "m3": "no"},
    "round": 1,
    "rule": RULE,
}
POWER_WEIGHTED = {"players": [{"id": "FR", "weight": 4}, {"id": "LU", "weight": 1}], "quota": 12}
POWER_BOARD = {"members": MEMBERS, "rule": RULE, "bloc": "organization"}
BALANCE = {
    "members": MEMBERS,
    "rule": RULE,
    "policy": {
        "max_seat_share_per_organization": "1/2",
        "min_women_share": "1/3",
        "required_colleges": ["local_public", "associative"],
        "max_non_voting": 3,
        "no_dictator": True,
        "warn_veto": True,
    },
}
VALID: dict[str, dict[str, Any]] = {"tally": TALLY, "power": POWER_BOARD, "balance": BALANCE}


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, io.StringIO(stdin), out, err)
    return code, out.getvalue(), err.getvalue()


def run_doc(command: str, document: Any) -> tuple[int, str, str]:
    return run([command, "-"], json.dumps(document))


def test_tally_document() -> None:
    code, out, err = run_doc("tally", {**TALLY, "lang": "en"})
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert list(result) == [
        "adopted",
        "reason",
        "method_applied",
        "quorum",
        "counts",
        "colleges",
        "explanation",
    ]
    assert result["adopted"] is True and result["reason"] == "adopted"
    assert result["quorum"] == {
        "met": True,
        "present": 3,
        "electorate": 5,
        "required": "1/2",
        "colleges": {},
    }
    assert result["counts"] == {"yes": 2, "no": 1, "abstain": 0, "not_voting": 0}
    assert result["explanation"][-1] == "The motion is adopted."


def test_power_documents(tmp_path: Path) -> None:
    eec = {
        "players": [
            {"id": c, "weight": w}
            for c, w in [("FR", 4), ("DE", 4), ("IT", 4), ("BE", 2), ("NL", 2), ("LU", 1)]
        ],
        "quota": 12,
    }
    path = tmp_path / "eec.json"
    path.write_text(json.dumps(eec), encoding="utf-8")
    code, out, _ = run(["power", str(path)])
    result = json.loads(out)
    assert code == 0
    assert list(result) == [
        "players",
        "banzhaf",
        "banzhaf_swings",
        "shapley_shubik",
        "dictators",
        "veto_players",
        "minimal_winning_coalitions",
    ]
    assert result["banzhaf"]["FR"] == pytest.approx(5 / 21, abs=1e-11)
    assert result["banzhaf_swings"] == {"FR": 10, "DE": 10, "IT": 10, "BE": 6, "NL": 6, "LU": 0}
    assert result["minimal_winning_coalitions"] == 4
    code, out, _ = run(["power"], json.dumps(POWER_BOARD))  # no file: standard input
    assert code == 0 and json.loads(out)["players"] == ["commune-a", "asso-b", "asso-c", "firm-d"]


def test_balance_document() -> None:
    code, out, _ = run_doc("balance", BALANCE)
    result = json.loads(out)
    assert code == 0
    assert list(result) == ["ok", "violations", "warnings", "seat_shares", "women_share", "power"]
    assert result["seat_shares"] == {"commune-a": 0.4, "asso-b": 0.2, "asso-c": 0.2, "firm-d": 0.2}
    assert result["women_share"] == 0.4
    assert result["power"]["players"] == ["commune-a", "asso-b", "asso-c", "firm-d"]


def test_arabic_output_is_utf8_json() -> None:
    code, out, _ = run_doc("tally", {**TALLY, "lang": "ar"})
    assert code == 0 and "المقرر" in json.loads(out)["explanation"][-1]


def with_change(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of ``document`` with ``path`` (``rule.quorum.fraction``) set, or removed."""
    changed = copy.deepcopy(document)
    *parents, last = path.split(".")
    target: Any = changed
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    if value is REMOVE:
        del target[int(last) if isinstance(target, list) else last]
    elif isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return changed


REMOVE = object()

BAD_INPUTS = [
    # subcommand, path, value, expected start of the message after "sharaka rules: "
    ("tally", "rule.method", "majority", 'rule.method: unknown method "majority"'),
    ("tally", "rule.base", "everyone", "rule.base: unknown base"),
    ("tally", "rule.threshold", "3/2", 'rule.threshold: "3/2" is outside (0, 1]'),
    ("tally", "rule.threshold", "two thirds", "rule.threshold: malformed fraction"),
    ("tally", "rule.threshold", "1/0", "rule.threshold: malformed fraction"),
    ("tally", "rule.threshold", "1e400", "rule.threshold: malformed fraction"),
    ("tally", "rule.threshold", None, "rule.threshold: a qualified majority needs a threshold"),
    ("tally", "rule.quorum.fraction", "5/4", 'rule.quorum.fraction: "5/4" is outside [0, 1]'),
    ("tally", "rule.quorum.per_college", [], "rule.quorum.per_college: must be a fraction"),
    ("tally", "rule.tie_break", "coin", "rule.tie_break: unknown tie break"),
    ("tally", "rule.treshold", "2/3", "rule.treshold: unknown field"),
    ("tally", "rule.max_proxies_per_member", -1, "rule.max_proxies_per_member: must be at least 0"),
    ("tally", "rule.colleges", {"method": "consensus"}, "rule.colleges.method: a college is"),
    ("tally", "rule.colleges", {"required": 0}, "rule.colleges.required: must be at least 1"),
    ("tally", "rule.colleges", {"required": "most"}, "rule.colleges.required: unknown"),
    (
        "tally",
        "rule.fallback",
        {"from_round": 0, "rule": {"method": "simple"}},
        "rule.fallback.from_round: must be at least 1",
    ),
    (
        "tally",
        "rule.fallback",
        {"from_round": 2, "rule": {"method": "x"}},
        "rule.fallback.rule.method: unknown method",
    ),
    (
        "tally",
        "rule.fallback",
        {
            "from_round": 2,
            "rule": {
                "method": "simple",
                "fallback": {"from_round": 3, "rule": {"method": "simple"}},
            },
        },
        "rule.fallback.rule.fallback:",
    ),
    ("tally", "rule", REMOVE, "rule: missing"),
    ("tally", "rule", "simple", "rule: must be a JSON object"),
    ("tally", "members.1.gender", "w", 'members[1].gender: unknown gender "w"'),
    ("tally", "members.1.id", "m1", 'members[1].id: duplicate member id "m1"'),
    ("tally", "members.1.voting", "yes", "members[1].voting: must be true or false"),
    ("tally", "members.1.chair", True, "members: more than one chair (m1, m2)"),
    ("tally", "members.2.organization", REMOVE, "members[2].organization: missing"),
    ("tally", "members.2", "m3", "members[2]: must be a JSON object"),
    ("tally", "members", {}, "members: must be a list"),
    ("tally", "attendance.zz", "present", 'attendance.zz: unknown member id "zz"'),
    ("tally", "attendance.m4", "here", "attendance.m4: "),
    ("tally", "attendance.m4", "proxy:", "attendance.m4: "),
    ("tally", "attendance.m4", 1, "attendance.m4: must be a string"),
    ("tally", "attendance.m4", "proxy:m5", "attendance.m4: proxy holder m5 is excused"),
    ("tally", "attendance.m4", "proxy:m2", "attendance.m4: proxy holder m2 is itself represented"),
    ("tally", "attendance.m4", "proxy:zz", 'attendance.m4: unknown proxy holder "zz"'),
    ("tally", "attendance.m4", "proxy:e1", "attendance.m4: proxy holder e1 is not a voting"),
    ("tally", "attendance.m4", "proxy:m1", "attendance.m4: m1 holds 2 proxies, more than the 1"),
    ("tally", "ballots.e1", "yes", "ballots.e1: ballot from e1, who is not a voting member"),
    ("tally", "ballots.m4", "yes", "ballots.m4: ballot from m4, who is absent"),
    ("tally", "ballots.zz", "yes", 'ballots.zz: unknown member id "zz"'),
    ("tally", "ballots.m1", "maybe", 'ballots.m1: unknown ballot "maybe"'),
    ("tally", "recused", ["m1", "zz"], 'recused: unknown member id "zz"'),
    ("tally", "recused", ["m3"], "ballots.m3: ballot from m3, who is recused"),
    ("tally", "recused", "m3", "recused: must be a list"),
    ("tally", "round", 0, "round: must be at least 1"),
    ("tally", "round", "2", "round: must be an integer"),
    ("tally", "lang", "de", 'lang: unsupported language "de"'),
    ("tally", "extra", 1, "extra: unknown field"),
    ("power", "bloc", "party", 'bloc: unknown bloc "party"'),
    ("power", "members", REMOVE, "players: missing"),
    ("power", "rule.method", None, "rule.method: must be one of"),
    ("balance", "policy.min_women_share", "2", 'policy.min_women_share: "2" is outside [0, 1]'),
    (
        "balance",
        "policy.max_seat_share_per_organization",
        "0",
        'policy.max_seat_share_per_organization: "0" is outside (0, 1]',
    ),
    ("balance", "policy.required_colleges", "local", "policy.required_colleges: must be a list"),
    ("balance", "policy.max_non_voting", 1.5, "policy.max_non_voting: must be an integer"),
    ("balance", "policy.no_dictator", "yes", "policy.no_dictator: must be true or false"),
    ("balance", "names", ["x"], "names: must be a JSON object"),
]


@pytest.mark.parametrize(("command", "path", "value", "message"), BAD_INPUTS)
def test_bad_input_exits_2_with_one_line(command: str, path: str, value: Any, message: str) -> None:
    code, out, err = run_doc(command, with_change(VALID[command], path, value))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith(f"sharaka rules: {message}"), err


WEIGHTED_BAD = [
    ({"players": [{"id": "a", "weight": -1}], "quota": 1}, "players[0].weight: must be >= 0"),
    (
        {"players": [{"id": "a", "weight": 1.5}], "quota": 1},
        "players[0].weight: must be an integer",
    ),
    (
        {"players": [{"id": "a", "weight": 1}, {"id": "a", "weight": 1}], "quota": 1},
        'players[1].id: duplicate id "a"',
    ),
    ({"players": [{"id": "a", "weight": 1}], "quota": 0}, "quota: must be at least 1"),
    ({"players": [{"id": "a", "weight": 1}]}, "quota: missing"),
    ({"players": [{"id": "a"}], "quota": 1}, "players[0].weight: missing"),
    ({"players": {"a": 1}, "quota": 1}, "players: must be a list"),
    (
        {"players": [{"id": f"p{k}", "weight": 1} for k in range(2001)], "quota": 5},
        "players: 2001 players, the exact computation is limited to 2000",
    ),
    (
        {"players": [{"id": "a", "weight": 10**30}], "quota": 5},
        "players[0].weight: 1000000000000000000000000000000 is above the limit",
    ),
    (
        {
            "members": [
                {"id": f"m{k}", "organization": f"o{k}", "college": "c"} for k in range(21)
            ],
            "rule": {"method": "simple"},
            "bloc": "member",
        },
        "bloc: 21 voting blocs by member: the exact computation is limited to 20 blocs",
    ),
]


@pytest.mark.parametrize(("document", "message"), WEIGHTED_BAD)
def test_bad_power_input(document: dict[str, Any], message: str) -> None:
    code, _, err = run_doc("power", document)
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"sharaka rules: {message}"), err


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["tally"], "{", "sharaka rules: input: invalid JSON"),
        (["tally"], "", "sharaka rules: input: invalid JSON"),
        (["tally", "-"], "[1, 2]", "sharaka rules: input: must be a JSON object, not a list"),
        (["power"], "null", "sharaka rules: input: must be a JSON object, not null"),
        (["balance"], "[" * 100_000 + "]" * 100_000, "sharaka rules: input: "),
        (["power"], '{"players": [], "quota": ' + "9" * 5000 + "}", "sharaka rules: input: "),
        (["tally", "/nonexistent/file.json"], "", "sharaka rules: /nonexistent/file.json: cannot"),
        (["vote"], "", "usage: sharaka rules tally|power|balance [FILE|-]"),
        ([], "", "usage: sharaka rules"),
        (["tally", "a", "b"], "", "usage: sharaka rules"),
    ],
)
def test_unreadable_input(argv: list[str], stdin: str, message: str) -> None:
    code, out, err = run(argv, stdin)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1, err


def test_help() -> None:
    code, out, _ = run(["--help"])
    assert code == 0 and out.startswith("usage:")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"members": "é"}'.encode("latin-1"))
    code, _, err = run(["tally", str(path)])
    assert code == 2 and err.startswith(f"sharaka rules: {path}: cannot read")


# ------------------------------------------------------------------------------- fuzz

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
KEYS = [
    "members",
    "attendance",
    "recused",
    "ballots",
    "round",
    "rule",
    "lang",
    "players",
    "quota",
    "bloc",
    "policy",
    "names",
    "method",
    "threshold",
    "base",
    "quorum",
    "fraction",
    "colleges",
    "fallback",
    "from_round",
    "required",
    "id",
    "weight",
    "organization",
    "college",
    "voting",
    "chair",
    "gender",
]
SHAPED = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 30)
    | st.sampled_from(
        [
            "yes",
            "no",
            "abstain",
            "present",
            "proxy:m1",
            "1/2",
            "2/3",
            "0.5",
            "simple",
            "qualified",
            "consensus",
            "all",
            "majority",
            "organization",
            "member",
            "f",
            "m1",
            "m2",
        ]
    ),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from([*KEYS, "m1", "m2", "m3"]), children, max_size=6)
    ),
    max_leaves=30,
)
COMMAND = st.sampled_from(["tally", "power", "balance"])


def assert_clean(code: int, out: str, err: str) -> None:
    assert code in (0, 2)
    if code == 0:
        json.loads(out)
        assert err == ""
    else:
        assert out == "" and err.count("\n") == 1 and err.startswith("sharaka rules: ")
        assert "Traceback" not in err and "could not be processed" not in err, err


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(COMMAND, JSON | SHAPED)
def test_fuzz_arbitrary_json(command: str, document: Any) -> None:
    assert_clean(*run([command], json.dumps(document)))


@settings(max_examples=100, deadline=None)
@given(COMMAND, st.text(max_size=50))
def test_fuzz_arbitrary_text(command: str, text: str) -> None:
    assert_clean(*run([command, "-"], text))


PATHS = {
    "tally": [
        "rule",
        "rule.method",
        "rule.threshold",
        "rule.quorum",
        "rule.colleges",
        "rule.fallback",
        "rule.base",
        "members.0",
        "members.1.voting",
        "attendance",
        "attendance.m2",
        "attendance.m4",
        "ballots",
        "ballots.m1",
        "ballots.m4",
        "recused",
        "round",
        "lang",
    ],
    "power": [
        "rule",
        "rule.method",
        "rule.colleges",
        "rule.tie_break",
        "members.0",
        "bloc",
        "members.2.college",
    ],
    "balance": [
        "policy",
        "policy.required_colleges",
        "policy.max_non_voting",
        "rule",
        "members",
        "members.0.gender",
        "lang",
    ],
}


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_fuzz_one_field_of_a_valid_document(data: st.DataObject) -> None:
    command = data.draw(COMMAND)
    path = data.draw(st.sampled_from(PATHS[command]))
    value = data.draw(SHAPED)
    assert_clean(*run_doc(command, with_change(VALID[command], path, value)))
