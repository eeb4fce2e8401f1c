"""The minutes' record of a meeting, drafted from the data: attendance, quorum, items,
recusals, every vote with the rules engine's explanation (fr, en, ar) and the decisions.

The record is plain JSON stored with the minutes (``Minutes.content``): once the minutes are
signed it is part of what the hash chain protects, and the PDF or the page in any language
is laid out from it alone (``meetings.document``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from sharaka.meetings import rules
from sharaka.meetings.models import Decision, Meeting, Motion, MotionStatus
from sharaka.meetings.selectors import Roll, items_of, quorum_get, roll_get

CONTENT_VERSION = 1


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _person(row: Any) -> dict[str, Any]:
    return {"name": row.name, "organization": row.organization, "roles": list(row.role_codes)}


def attendance_content(roll: Roll) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {
        "present": [],
        "represented": [],
        "excused": [],
        "absent": [],
        "not_recorded": [],
    }
    for row in roll.voting:
        record = roll.attendance.get(row.mandate.pk)
        if record is None:
            groups["not_recorded"].append(_person(row))
        elif record.status == rules.Presence.PROXY:
            holder = roll.holder_of(row.mandate.pk)
            groups["represented"].append(
                {
                    **_person(row),
                    "holder": holder.name if holder else "",
                    "reference": record.proxy_reference,
                }
            )
        elif record.status == rules.Presence.PRESENT:
            groups["present"].append(_person(row))
        else:
            groups[record.status].append(_person(row))
    experts = [
        {**_person(row), "status": roll.status_of(row.mandate.pk) or "not_recorded"}
        for row in roll.experts
    ]
    return {**groups, "experts": experts}


def motion_outcome_content(motion: Motion) -> dict[str, Any]:
    """What the minutes say about one closed motion (secret votes: counts only)."""
    outcome = motion.outcome or {}
    decision = getattr(motion, "decision", None) if motion.adopted else None
    return {
        "round": motion.round,
        "text": motion.text,
        "voting_mode": motion.voting_mode,
        "adopted": bool(motion.adopted),
        "reason": outcome.get("result", {}).get("reason"),
        "counts": outcome.get("result", {}).get("counts"),
        "explanation": outcome.get("explanation", {}),
        "votes": outcome.get("votes"),
        "lapsed_proxies": outcome.get("lapsed_proxies", []),
        "decision": None
        if decision is None
        else {
            "number": decision.number,
            "title": decision.title,
            "text": decision.text,
            "kind": decision.kind,
        },
    }


def build(meeting: Meeting) -> dict[str, Any]:
    """The record of ``meeting`` as it stands (fixed number of queries)."""
    roll = roll_get(meeting=meeting)
    items = items_of(meeting)
    decisions = {
        d.motion_id: d for d in Decision.objects.filter(meeting=meeting).order_by("sequence")
    }
    quorum = quorum_get(roll) if roll.attendance else None
    reconvenes = meeting.reconvenes
    item_rows = []
    for item in items:
        recusals = [
            {
                "name": roll.by_mandate[r.mandate_id].name
                if r.mandate_id in roll.by_mandate
                else str(r.mandate_id),
                "reason": r.reason,
            }
            for r in item.recusals.all()
        ]
        motions = []
        for motion in item.motions.all():
            if motion.status != MotionStatus.CLOSED:
                continue
            if motion.pk in decisions:
                motion.decision = decisions[motion.pk]
            motions.append(motion_outcome_content(motion))
        approving = item.minutes_to_approve
        item_rows.append(
            {
                "position": item.position,
                "kind": item.kind,
                "title": item.title,
                "description": item.description,
                "minutes_to_approve": None
                if approving is None
                else {
                    "meeting_id": approving.meeting_id,
                    "date": approving.meeting.day.isoformat(),
                },
                "recusals": recusals,
                "documents": [d.title for d in item.documents.all()],
                "motions": motions,
            }
        )
    chair = roll.officers.get("chair")
    secretary = roll.officers.get("secretary")
    return {
        "version": CONTENT_VERSION,
        "partnership": {"title": meeting.partnership.title, "slug": meeting.partnership.slug},
        "board": meeting.board.name,
        "meeting": {
            "id": meeting.pk,
            "title": meeting.title,
            "kind": meeting.kind,
            "starts_at": _when(meeting.starts_at),
            "date": meeting.day.isoformat(),
            "time": timezone.localtime(meeting.starts_at).strftime("%H:%M"),
            "place": meeting.place,
            "video_link": meeting.video_link,
            "convocation_number": meeting.convocation_number,
            "reconvenes_date": reconvenes.day.isoformat() if reconvenes else None,
            "quorum_override": meeting.quorum_override or None,
            "convened_at": _when(meeting.convened_at),
            "opened_at": _when(meeting.opened_at),
        },
        "officers": {
            "chair": str(chair.mandate.person) if chair else None,
            "secretary": str(secretary.mandate.person) if secretary else None,
        },
        "rules_source": roll.rules.source,
        "attendance": attendance_content(roll),
        "quorum": None
        if quorum is None
        else {
            "present": quorum.present,
            "electorate": quorum.electorate,
            "required": str(quorum.required),
            "met": quorum.met,
        },
        "items": item_rows,
        "decisions": [{"number": d.number, "title": d.title} for d in decisions.values()],
        "generated_at": _when(timezone.now()),
    }
