"""The demo meetings of ``complexe-sportif``: a past meeting with signed minutes (officer
appointment, consensus, round two by qualified majority, a recusal, a proxy) and a convened
upcoming meeting; ``sharaka verify`` passes; loading twice changes nothing."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sharaka import demo
from sharaka.governance.models import Officer
from sharaka.meetings import verify
from sharaka.meetings.models import Attendance, Decision, Meeting, Minutes, Recusal

pytestmark = pytest.mark.django_db


def test_demo_meetings(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # the board pack's PDF
    demo.load_demo()
    meetings = list(
        Meeting.objects.filter(partnership__slug="complexe-sportif").order_by("starts_at")
    )
    # the third, the spring session in preparation, is the audit demo's (the overdue
    # recommendation proposed on its agenda: tests/audit/test_demo.py)
    past, upcoming, spring = meetings
    assert spring.status == "planned" and spring.title == "Session ordinaire de printemps"
    assert past.status == "published" and past.day < timezone.localdate()
    minutes = Minutes.objects.get(meeting=past)
    assert minutes.is_signed and minutes.signatures.count() == 2
    decisions = list(Decision.objects.filter(meeting=past).order_by("sequence"))
    assert [d.kind for d in decisions] == [
        "officer_appointment", "other", "other", "action_plan_adoption",
    ]  # fmt: skip
    assert decisions[0].snapshot["result"]["method_applied"] == "consensus"
    assert decisions[2].motion.round == 2
    assert decisions[2].snapshot["result"]["method_applied"] == "qualified"
    assert Recusal.objects.filter(item__meeting=past).count() == 1
    assert Attendance.objects.filter(meeting=past, status="proxy").count() == 1
    officer = Officer.objects.get(appointing_decision_id=decisions[0].pk)
    assert officer.role == "vice_chair"

    assert upcoming.status == "convened"
    assert upcoming.day >= timezone.localdate() + timedelta(days=10)
    assert upcoming.items.filter(minutes_to_approve=minutes).exists()
    assert upcoming.documents.count() == 1

    out, err = io.StringIO(), io.StringIO()
    assert verify.main(out, err) == 0, err.getvalue()
    # six closed votes (one of them rejected), five decisions, one signed minutes; and the
    # closure demo's vote and decision on base-de-plein-air's notice
    assert out.getvalue().startswith("OK: 14 chained records")

    demo.load_demo()  # idempotent
    # with the closure demo's meeting and the audit demo's spring session
    assert Meeting.objects.count() == 5 and Decision.objects.count() == 6
