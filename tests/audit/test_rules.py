"""The pure pre-audit checks (no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from sharaka.audit import plan_rules, rules
from sharaka.audit.rules import CHECKS, Code, Record, Severity

D = Decimal


def test_every_check_has_a_code_a_severity_a_message_and_a_reference() -> None:
    assert set(CHECKS) == set(Code)
    for code, check in CHECKS.items():
        assert check.code is code
        assert isinstance(check.severity, Severity)
        assert check.title and check.message and check.reference


def _plan(pk: int = 1, day: date = date(2025, 4, 1), **kw: object) -> rules.ExpenseInPlan:
    values: dict[str, object] = {
        "id": pk, "day": day, "version_id": 10, "in_force_from": date(2025, 3, 1),
        "in_force_until": None, "plan_start": date(2025, 1, 1), "plan_end": date(2027, 12, 31),
        "activity_id": 5, "activity_version_id": 10, "line_activity_id": 5,
    }  # fmt: skip
    values.update(kw)
    return rules.ExpenseInPlan(**values)  # type: ignore[arg-type]


def test_outside_plan() -> None:
    assert rules.outside_plan([_plan()]) == []
    cases = [
        _plan(1, day=date(2025, 2, 28)),  # before the adoption
        _plan(2, in_force_until=date(2025, 4, 1)),  # superseded on its date
        _plan(3, in_force_from=None),  # never adopted
        _plan(4, activity_version_id=11),  # activity of another version
        _plan(5, line_activity_id=6),  # line of another activity
        _plan(6, activity_id=None, activity_version_id=None),  # no activity
        _plan(7, day=date(2028, 1, 1)),  # after the plan's period
    ]
    found = rules.outside_plan(cases)
    assert [f.records for f in found] == [(Record("expense", i),) for i in range(1, 8)]
    assert found[0].code is Code.OUTSIDE_PLAN and found[0].severity is Severity.HIGH
    assert "2025-02-28" in found[0].message


def test_line_overrun_beyond_tolerance_and_authorisation() -> None:
    line = rules.LineUse(3, "A1.1 Personnel", D("1000"), D("1100"), D("0"))
    assert rules.line_overruns([line], tolerance=Fraction(1, 10)) == []  # exactly the ceiling
    over = rules.LineUse(3, "A1.1 Personnel", D("1000"), D("1100.01"), D("0"))
    [finding] = rules.line_overruns([over], tolerance=Fraction(1, 10))
    assert finding.records == (Record("budget_line", 3),)
    assert dict(finding.params)["excess"] == "0.01"
    authorised = rules.LineUse(3, "A1.1", D("1000"), D("1150"), D("50"))
    assert rules.line_overruns([authorised], tolerance=Fraction(1, 10)) == []


def test_missing_receipts_spare_reversals() -> None:
    rows = [
        rules.ExpenseReceipt(1, date(2025, 4, 1), "F", D("10"), has_receipt=False),
        rules.ExpenseReceipt(2, date(2025, 4, 1), "F", D("-10"), False, is_reversal=True),
        rules.ExpenseReceipt(3, date(2025, 4, 1), "F", D("10"), has_receipt=True),
    ]
    assert [f.records[0].id for f in rules.missing_receipts(rows)] == [1]


def test_receipt_after_payment() -> None:
    paid = datetime(2025, 4, 2, 10)
    rows = [
        rules.ReceiptTiming(1, date(2025, 4, 1), paid, paid + timedelta(days=3)),
        rules.ReceiptTiming(2, date(2025, 4, 1), paid, paid - timedelta(days=1)),
        rules.ReceiptTiming(3, date(2025, 4, 1), None, paid),
        rules.ReceiptTiming(4, date(2025, 4, 1), paid, None),
        rules.ReceiptTiming(5, date(2025, 4, 1), paid, paid + timedelta(hours=2)),  # same day
    ]
    [finding] = rules.receipts_after_payment(rows)
    assert finding.records == (Record("expense", 1),)
    assert dict(finding.params) == {"date": "2025-04-01", "received": "2025-04-05",
                                    "paid": "2025-04-02"}  # fmt: skip


def test_duplicates_group_by_supplier_reference_and_amount() -> None:
    rows = [
        rules.ExpenseKey(1, "Atlas SARL", "FAC-1", D("100.00")),
        rules.ExpenseKey(2, " atlas  sarl", "FAC-1", D("100.0")),  # same supplier, spaced
        rules.ExpenseKey(3, "Atlas SARL", "FAC-1", D("100.01")),  # another amount
        rules.ExpenseKey(4, "Autre", "FAC-1", D("100.00")),  # another supplier
        rules.ExpenseKey(5, "Atlas SARL", "", D("100.00")),  # no reference: not compared
        rules.ExpenseKey(6, "Atlas SARL", "", D("100.00")),
    ]
    [finding] = rules.duplicates(rows)
    assert finding.records == (Record("expense", 1), Record("expense", 2))
    assert dict(finding.params)["count"] == "2"


def test_self_approved() -> None:
    rows = [
        rules.ExpenseApproval(1, date(2025, 4, 1), 7, 7),
        rules.ExpenseApproval(2, date(2025, 4, 1), 7, 8),
        rules.ExpenseApproval(3, date(2025, 4, 1), None, None),
        rules.ExpenseApproval(4, date(2025, 4, 1), 7, None),
        rules.ExpenseApproval(5, date(2025, 4, 1), 7, 7, is_reversal=True),
    ]
    assert [f.records[0].id for f in rules.self_approved(rows)] == [1]


def _contribution(pk: int, **kw: object) -> rules.ContributionFacts:
    values: dict[str, object] = {
        "id": pk, "partner": "Commune", "year": 2025, "in_kind": False,
        "pledged": D("1000"), "received": D("0"),
    }  # fmt: skip
    values.update(kw)
    return rules.ContributionFacts(**values)  # type: ignore[arg-type]


def test_contributions_overdue_after_their_due_date_only() -> None:
    rows = [_contribution(1), _contribution(2, received=D("1000")), _contribution(3, year=2026)]
    assert rules.contributions_overdue(rows, today=date(2025, 12, 31)) == []
    found = rules.contributions_overdue(rows, today=date(2026, 1, 1))
    assert [f.records[0] for f in found] == [Record("contribution", 1)]
    assert dict(found[0].params)["missing"] == "1000.00"
    early = _contribution(4, due=date(2025, 6, 30))
    assert len(rules.contributions_overdue([early], today=date(2025, 7, 1))) == 1


def test_in_kind_without_valuation_method() -> None:
    rows = [
        _contribution(1, in_kind=True, valuation_method=""),
        _contribution(2, in_kind=True, valuation_method="market", valuation_note="Loyer"),
        _contribution(3, in_kind=False, valuation_method=""),
        _contribution(4, in_kind=True, valuation_method="market", valuation_note=" "),
    ]
    assert [f.records[0].id for f in rules.in_kind_unvalued(rows)] == [1, 4]


def _share(pk: int, share: str, start: date, end: date | None, *, person: int = 1,
           ours: bool = True) -> rules.StaffShare:  # fmt: skip
    return rules.StaffShare(pk, person, "Karim", D(share), start, end, ours)


def test_staff_over_100_percent_when_assignments_overlap() -> None:
    jan, jun, dec = date(2025, 1, 1), date(2025, 6, 30), date(2025, 12, 31)
    # 60 % here all year, 50 % elsewhere from July: 110 % from July
    rows = [_share(1, "60", jan, dec), _share(2, "50", date(2025, 7, 1), None, ours=False)]
    [finding] = rules.staff_overbooked(rows)
    assert finding.records == (Record("staff_assignment", 1), Record("staff_assignment", 2))
    assert dict(finding.params) == {"person": "Karim", "share": "110", "date": "2025-07-01"}
    # one ends the day before the other starts: never more than 60 %
    assert rules.staff_overbooked([_share(1, "60", jan, jun), _share(2, "50", date(2025, 7, 1),
                                                                     None)]) == []  # fmt: skip
    # overbooked only in other partnerships: not this partnership's finding
    elsewhere = [_share(1, "60", jan, dec, ours=False), _share(2, "50", jan, dec, ours=False)]
    assert rules.staff_overbooked(elsewhere) == []
    # exactly 100 %
    assert rules.staff_overbooked([_share(1, "50", jan, dec), _share(2, "50", jan, dec)]) == []


def test_assets_without_owner_or_location() -> None:
    rows = [
        rules.AssetFacts(1, "Tracteur", 3, "Dépôt"),
        rules.AssetFacts(2, "Bus", 3, "  "),
        rules.AssetFacts(3, "Local", None, "Centre"),
    ]
    assert [f.records[0].id for f in rules.assets_unlocated(rows)] == [2, 3]


def test_working_days_skip_the_weekend() -> None:
    friday = date(2025, 3, 7)
    assert rules.add_working_days(friday, 1) == date(2025, 3, 10)
    assert rules.add_working_days(friday, 15) == date(2025, 3, 28)


def test_minutes_late() -> None:
    held = date(2025, 3, 7)  # due 15 working days later: 2025-03-28
    rows = [
        rules.MinutesFacts(1, held, 10, date(2025, 3, 28)),  # signed on the last day
        rules.MinutesFacts(2, held, 11, date(2025, 3, 31)),  # signed late
        rules.MinutesFacts(3, held, None, None),  # never written
        rules.MinutesFacts(4, held, 12, None),  # drafted, unsigned
    ]
    assert rules.minutes_late(rows, today=date(2025, 3, 28)) == [
        rules.minutes_late([rows[1]], today=date(2025, 3, 28))[0]
    ]
    found = rules.minutes_late(rows, today=date(2025, 3, 29))
    assert [f.records for f in found] == [
        (Record("meeting", 2), Record("minutes", 11)),
        (Record("meeting", 3),),
        (Record("meeting", 4), Record("minutes", 12)),
    ]


def test_admissibility_expired_when_every_piece_of_a_criterion_expired() -> None:
    today = date(2025, 6, 1)
    files = [
        rules.AdmissibilityFacts(1, 20, "Association Alpha", {
            "statuts": (None,), "attestation_fiscale": (date(2025, 6, 1),),
        }),
        rules.AdmissibilityFacts(2, 21, "Association Beta", {
            "attestation_fiscale": (date(2025, 5, 1), date(2026, 5, 1)),  # renewed
        }),
        rules.AdmissibilityFacts(3, 22, "Association Gamma", {}),
    ]  # fmt: skip
    [finding] = rules.admissibility_expired(files, today=today)
    assert finding.records == (Record("admissibility_file", 1), Record("organization", 20))
    assert dict(finding.params)["criteria"] == "attestation_fiscale"


def test_findings_sort_most_serious_first() -> None:
    low = rules.assets_unlocated([rules.AssetFacts(1, "Bus", None, "")])
    high = rules.self_approved([rules.ExpenseApproval(2, date(2025, 1, 1), 1, 1)])
    medium = rules.in_kind_unvalued([_contribution(3, in_kind=True)])
    assert [f.severity for f in rules.sort_findings(low + medium + high)] == [
        Severity.HIGH, Severity.MEDIUM, Severity.LOW,
    ]  # fmt: skip


# --- Properties --------------------------------------------------------------------------------

suppliers = st.sampled_from(["Atlas", "atlas ", "Bravo", "Café"])
references = st.sampled_from(["", "FAC-1", "FAC-2"])
amounts = st.sampled_from([D("10.00"), D("10.0"), D("20.00")])
keys = st.lists(st.tuples(suppliers, references, amounts), max_size=12).map(
    lambda rows: [rules.ExpenseKey(i + 1, s, r, a) for i, (s, r, a) in enumerate(rows)]
)


def _groups(found: list[rules.Finding]) -> set[frozenset[int]]:
    return {frozenset(r.id for r in f.records) for f in found}


@given(keys, st.randoms(use_true_random=False))
def test_duplicates_do_not_depend_on_the_order(rows: list[rules.ExpenseKey], rnd: object) -> None:
    shuffled = list(rows)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _groups(rules.duplicates(rows)) == _groups(rules.duplicates(shuffled))


@given(keys)
def test_duplicates_are_symmetric_and_partition(rows: list[rules.ExpenseKey]) -> None:
    """If a is flagged with b, b is flagged with a (same group); groups never overlap; each
    group holds at least two expenses with the same reference and amount."""
    groups = _groups(rules.duplicates(rows))
    by_id = {r.id: r for r in rows}
    seen: set[int] = set()
    for group in groups:
        assert len(group) >= 2 and not group & seen
        seen |= group
        assert len({(by_id[i].reference, by_id[i].amount) for i in group}) == 1
    for a in rows:
        for b in rows:
            together = any(a.id in g and b.id in g for g in groups)
            assert together == any(b.id in g and a.id in g for g in groups)


@given(keys)
def test_a_subset_of_the_rows_never_finds_more_groups(rows: list[rules.ExpenseKey]) -> None:
    """What the SQL narrowing relies on: rows outside a duplicated (reference, amount) only
    add groups of their own, never change the others."""
    full = _groups(rules.duplicates(rows))
    half = _groups(rules.duplicates(rows[::2]))
    assert all(any(g <= h for h in full) for g in half)


receipts = st.lists(
    st.tuples(st.booleans(), st.booleans()), max_size=10
).map(lambda rows: [
    rules.ExpenseReceipt(i + 1, date(2025, 1, 1), "F", D("1"), has, reversal)
    for i, (has, reversal) in enumerate(rows)
])  # fmt: skip


@given(receipts, st.data())
def test_adding_a_receipt_never_adds_a_finding(
    rows: list[rules.ExpenseReceipt], data: st.DataObject
) -> None:
    if not rows:
        return
    index = data.draw(st.integers(0, len(rows) - 1))
    before = rules.missing_receipts(rows)
    changed = list(rows)
    row = changed[index]
    changed[index] = rules.ExpenseReceipt(row.id, row.day, row.supplier, row.amount, True,
                                          row.is_reversal)  # fmt: skip
    after = rules.missing_receipts(changed)
    assert set(after) <= set(before)


shares = st.lists(
    st.tuples(st.integers(1, 3), st.integers(1, 100), st.integers(0, 60), st.integers(0, 60)),
    max_size=8,
).map(lambda rows: [
    rules.StaffShare(i + 1, person, "P", D(share), date(2025, 1, 1) + timedelta(days=start),
                     date(2025, 1, 1) + timedelta(days=start + length), True)
    for i, (person, share, start, length) in enumerate(rows)
])  # fmt: skip


def _overbooked_people(rows: list[rules.StaffShare]) -> set[int]:
    person = {r.id: r.person_id for r in rows}
    return {person[rec.id] for f in rules.staff_overbooked(rows) for rec in f.records}


@given(shares, st.data())
def test_removing_an_assignment_never_adds_an_overbooked_person(
    rows: list[rules.StaffShare], data: st.DataObject
) -> None:
    if not rows:
        return
    index = data.draw(st.integers(0, len(rows) - 1))
    fewer = rows[:index] + rows[index + 1 :]
    assert _overbooked_people(fewer) <= _overbooked_people(rows)


@given(st.lists(st.tuples(st.integers(0, 1000), st.integers(0, 1000)), max_size=6),
       st.integers(0, 50))  # fmt: skip
def test_a_line_overruns_exactly_when_it_passes_its_ceiling(
    pairs: list[tuple[int, int]], tolerance_percent: int
) -> None:
    tolerance = Fraction(tolerance_percent, 100)
    lines = [rules.LineUse(i, "L", D(p), D(u), D(0)) for i, (p, u) in enumerate(pairs)]
    flagged = {f.records[0].id for f in rules.line_overruns(lines, tolerance=tolerance)}
    assert flagged == {
        i for i, (p, u) in enumerate(pairs) if Fraction(u) > Fraction(p) * (1 + tolerance)
    }


# --- Sampling ----------------------------------------------------------------------------------

population = st.dictionaries(
    st.integers(1, 500), st.decimals(min_value=0, max_value=10_000, places=2), max_size=40
).map(lambda d: sorted(d.items()))


@given(
    population,
    st.integers(0, 2**32),
    st.sampled_from(list(plan_rules.SampleMethod)),
    st.data(),
)
def test_a_sample_is_reproducible_from_its_seed_whatever_the_order(
    rows: list[tuple[int, Decimal]],
    seed: int,
    method: plan_rules.SampleMethod,
    data: st.DataObject,
) -> None:
    eligible = [pk for pk, amount in rows if method is plan_rules.SampleMethod.SIMPLE or amount > 0]
    size = data.draw(st.integers(0, len(eligible)))
    sample = plan_rules.draw_sample(rows, size=size, seed=seed, method=method)
    assert len(sample) == len(set(sample)) == size
    assert set(sample) <= set(eligible)
    shuffled = data.draw(st.permutations(rows))
    assert plan_rules.draw_sample(shuffled, size=size, seed=seed, method=method) == sample


@given(population, st.integers(0, 2**32), st.sampled_from(list(plan_rules.SampleMethod)))
def test_a_sample_larger_than_the_population_is_refused(
    rows: list[tuple[int, Decimal]], seed: int, method: plan_rules.SampleMethod
) -> None:
    eligible = [pk for pk, amount in rows if method is plan_rules.SampleMethod.SIMPLE or amount > 0]
    try:
        plan_rules.draw_sample(rows, size=len(eligible) + 1, seed=seed, method=method)
    except plan_rules.SampleTooLarge as refused:
        assert refused.population == len(eligible)
    else:
        raise AssertionError("a sample larger than its population was drawn")


def test_amount_weighted_sampling_favours_large_amounts() -> None:
    rows = [(1, D("10000")), *[(pk, D("1")) for pk in range(2, 102)]]
    drawn = sum(
        1 in plan_rules.draw_sample(rows, size=1, seed=seed, method=plan_rules.SampleMethod.AMOUNT)
        for seed in range(200)
    )
    assert drawn > 180  # 10000 / 10100 of the weight
    simple = sum(
        1 in plan_rules.draw_sample(rows, size=1, seed=seed, method=plan_rules.SampleMethod.SIMPLE)
        for seed in range(200)
    )
    assert simple < 20
