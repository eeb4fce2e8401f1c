"""The votes of a board in Popolo: events (the meetings), motions and vote events.

One builder for the API (``/api/meetings/partnerships/{slug}/popolo``, every closed vote
the reader may see) and the open data (``sharaka.opendata``, only the meetings whose minutes
are published). Ids follow the board's Popolo export (``governance.popolo``): ``board-N``,
``person-N``, ``organization-N``, so a document merging both resolves every reference.

- ``motion.date`` and the vote event's dates are date-times (ISO 8601, to the second);
- every motion and vote event names its meeting (``legislative_session_id``), and the
  meeting is in ``events``;
- counts give every member called to vote: yes, no, abstain, not voting (present, no vote
  cast) and absent (neither present nor represented);
- individual votes are given for roll-call votes (``nominal``) only: never for a secret
  ballot, nor for a show of hands (the secretary records the hands, not each member's vote);
  a vote's ``group_id`` is the organisation the member sits for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet

from sharaka.governance.models import Mandate
from sharaka.meetings.models import (
    Decision,
    Meeting,
    MeetingStatusChoice,
    Motion,
    MotionStatus,
    VotingModeChoice,
)
from sharaka.partnerships.models import Partnership

#: The options of a Popolo count, from the keys of the tally's counts.
COUNT_OPTIONS = (
    ("yes", "yes"),
    ("no", "no"),
    ("abstain", "abstain"),
    ("not_voting", "not voting"),
)


def timestamp(value: datetime) -> str:
    """A date-time as Popolo's patterns accept it: UTC, to the second."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def board_key(board_id: int) -> str:
    return f"board-{board_id}"


@dataclass
class VotesPopolo:
    events: list[dict[str, Any]] = field(default_factory=list)
    motions: list[dict[str, Any]] = field(default_factory=list)
    vote_events: list[dict[str, Any]] = field(default_factory=list)
    #: persons and organisations the documents refer to (voters, their groups)
    person_ids: set[int] = field(default_factory=set)
    organization_ids: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, list[dict[str, Any]]]:
        return {"events": self.events, "motions": self.motions, "vote_events": self.vote_events}


def _event(meeting: Meeting) -> dict[str, Any]:
    event: dict[str, Any] = {
        "id": f"meeting-{meeting.pk}",
        "name": str(meeting),
        "classification": "board meeting",
        "organization_id": board_key(meeting.board_id),
        "start_date": timestamp(meeting.starts_at),
        "status": meeting.status,
    }
    if meeting.ends_at:
        event["end_date"] = timestamp(meeting.ends_at)
    if meeting.place:
        event["location"] = meeting.place
    return event


def _counts(outcome: dict[str, Any]) -> list[dict[str, Any]]:
    counts = (outcome.get("result") or {}).get("counts") or {}
    values = [(option, int(counts.get(key, 0))) for key, option in COUNT_OPTIONS]
    called = len(outcome.get("electorate") or [])
    absent = max(0, called - sum(value for _o, value in values))
    return [{"option": option, "value": value} for option, value in [*values, ("absent", absent)]]


def votes_popolo(*, partnership: Partnership, published_only: bool) -> VotesPopolo:
    """The partnership's closed votes (with ``published_only``, only those of meetings
    whose minutes are published) and their meetings, in a fixed number of queries."""
    motions: QuerySet[Motion] = (
        Motion.objects.filter(item__meeting__partnership=partnership, status=MotionStatus.CLOSED)
        .select_related("item__meeting")
        .order_by("item__meeting__starts_at", "item__meeting_id", "item__position", "round", "pk")
    )
    if published_only:
        motions = motions.filter(item__meeting__status=MeetingStatusChoice.PUBLISHED)
    closed = list(motions)
    decisions = dict(
        Decision.objects.filter(motion__in=[m.pk for m in closed]).values_list(
            "motion_id", "number"
        )
    )
    mandate_ids = {
        row["mandate_id"] for m in closed for row in (m.outcome or {}).get("electorate") or []
    }
    groups = {
        pk: on_behalf_of or seat_org
        for pk, on_behalf_of, seat_org in Mandate.objects.filter(pk__in=mandate_ids).values_list(
            "pk", "on_behalf_of_id", "seat__organization_id"
        )
    }
    result = VotesPopolo()
    seen: set[int] = set()
    for motion in closed:
        meeting = motion.item.meeting
        if meeting.pk not in seen:
            seen.add(meeting.pk)
            result.events.append(_event(meeting))
        outcome = motion.outcome or {}
        board_id = board_key(meeting.board_id)
        session = f"meeting-{meeting.pk}"
        passed = "pass" if motion.adopted else "fail"
        motion_id = f"motion-{motion.pk}"
        result.motions.append(
            {
                "id": motion_id,
                "organization_id": board_id,
                "legislative_session_id": session,
                "text": motion.text,
                "identifier": decisions.get(motion.pk),
                "classification": motion.decision_kind,
                "date": timestamp(motion.opened_at),
                "requirement": (outcome.get("result") or {}).get("method_applied"),
                "result": passed,
            }
        )
        event: dict[str, Any] = {
            "id": f"vote-event-{motion.pk}",
            "motion_id": motion_id,
            "organization_id": board_id,
            "legislative_session_id": session,
            "identifier": decisions.get(motion.pk),
            "classification": motion.voting_mode,
            "start_date": timestamp(motion.opened_at),
            "result": passed,
            "counts": _counts(outcome),
        }
        if motion.closed_at:
            event["end_date"] = timestamp(motion.closed_at)
        if motion.voting_mode == VotingModeChoice.NOMINAL:
            electorate = {row["id"]: row for row in outcome.get("electorate") or []}
            votes = []
            for vote in outcome.get("votes") or []:
                row = electorate.get(vote["name"])
                if row is None:  # pragma: no cover - a snapshot's votes are its electorate's
                    continue
                person = int(row["person_id"])
                result.person_ids.add(person)
                cast: dict[str, Any] = {
                    "voter_id": f"person-{person}",
                    "option": vote["choice"],
                    "role": "proxy" if vote.get("by_proxy") else "voter",
                }
                group = groups.get(row["mandate_id"])
                if group is not None:
                    result.organization_ids.add(group)
                    cast["group_id"] = f"organization-{group}"
                votes.append(cast)
            event["votes"] = votes
        result.vote_events.append(event)
    return result
