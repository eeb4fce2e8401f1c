"""The pure rules of meetings: lifecycle, notice, proxies, meeting rule, numbers, hash
chain, uploads. No database."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharaka.governance.rules import Base, Fallback, Method, Quorum, Rule
from sharaka.governance.rules.parse import parse_rule
from sharaka.meetings import rules, uploads
from sharaka.meetings.rules import Action, AttendanceEntry, MeetingStatus, Presence


def test_lifecycle_is_a_line_and_each_action_has_one_origin() -> None:
    status = MeetingStatus.PLANNED
    path = [status]
    for action in (
        Action.CONVENE,
        Action.OPEN,
        Action.DRAFT_MINUTES,
        Action.SIGN_MINUTES,
        Action.PUBLISH,
    ):
        assert rules.allowed_actions(status) == (action,)
        nxt = rules.next_status(status, action)
        assert nxt is not None
        status = nxt
        path.append(status)
    assert path == list(MeetingStatus)
    assert rules.allowed_actions(MeetingStatus.PUBLISHED) == ()
    assert rules.next_status(MeetingStatus.PLANNED, Action.OPEN) is None
    assert rules.next_status(MeetingStatus.HELD, Action.CONVENE) is None
    assert rules.required_status(Action.SIGN_MINUTES) is MeetingStatus.MINUTES_DRAFTED


def test_notice_period() -> None:
    assert rules.earliest_meeting_day(date(2026, 3, 1), 15) == date(2026, 3, 16)
    assert rules.notice_respected(date(2026, 3, 1), date(2026, 3, 16), 15)
    assert not rules.notice_respected(date(2026, 3, 1), date(2026, 3, 15), 15)
    assert rules.latest_convocation_day(date(2026, 3, 16), 15) == date(2026, 3, 1)


def _e(status: str, holder: str | None = None, reference: str = "") -> AttendanceEntry:
    return AttendanceEntry(Presence(status), holder, reference)


def test_attendance_problems() -> None:
    voting = {"a", "b", "c", "d"}
    ok = {"a": _e("present"), "b": _e("proxy", "a", "pouvoir du 1er mars"), "c": _e("absent")}
    assert rules.attendance_problems(ok, voting, 1) == []
    codes = lambda entries, m=1: [p.code for p in rules.attendance_problems(entries, voting, m)]  # noqa: E731
    assert codes({"b": _e("proxy", "a", "x")}) == ["proxy_holder_absent"]
    assert codes({"a": _e("excused"), "b": _e("proxy", "a", "x")}) == ["proxy_holder_absent"]
    assert codes({"a": _e("present"), "b": _e("proxy", "a")}) == ["proxy_reference_missing"]
    assert codes({"b": _e("proxy", "b", "x")}) == ["proxy_self"]
    assert codes({"b": _e("proxy", None, "x")}) == ["proxy_holder_missing"]
    assert codes({"e": _e("proxy", "a", "x"), "a": _e("present")}) == ["proxy_from_non_voting"]
    assert codes({"b": _e("proxy", "e", "x"), "e": _e("present")}) == ["proxy_holder_not_voting"]
    two = {"a": _e("present"), "b": _e("proxy", "a", "x"), "c": _e("proxy", "a", "y")}
    assert codes(two) == ["proxy_limit"]
    assert codes(two, 2) == []


def test_second_convocation_quorum_replaces_the_quorum() -> None:
    rule = Rule(
        method=Method.CONSENSUS,
        quorum=Quorum(Fraction(1, 2)),
        fallback=Fallback(2, Rule(method=Method.QUALIFIED, threshold=Fraction(2, 3))),
    )
    assert rules.meeting_rule(rule, second_convocation_quorum=None) is rule
    second = rules.meeting_rule(rule, second_convocation_quorum=Fraction(1, 3))
    assert second.effective_quorum.fraction == Fraction(1, 3)
    assert second.for_round(2).effective_quorum.fraction == Fraction(1, 3)
    assert rules.next_round_allowed(rule, 1) and not rules.next_round_allowed(rule, 2)
    assert not rules.next_round_allowed(Rule(method=Method.SIMPLE), 1)


def test_rule_as_dict_reads_back() -> None:
    rule = Rule(
        method=Method.CONSENSUS,
        quorum=Quorum(Fraction(1, 2), Fraction(1, 3)),
        max_proxies_per_member=2,
        fallback=Fallback(
            2, Rule(method=Method.QUALIFIED, threshold=Fraction(2, 3), base=Base.CAST)
        ),
    )
    assert parse_rule(rules.rule_as_dict(rule)) == rule


def test_decision_number() -> None:
    assert rules.decision_number(2026, 7) == "CA-2026-007"
    assert rules.decision_number(2026, 1234) == "CA-2026-1234"


KEY = b"test key"


def test_hash_chain() -> None:
    first = rules.chain_hash(rules.GENESIS, {"b": 1, "a": "é"}, KEY)
    assert first == rules.chain_hash(rules.GENESIS, {"a": "é", "b": 1}, KEY)  # canonical
    assert rules.is_hash(first) and first != rules.chain_hash(
        rules.GENESIS, {"a": "é", "b": 1}, b"k"
    )
    second = rules.chain_hash(first, {"x": [1, 2]}, KEY)
    records = [
        rules.ChainRecord(1, "one", rules.GENESIS, first, {"a": "é", "b": 1}),
        rules.ChainRecord(2, "two", first, second, {"x": [1, 2]}),
    ]
    assert rules.verify_chain(records, KEY) is None
    assert str(rules.verify_chain(records, b"another key")) == "one: hash mismatch"
    altered = [records[0], rules.ChainRecord(2, "two", first, second, {"x": [1, 3]})]
    broken = rules.verify_chain(altered, KEY)
    assert broken is not None and str(broken) == "two: hash mismatch"
    relinked = [
        rules.ChainRecord(1, "one", rules.GENESIS, "f" * 64, {"a": "é", "b": 1}),
        records[1],
    ]
    assert str(rules.verify_chain(relinked, KEY)) == "one: hash mismatch"
    gap = [records[0], rules.ChainRecord(3, "two", first, second, {"x": [1, 2]})]
    assert rules.verify_chain(gap, KEY).problem.startswith("gap")  # type: ignore[union-attr]


def _sealed(contents: list[object], key: bytes) -> list[rules.ChainRecord]:
    records, previous = [], rules.GENESIS
    for position, content in enumerate(contents, start=1):
        value = rules.chain_hash(previous, content, key)
        records.append(rules.ChainRecord(position, f"r{position}", previous, value, content))
        previous = value
    return records


_contents = st.lists(
    st.dictionaries(st.sampled_from("abc"), st.integers(), max_size=3),
    min_size=1,
    max_size=6,
)


@given(contents=_contents, data=st.data())
def test_any_changed_content_is_the_first_break(
    contents: list[object], data: st.DataObject
) -> None:
    records = _sealed(contents, KEY)
    assert rules.verify_chain(records, KEY) is None
    index = data.draw(st.integers(0, len(records) - 1))
    changed = records[index].content | {"z": "changed"}  # type: ignore[operator]
    tampered = [*records[:index], replace(records[index], content=changed), *records[index + 1 :]]
    broken = rules.verify_chain(tampered, KEY)
    assert broken is not None and (broken.position, broken.problem) == (index + 1, "hash mismatch")


@given(contents=_contents, keep=st.integers(0, 6))
def test_a_recomputed_chain_without_the_key_never_verifies(
    contents: list[object], keep: int
) -> None:
    forged = _sealed(contents, b"guessed key")
    broken = rules.verify_chain(forged, KEY)
    assert broken is not None and broken.position == 1


@given(contents=_contents, cut=st.integers(1, 6))
def test_every_prefix_holds_its_own_heads_and_no_later_one(
    contents: list[object], cut: int
) -> None:
    records = _sealed(contents, KEY)
    cut = min(cut, len(records))
    prefix = records[:cut]
    for record in prefix:
        anchor = rules.Anchor(record.stored_hash, record.position)
        assert rules.anchor_problem(prefix, anchor) is None
        assert rules.anchor_problem(prefix, rules.Anchor(record.stored_hash)) is None
    for record in records[cut:]:
        assert rules.anchor_problem(prefix, rules.Anchor(record.stored_hash, record.position))
        assert rules.anchor_problem(prefix, rules.Anchor(record.stored_hash))


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("a.pdf", b"%PDF-1.4 hello", ""),
        ("a.png", b"\x89PNG\r\n\x1a\nxxxx", ""),
        ("a.JPG", b"\xff\xd8\xff\xe0xxxx", ""),
        ("a.docx", _zip({"word/document.xml": b"<w/>"}), ""),
        ("a.xlsx", _zip({"xl/workbook.xml": b"<x/>"}), ""),
        ("a.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), ""),
        ("a.exe", b"MZ....", "bad_extension"),
        ("a", b"%PDF-", "bad_extension"),
        ("a.pdf", b"MZ not a pdf", "bad_content"),
        ("a.docx", _zip({"xl/workbook.xml": b"<x/>"}), "bad_content"),
        ("a.odt", b"PK\x03\x04 broken", "bad_content"),
        ("a.pdf", b"", "empty"),
    ],
)
def test_uploads(name: str, data: bytes, code: str) -> None:
    check = uploads.check_upload(name, len(data), io.BytesIO(data))
    assert check.code == code
    assert check.ok is (code == "")


def test_upload_size_is_not_checked_here() -> None:
    # the size limit is core.uploads.check_upload_size (tests/core/test_uploads.py)
    data = b"%PDF-" + b"0" * (11 * 1024 * 1024)
    assert uploads.check_upload("big.pdf", len(data), io.BytesIO(data)).ok
