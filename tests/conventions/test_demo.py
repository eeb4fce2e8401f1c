"""The demo conventions: a signed convention in force with one amendment, and a draft with
exactly two completeness problems."""

from __future__ import annotations

from datetime import date

import pytest

from sharaka import demo
from sharaka.conventions import selectors, services
from sharaka.conventions.models import ConventionVersion
from sharaka.partnerships.models import Partnership

pytestmark = pytest.mark.django_db


def test_demo_conventions() -> None:
    demo.load_demo()
    sports = Partnership.objects.get(slug="complexe-sportif")
    versions = list(ConventionVersion.objects.filter(convention__partnership=sports)
                    .order_by("number"))  # fmt: skip
    assert [(v.number, v.status) for v in versions] == [(0, "ended"), (1, "in_force")]
    assert all(services.version_hash(v) == v.content_hash for v in versions)
    assert not [p for p in services.version_problems(versions[0]) if p.severity == "error"]
    board = versions[0].clauses.get(code="board").params["composition"]
    seats = {row["organization"]: (row["seats"], row["voting"]) for row in board}
    assert seats["Commune d'Oued Zitoune"] == (3, True)
    assert seats["Association Amal pour le sport"] == (2, True)
    assert sum(s for s, voting in seats.values() if not voting) == 2
    before = selectors.convention_rules_get(partnership=sports, at=date(2025, 6, 1))
    after = selectors.convention_rules_get(partnership=sports, at=date(2026, 6, 1))
    assert before is not None and after is not None
    assert before.notice_period_days == 10 and before.decision_rule.method.value == "consensus"
    assert str(before.expense_tolerance) == "1/10" and str(after.expense_tolerance) == "3/20"

    jobs = ConventionVersion.objects.get(convention__partnership__slug="programme-emploi-jeunes")
    assert jobs.status == "draft"
    errors = [p.code for p in services.version_problems(jobs) if p.severity == "error"]
    assert sorted(errors) == ["audit_frequency_missing", "termination_surplus_missing"]

    demo.load_demo()  # idempotent
    assert ConventionVersion.objects.count() == 4  # and base-de-plein-air's (closure demo)
