"""Meeting services: each step of a meeting and each refusal."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sharaka.core.errors import AccessDenied, DomainError, NotFound, ValidationFailed
from sharaka.governance.models import Officer
from sharaka.meetings import services
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    Ballot,
    Decision,
    Erratum,
    Meeting,
    MeetingNotice,
    MeetingTransition,
    Minutes,
    Motion,
    Recusal,
)
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _code(excinfo: pytest.ExceptionInfo[DomainError]) -> str:
    return excinfo.value.code


# --- Creating and convening ----------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "officer", "coordinator"])
def test_meeting_create_by_managers(mw: MeetingWorld, role: str) -> None:
    meeting = services.meeting_create(
        by=mw.w.user(role),
        partnership=mw.w.a,
        fields={"starts_at": timezone.now() + timedelta(days=30), "place": "Mairie"},
    )
    assert meeting.status == "planned" and meeting.board == mw.board


@pytest.mark.parametrize(
    ("role", "error"),
    [
        ("board_member", AccessDenied),
        ("treasurer", AccessDenied),
        ("auditor", AccessDenied),
        ("other_officer", NotFound),
        ("outsider", NotFound),
    ],
)
def test_meeting_create_refused(mw: MeetingWorld, role: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        services.meeting_create(
            by=mw.w.user(role),
            partnership=mw.w.a,
            fields={"starts_at": timezone.now() + timedelta(days=30)},
        )


def test_the_board_chair_and_secretary_manage_meetings(mw: MeetingWorld) -> None:
    for name in ("chair", "secretary"):
        services.meeting_create(
            by=mw.users[name],
            partnership=mw.w.a,
            fields={"starts_at": timezone.now() + timedelta(days=30)},
        )
    with pytest.raises(AccessDenied):
        services.meeting_create(
            by=mw.users["b"],
            partnership=mw.w.a,
            fields={"starts_at": timezone.now() + timedelta(days=30)},
        )


def test_meeting_needs_a_board(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as excinfo:
        services.meeting_create(
            by=world.admin, partnership=world.b, fields={"starts_at": timezone.now()}
        )
    assert _code(excinfo) == Code.BOARD_MISSING


def test_convene_sends_the_convocation_with_an_invitation(
    mw: MeetingWorld, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = mw.meeting()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        notice = services.meeting_convene(by=mw.w.officer, meeting=meeting, url="http://x/1/")
        # queued, not sent, until the transaction commits and the task runs
        assert notice.state == "queued" and notice.recipients == [] and not mail.outbox
    assert len(queued) == 1
    notice.refresh_from_db()
    assert notice.state == "sent" and notice.failed == []
    meeting.refresh_from_db()
    assert meeting.status == "convened" and meeting.convened_at is not None
    step = MeetingTransition.objects.get(meeting=meeting)
    assert (step.from_status, step.to_status, step.by) == ("planned", "convened", mw.w.officer)
    # five members with an address (c has none) and the expert
    assert len(notice.recipients) == 5 and notice.missing == ["C Membre"]
    assert len(mail.outbox) == 5
    message = mail.outbox[0]
    assert "Convocation" in message.subject and "Budget" in message.body
    name, _content, mimetype = message.attachments[0]
    assert name == "convocation.ics" and mimetype == "application/ics"
    text, mimetype = message.alternatives[0]
    assert mimetype == "text/calendar" and isinstance(text, str)
    assert "BEGIN:VEVENT" in text and f"UID:meeting-{meeting.pk}@x" in text
    assert "METHOD:REQUEST" in text and "Salle du conseil" in text


def test_convene_refuses_a_notice_too_short_and_names_the_earliest_day(mw: MeetingWorld) -> None:
    meeting = mw.meeting(days=5)
    with pytest.raises(DomainError) as excinfo:
        services.meeting_convene(by=mw.admin, meeting=meeting)
    assert _code(excinfo) == Code.NOTICE_TOO_SHORT
    earliest = timezone.localdate() + timedelta(days=15)
    from django.utils import formats

    assert formats.date_format(earliest, "DATE_FORMAT") in excinfo.value.message
    assert "15 jours" in excinfo.value.message
    assert Meeting.objects.get(pk=meeting.pk).status == "planned"
    assert not mail.outbox


def test_notice_follows_the_rules_in_force(mw: MeetingWorld) -> None:
    mw.settings(notice_period_days=3)
    mw.convene(mw.meeting(days=5))


def test_convene_needs_a_place_and_an_agenda(mw: MeetingWorld) -> None:
    with pytest.raises(DomainError) as excinfo:
        services.meeting_convene(by=mw.admin, meeting=mw.meeting(place=""))
    assert _code(excinfo) == Code.PLACE_MISSING
    mw.convene(mw.meeting(place="", video_link="https://visio.example/abc"))
    with pytest.raises(DomainError) as excinfo:
        services.meeting_convene(by=mw.admin, meeting=mw.meeting(items=()))
    assert _code(excinfo) == Code.AGENDA_EMPTY


def test_convene_twice_and_agenda_frozen(mw: MeetingWorld) -> None:
    meeting = mw.convene(mw.meeting())
    with pytest.raises(DomainError) as excinfo:
        services.meeting_convene(by=mw.admin, meeting=meeting)
    assert _code(excinfo) == Code.TRANSITION_NOT_ALLOWED
    with pytest.raises(DomainError) as excinfo:
        services.item_add(
            by=mw.admin, meeting=meeting, fields={"kind": "information", "title": "Tard"}
        )
    assert _code(excinfo) == Code.AGENDA_FROZEN
    with pytest.raises(DomainError):
        services.meeting_update(by=mw.admin, meeting=meeting, fields={"place": "Ailleurs"})


def test_reminder(mw: MeetingWorld, django_capture_on_commit_callbacks: Any) -> None:
    meeting = mw.meeting()
    with pytest.raises(DomainError):
        services.meeting_remind(by=mw.admin, meeting=meeting)
    mw.convene(meeting)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.meeting_remind(by=mw.admin, meeting=meeting)
    notice.refresh_from_db()
    assert notice.kind == "reminder" and len(mail.outbox) == 5
    assert notice.state == "sent" and len(notice.recipients) == 5
    assert "Rappel" in mail.outbox[0].subject
    assert MeetingNotice.objects.filter(meeting=meeting).count() == 2


def test_agenda_order(mw: MeetingWorld) -> None:
    meeting = mw.meeting(
        items=(("information", "Un"), ("deliberation", "Deux"), ("information", "Trois"))
    )
    two = mw.item(meeting, 2)
    services.item_move(by=mw.admin, item=two, up=True)
    titles = list(meeting.items.order_by("position").values_list("title", flat=True))
    assert titles == ["Deux", "Un", "Trois"]
    services.item_remove(by=mw.admin, item=mw.item(meeting, 1))
    assert list(meeting.items.order_by("position").values_list("position", "title")) == [
        (1, "Un"),
        (2, "Trois"),
    ]


def test_minutes_approval_item_points_to_earlier_minutes_of_the_board(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    with pytest.raises(DomainError) as excinfo:
        services.item_add(
            by=mw.admin, meeting=meeting, fields={"kind": "minutes_approval", "title": "PV"}
        )
    assert _code(excinfo) == Code.MINUTES_TO_APPROVE_INVALID


# --- Session, attendance, quorum -----------------------------------------------------------


def test_open_not_before_the_day(mw: MeetingWorld) -> None:
    meeting = mw.convene(mw.meeting())
    with pytest.raises(DomainError) as excinfo:
        services.meeting_open(by=mw.admin, meeting=meeting)
    assert _code(excinfo) == Code.MEETING_NOT_DUE
    mw.open(meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == "held"


def test_attendance_proxies_and_experts(mw: MeetingWorld) -> None:
    from sharaka.meetings.selectors import quorum_get, roll_get

    meeting = mw.open(mw.convene(mw.meeting()))
    mw.attend(
        meeting,
        chair="present",
        a="present",
        expert="present",
        b=("proxy", "a", "Pouvoir écrit du 2 mars"),
        secretary="excused",
        c="absent",
    )
    report = quorum_get(roll_get(meeting=meeting))
    assert (report.present, report.electorate, report.met) == (3, 5, True)  # expert not counted
    with pytest.raises(ValidationFailed) as excinfo:
        mw.attend(meeting, c=("proxy", "a", "Autre pouvoir"))  # a holds b's already: limit 1
    assert "pouvoirs" in excinfo.value.message
    with pytest.raises(ValidationFailed) as excinfo:
        mw.attend(meeting, c=("proxy", "secretary", "x"))  # holder excused
    assert "présent" in excinfo.value.message
    with pytest.raises(ValidationFailed):
        mw.attend(meeting, c=("proxy", "chair", ""))  # not written
    with pytest.raises(ValidationFailed):
        mw.attend(meeting, a="absent")  # a holds b's proxy
    with pytest.raises(ValidationFailed):
        mw.attend(meeting, c=("proxy", "expert", "x"))  # an expert holds no vote
    mw.settings(max_proxies_per_member=2)
    mw.attend(meeting, c=("proxy", "a", "Autre pouvoir"))
    assert quorum_get(roll_get(meeting=meeting)).present == 4


def test_attendance_only_on_the_day(mw: MeetingWorld) -> None:
    meeting = mw.meeting()
    with pytest.raises(DomainError) as excinfo:
        mw.attend(meeting, a="present")
    assert _code(excinfo) == Code.ATTENDANCE_CLOSED


def test_no_deliberation_without_quorum(mw: MeetingWorld) -> None:
    meeting = mw.session(a="absent", b="absent", c="excused")  # 2 of 5
    with pytest.raises(DomainError) as excinfo:
        mw.motion(meeting)
    assert _code(excinfo) == Code.QUORUM_NOT_MET
    assert "2 membres présents" in excinfo.value.message


def test_second_convocation_with_its_own_quorum(mw: MeetingWorld) -> None:
    mw.settings(second_convocation_quorum="1/3")
    first = mw.session(a="absent", b="absent", c="excused")
    starts = first.starts_at + timedelta(days=15)
    second = services.meeting_reconvene(by=mw.admin, meeting=first, starts_at=starts)
    assert (second.convocation_number, second.reconvenes, second.quorum_override) == (
        2,
        first,
        "1/3",
    )
    assert list(second.items.values_list("title", flat=True)) == ["Budget"]
    with pytest.raises(DomainError) as excinfo:
        services.meeting_reconvene(by=mw.admin, meeting=first, starts_at=starts)
    assert _code(excinfo) == Code.SECOND_CONVOCATION_NOT_ALLOWED
    second = mw.open(mw.convene(second))
    mw.attend(second, chair="present", secretary="present")  # 2 of 5 >= 1/3
    motion = mw.motion(second)
    mw.record(motion, chair="yes", secretary="yes")
    result = services.motion_close(by=mw.admin, motion=motion)
    assert result.motion.adopted
    assert result.motion.outcome["rule"]["quorum"]["fraction"] == "1/3"


def test_no_second_convocation_when_the_quorum_is_met(mw: MeetingWorld) -> None:
    meeting = mw.session()
    with pytest.raises(DomainError) as excinfo:
        services.meeting_reconvene(
            by=mw.admin, meeting=meeting, starts_at=meeting.starts_at + timedelta(days=20)
        )
    assert _code(excinfo) == Code.SECOND_CONVOCATION_NOT_ALLOWED


# --- Conflicts of interest -----------------------------------------------------------------


def test_recusal_excludes_from_quorum_and_vote(mw: MeetingWorld) -> None:
    from sharaka.meetings.selectors import quorum_get, roll_get

    meeting = mw.session()
    item = mw.item(meeting)
    recusal = services.recusal_declare(by=mw.users["c"], item=item, reason="Fournisseur")
    assert recusal.mandate == mw.m["c"]
    with pytest.raises(DomainError) as excinfo:
        services.recusal_declare(by=mw.users["c"], item=item)
    assert _code(excinfo) == Code.CONFLICT_ALREADY_DECLARED
    report = quorum_get(roll_get(meeting=meeting), recused_mandates={mw.m["c"].pk})
    assert report.electorate == 4
    motion = mw.motion(meeting)
    with pytest.raises(DomainError) as excinfo:
        mw.record(motion, c="yes")
    assert _code(excinfo) == Code.RECUSED
    mw.record(motion, chair="yes", a="yes", b="yes", secretary="yes")
    result = services.motion_close(by=mw.admin, motion=motion)
    assert result.decision is not None
    assert result.decision.snapshot["recused"] == ["C Membre"]
    assert "conflit" in " ".join(result.decision.snapshot["explanation"]["fr"])


def test_recusal_refused_for_someone_else_unless_secretariat(mw: MeetingWorld) -> None:
    meeting = mw.session()
    item = mw.item(meeting)
    with pytest.raises(AccessDenied):
        services.recusal_declare(by=mw.users["b"], item=item, mandate_id=mw.m["c"].pk)
    services.recusal_declare(by=mw.users["secretary"], item=item, mandate_id=mw.m["c"].pk)
    assert Recusal.objects.filter(item=item).count() == 1


def test_recusal_after_the_vote_opened(mw: MeetingWorld) -> None:
    meeting = mw.session()
    mw.motion(meeting)
    with pytest.raises(DomainError) as excinfo:
        services.recusal_declare(by=mw.users["c"], item=mw.item(meeting))
    assert _code(excinfo) == Code.CONFLICT_AFTER_VOTE


# --- Ballots --------------------------------------------------------------------------------


def test_member_casts_own_ballot_in_a_nominal_vote(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="nominal")
    ballot = services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    assert (ballot.mandate, ballot.entered_by_secretary) == (mw.m["b"], False)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(by=mw.users["b"], motion=motion, choice="no")
    assert _code(excinfo) == Code.ALREADY_VOTED
    assert Ballot.objects.filter(motion=motion).count() == 1


def test_one_ballot_per_member_is_a_database_constraint(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(), mode="nominal")
    Ballot.objects.create(motion=motion, mandate=mw.m["a"], choice="yes")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(motion=motion, mandate=mw.m["a"], choice="no")


@pytest.mark.parametrize(
    ("who", "attendance", "code"),
    [
        ("expert", {}, Code.NOT_A_VOTING_MEMBER),
        ("c", {"c": "absent"}, Code.ABSENT),
        ("c", {"c": "excused"}, Code.ABSENT),
        ("b", {"b": ("proxy", "a", "pouvoir")}, Code.REPRESENTED),
    ],
)
def test_ballot_refused(mw: MeetingWorld, who: str, attendance: dict, code: str) -> None:  # type: ignore[type-arg]
    motion = mw.motion(mw.session(**attendance), mode="nominal")
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(by=mw.users[who], motion=motion, choice="yes")
    assert _code(excinfo) == code


def test_ballot_by_someone_not_on_the_board(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(), mode="nominal")
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(by=mw.w.coordinator, motion=motion, choice="yes")
    assert _code(excinfo) == Code.NOT_A_MEMBER
    with pytest.raises(AccessDenied):  # an auditor does not vote
        services.ballot_cast(by=mw.w.auditor, motion=motion, choice="yes")
    with pytest.raises(NotFound):
        services.ballot_cast(by=mw.w.other_officer, motion=motion, choice="yes")


def test_proxy_holder_votes_for_the_represented_member(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(b=("proxy", "a", "pouvoir du 2 mars")), mode="nominal")
    ballot = services.ballot_cast(
        by=mw.users["a"], motion=motion, choice="no", for_mandate_id=mw.m["b"].pk
    )
    assert (ballot.mandate, ballot.by_proxy) == (mw.m["b"], True)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(
            by=mw.users["c"], motion=motion, choice="no", for_mandate_id=mw.m["b"].pk
        )
    assert _code(excinfo) == Code.REPRESENTED


def test_show_of_hands_is_entered_by_the_secretariat_only(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session())
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    assert _code(excinfo) == Code.MODE_FORBIDS
    for role in ("board_member", "treasurer", "auditor"):
        with pytest.raises(AccessDenied):
            services.ballot_record(
                by=mw.w.user(role), motion=motion, mandate_id=mw.m["b"].pk, choice="yes"
            )
    with pytest.raises(AccessDenied):  # the chair is not the secretary
        services.ballot_record(
            by=mw.users["chair"], motion=motion, mandate_id=mw.m["b"].pk, choice="yes"
        )
    services.ballot_record(
        by=mw.users["secretary"], motion=motion, mandate_id=mw.m["b"].pk, choice="yes"
    )
    services.ballot_record(
        by=mw.w.coordinator, motion=motion, mandate_id=mw.m["a"].pk, choice="yes"
    )


def test_secret_ballot_cannot_be_entered_by_anyone_else(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(), mode="secret")
    with pytest.raises(DomainError) as excinfo:
        mw.record(motion, b="yes")
    assert _code(excinfo) == Code.MODE_FORBIDS
    for name in ("chair", "secretary", "a", "b", "c"):
        services.ballot_cast(
            by=mw.users[name], motion=motion, choice="no" if name == "c" else "yes"
        )
    result = services.motion_close(by=mw.admin, motion=motion)
    assert not result.motion.adopted  # consensus: one objection
    assert result.motion.outcome["votes"] is None
    assert result.motion.outcome["result"]["counts"] == {
        "yes": 4,
        "no": 1,
        "abstain": 0,
        "not_voting": 0,
    }


def test_no_ballot_after_close_and_closed_motions_are_frozen(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="nominal")
    services.ballot_cast(by=mw.users["a"], motion=motion, choice="yes")
    services.motion_close(by=mw.admin, motion=motion)
    with pytest.raises(DomainError) as excinfo:
        services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    assert _code(excinfo) == Code.MOTION_CLOSED
    with pytest.raises(DomainError) as excinfo:
        services.motion_close(by=mw.admin, motion=motion)
    assert _code(excinfo) == Code.MOTION_CLOSED
    closed = Motion.objects.get(pk=motion.pk)
    closed.text = "Autre chose"
    with pytest.raises(DomainError) as excinfo:
        closed.save()
    assert _code(excinfo) == Code.IMMUTABLE
    ballot = Ballot.objects.get(motion=motion)
    ballot.choice = "no"
    with pytest.raises(DomainError):
        ballot.save()
    with pytest.raises(DomainError):
        ballot.delete()


def test_closing_needs_the_secretariat(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session())
    with pytest.raises(AccessDenied):
        services.motion_close(by=mw.users["b"], motion=motion)


def test_ballot_outside_the_session(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting)
    mw.record(motion, a="yes")
    services.motion_close(by=mw.admin, motion=motion)
    services.minutes_draft(by=mw.admin, meeting=meeting)
    with pytest.raises(DomainError) as excinfo:
        mw.motion(meeting, position=1)
    assert _code(excinfo) == Code.NOT_IN_SESSION


# --- Outcomes and decisions ----------------------------------------------------------------


def test_consensus_decision_and_its_snapshot(mw: MeetingWorld) -> None:
    meeting = mw.session(c=("proxy", "chair", "Pouvoir écrit n°1"))
    motion = mw.motion(meeting)
    mw.record(motion, chair="yes", secretary="yes", a="abstain", b="yes", c="yes")
    result = services.motion_close(by=mw.admin, motion=motion)
    decision = result.decision
    assert decision is not None
    year = meeting.day.year
    assert decision.number == f"CA-{year}-001" and decision.kind == "other"
    snap = decision.snapshot
    assert snap["rule"]["method"] == "consensus" and snap["rule_applied"]["method"] == "consensus"
    assert len(snap["electorate"]) == 5 and "Expert Membre" not in str(snap["electorate"])
    assert snap["attendance"]["C Membre"] == "proxy:Chair Membre"
    assert snap["proxy_references"] == {"C Membre": "Pouvoir écrit n°1"}
    assert snap["result"]["counts"] == {"yes": 4, "no": 0, "abstain": 1, "not_voting": 0}
    assert set(snap["explanation"]) == {"fr", "en", "ar"}
    assert snap["explanation"]["en"][-1] == "The motion is adopted."
    assert {"name": "C Membre", "choice": "yes", "by_proxy": True} in snap["votes"]
    # the closed vote is sealed first (position 1), then its decision
    assert decision.chain_position == 2 and len(decision.chain_hash) == 64
    assert Motion.objects.get(pk=decision.motion_id).chain_position == 1


def test_round_two_by_qualified_majority(mw: MeetingWorld) -> None:
    meeting = mw.session()
    first = mw.motion(meeting)
    choices = {"chair": "yes", "secretary": "yes", "a": "yes", "b": "yes", "c": "no"}
    mw.record(first, **choices)
    result = services.motion_close(by=mw.admin, motion=first)
    assert result.decision is None and result.motion.outcome["result"]["reason"] == "objection"
    with pytest.raises(DomainError):
        mw.motion(meeting)  # a new round, not a new first motion
    second = services.motion_next_round(by=mw.admin, motion=first)
    assert second.round == 2 and second.text == first.text
    with pytest.raises(DomainError) as excinfo:
        services.motion_next_round(by=mw.admin, motion=second)
    assert _code(excinfo) == Code.MOTION_OPEN
    mw.record(second, **choices)
    result = services.motion_close(by=mw.admin, motion=second)
    assert result.decision is not None
    assert result.motion.outcome["result"]["method_applied"] == "qualified"
    assert result.decision.snapshot["explanation"]["fr"][0].startswith("Tour 2")
    with pytest.raises(DomainError) as excinfo:
        services.motion_next_round(by=mw.admin, motion=second)
    assert _code(excinfo) == Code.MOTION_ALREADY_DECIDED


def test_no_second_round_without_a_fallback(mw: MeetingWorld) -> None:
    mw.settings(fallback_method="")
    meeting = mw.session()
    motion = mw.motion(meeting)
    mw.record(motion, chair="no")
    services.motion_close(by=mw.admin, motion=motion)
    with pytest.raises(DomainError) as excinfo:
        services.motion_next_round(by=mw.admin, motion=motion)
    assert _code(excinfo) == Code.ROUND_NOT_ALLOWED


def test_decisions_are_numbered_per_partnership_and_year(mw: MeetingWorld) -> None:
    numbers = []
    for _ in range(3):
        meeting = mw.session()
        motion = mw.motion(meeting)
        mw.record(motion, chair="yes")
        numbers.append(services.motion_close(by=mw.admin, motion=motion).decision.number)  # type: ignore[union-attr]
    year = meeting.day.year
    assert numbers == [f"CA-{year}-001", f"CA-{year}-002", f"CA-{year}-003"]
    decision = Decision.objects.get(number=numbers[0])
    decision.title = "Changé"
    with pytest.raises(DomainError):
        decision.save()
    with pytest.raises(DomainError):
        decision.delete()


def test_officer_appointment_decision_appoints_through_governance(mw: MeetingWorld) -> None:
    meeting = mw.open(mw.convene(mw.meeting(items=(("election", "Vice-présidence"),))))
    mw.attend(meeting, chair="present", secretary="present", a="present", b="present", c="present")
    motion = mw.motion(meeting, appoint_role="vice_chair", appoint_mandate_id=mw.m["b"].pk)
    assert motion.decision_kind == "officer_appointment"
    mw.record(motion, chair="yes", secretary="yes", a="yes", b="abstain", c="yes")
    result = services.motion_close(by=mw.admin, motion=motion)
    assert result.appointment_error == ""
    officer = Officer.objects.get(board=mw.board, role="vice_chair")
    assert officer.mandate == mw.m["b"] and officer.appointing_decision_id == result.decision.pk  # type: ignore[union-attr]
    with pytest.raises(DomainError) as excinfo:
        services.decision_apply_appointment(by=mw.admin, decision=result.decision)  # type: ignore[arg-type]
    assert _code(excinfo) == Code.APPOINTMENT_ALREADY_APPLIED


def test_appointment_to_a_role_still_held_is_applied_later(mw: MeetingWorld) -> None:
    from sharaka.governance import services as governance_services

    meeting = mw.open(mw.convene(mw.meeting(items=(("election", "Présidence"),))))
    mw.attend(meeting, chair="present", secretary="present", a="present")
    motion = mw.motion(meeting, appoint_role="chair", appoint_mandate_id=mw.m["a"].pk)
    mw.record(motion, chair="yes", secretary="yes", a="yes")
    result = services.motion_close(by=mw.admin, motion=motion)
    assert result.decision is not None and "déjà tenue" in result.appointment_error
    chair = Officer.objects.get(board=mw.board, role="chair", end_date__isnull=True)
    governance_services.officer_end(
        by=mw.admin, board=mw.board, officer=chair, end_date=meeting.day - timedelta(days=1)
    )
    officer = services.decision_apply_appointment(by=mw.admin, decision=result.decision)
    assert officer.appointing_decision_id == result.decision.pk


# --- Minutes --------------------------------------------------------------------------------


def _voted_meeting(mw: MeetingWorld) -> Meeting:
    meeting = mw.session(b=("proxy", "a", "Pouvoir du 1er mars"))
    services.recusal_declare(by=mw.users["c"], item=mw.item(meeting), reason="Intérêt")
    motion = mw.motion(meeting)
    mw.record(motion, chair="yes", secretary="yes", a="yes", b="yes")
    services.motion_close(by=mw.admin, motion=motion)
    return meeting


def test_minutes_lifecycle(mw: MeetingWorld) -> None:
    meeting = _voted_meeting(mw)
    minutes = services.minutes_draft(by=mw.admin, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == "minutes_drafted"
    content = minutes.content
    assert content["attendance"]["represented"][0]["holder"] == "A Membre"
    assert content["items"][0]["recusals"] == [{"name": "C Membre", "reason": "Intérêt"}]
    motion = content["items"][0]["motions"][0]
    assert motion["decision"]["number"].startswith("CA-") and motion["explanation"]["ar"]
    services.minutes_update(
        by=mw.users["secretary"],
        minutes=minutes,
        opening_text="Ouverte.",
        closing_text="Levée.",
        item_notes={"1": "Débat nourri."},
    )
    # the chair signs in person; the secretary's handwritten signature is recorded
    services.minutes_sign(by=mw.users["chair"], minutes=minutes, role="chair")
    with pytest.raises(DomainError) as excinfo:
        services.minutes_sign(by=mw.users["chair"], minutes=minutes, role="chair")
    assert _code(excinfo) == Code.ALREADY_SIGNED
    signature = services.minutes_sign(by=mw.w.coordinator, minutes=minutes, role="secretary")
    assert not signature.in_person and signature.signer_name == "Secretary Membre"
    minutes.refresh_from_db()
    assert minutes.is_signed and minutes.chain_position == 3  # after the vote and its decision
    assert Meeting.objects.get(pk=meeting.pk).status == "minutes_signed"
    # once signed: never changed, neither by the services nor by save()
    with pytest.raises(DomainError) as excinfo:
        services.minutes_update(
            by=mw.admin, minutes=minutes, opening_text="x", closing_text="", item_notes={}
        )
    assert _code(excinfo) == Code.MINUTES_SIGNED
    with pytest.raises(DomainError):
        services.minutes_draft(by=mw.admin, meeting=meeting)
    minutes.opening_text = "Réécrit"
    with pytest.raises(DomainError) as excinfo:
        minutes.save()
    assert _code(excinfo) == Code.IMMUTABLE
    erratum = services.erratum_add(by=mw.admin, minutes=minutes, text="Lire « 10 h 15 ».")
    assert erratum.chain_position == 4
    services.meeting_publish(by=mw.admin, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == "published"


def test_signing_refusals(mw: MeetingWorld) -> None:
    minutes = services.minutes_draft(by=mw.admin, meeting=_voted_meeting(mw))
    with pytest.raises(DomainError) as excinfo:  # a member who is not the secretary
        services.minutes_sign(by=mw.users["b"], minutes=minutes, role="secretary")
    assert _code(excinfo) == Code.NOT_THE_OFFICER
    with pytest.raises(DomainError) as excinfo:  # a member signing as chair
        services.minutes_sign(by=mw.users["a"], minutes=minutes, role="chair")
    assert _code(excinfo) == Code.NOT_THE_OFFICER
    with pytest.raises(NotFound):
        services.minutes_sign(by=mw.w.other_officer, minutes=minutes, role="chair")
    with pytest.raises(ValidationFailed):
        services.minutes_sign(by=mw.admin, minutes=minutes, role="treasurer")
    with pytest.raises(DomainError) as excinfo:
        services.erratum_add(by=mw.admin, minutes=minutes, text="x")
    assert _code(excinfo) == Code.MINUTES_NOT_SIGNED
    with pytest.raises(DomainError) as excinfo:
        services.meeting_publish(by=mw.admin, meeting=minutes.meeting)
    assert _code(excinfo) == Code.TRANSITION_NOT_ALLOWED


def test_the_secretary_records_the_chairs_handwritten_signature(mw: MeetingWorld) -> None:
    minutes = services.minutes_draft(by=mw.admin, meeting=_voted_meeting(mw))
    chair = services.minutes_sign(by=mw.users["secretary"], minutes=minutes, role="chair")
    own = services.minutes_sign(by=mw.users["secretary"], minutes=minutes, role="secretary")
    assert (chair.in_person, chair.signed_by, chair.signer_name) == (
        False,
        mw.users["secretary"],
        "Chair Membre",
    )
    assert own.in_person


def test_signing_without_a_secretary_on_the_board(mw: MeetingWorld) -> None:
    from sharaka.governance import services as governance_services

    minutes = services.minutes_draft(by=mw.admin, meeting=_voted_meeting(mw))
    secretary = Officer.objects.get(board=mw.board, role="secretary")
    governance_services.officer_end(
        by=mw.admin,
        board=mw.board,
        officer=secretary,
        end_date=minutes.meeting.day - timedelta(days=1),
    )
    with pytest.raises(DomainError) as excinfo:
        services.minutes_sign(by=mw.admin, minutes=minutes, role="secretary")
    assert _code(excinfo) == Code.NO_OFFICER


def test_draft_minutes_needs_closed_votes(mw: MeetingWorld) -> None:
    meeting = mw.session()
    mw.motion(meeting)
    with pytest.raises(DomainError) as excinfo:
        services.minutes_draft(by=mw.admin, meeting=meeting)
    assert _code(excinfo) == Code.MOTION_OPEN
    with pytest.raises(DomainError) as excinfo:
        mw.attend(meeting, a="absent")
    assert _code(excinfo) == Code.MOTION_OPEN


def test_minutes_approved_at_the_next_meeting(mw: MeetingWorld) -> None:
    minutes = services.minutes_draft(by=mw.admin, meeting=_voted_meeting(mw))
    services.minutes_sign(by=mw.admin, minutes=minutes, role="chair")
    services.minutes_sign(by=mw.admin, minutes=minutes, role="secretary")
    meeting = mw.meeting(days=40, items=())
    item = services.item_add(
        by=mw.admin,
        meeting=meeting,
        fields={
            "kind": "minutes_approval",
            "title": "Approbation du PV",
            "minutes_to_approve": minutes,
        },
    )
    meeting = mw.open(mw.convene(meeting))
    mw.attend(meeting, chair="present", secretary="present", a="present")
    motion = services.motion_open(
        by=mw.admin, item=item, text="PV approuvé", voting_mode="show_of_hands"
    )
    assert motion.decision_kind == "minutes_approval"
    mw.record(motion, chair="yes", secretary="yes", a="yes")
    decision = services.motion_close(by=mw.admin, motion=motion).decision
    assert decision is not None and decision.item.minutes_to_approve == minutes
    assert Minutes.objects.get(pk=minutes.pk).is_signed  # approval never touches them


def test_errata_are_append_only(mw: MeetingWorld) -> None:
    minutes = services.minutes_draft(by=mw.admin, meeting=_voted_meeting(mw))
    services.minutes_sign(by=mw.admin, minutes=minutes, role="chair")
    services.minutes_sign(by=mw.admin, minutes=minutes, role="secretary")
    erratum = services.erratum_add(by=mw.admin, minutes=minutes, text="Correction")
    erratum = Erratum.objects.get(pk=erratum.pk)
    erratum.text = "Autre"
    with pytest.raises(DomainError):
        erratum.save()


def test_attendance_ignores_rows_of_members_no_longer_on_the_roll(mw: MeetingWorld) -> None:
    """A mandate ended (back-dated) after the roll call leaves an attendance row for a
    person no longer on the roll; updating the sheet must not fail on it (was KeyError)."""
    from sharaka.governance import services as governance

    meeting = mw.session()
    mandate = mw.m["c"]
    governance.mandate_end(
        by=mw.admin, board=mandate.seat.board, mandate=mandate,
        end_date=max(mandate.start_date, timezone.localdate() - timedelta(days=1)),
    )  # fmt: skip
    services.attendance_update(by=mw.admin, meeting=meeting, entries={})
    mw.attend(meeting, a="present")
    assert meeting.attendances.get(mandate=mw.m["a"]).status == "present"


def test_board_document_size_limit_is_configurable(mw: MeetingWorld, settings: Any) -> None:
    meeting = mw.meeting()
    settings.SHARAKA_MAX_UPLOAD_MB = 12
    big = SimpleUploadedFile("gros.pdf", b"%PDF-1.4" + b"0" * (11 << 20))
    services.document_add(by=mw.admin, meeting=meeting, title="Gros", file=big)
    settings.SHARAKA_MAX_UPLOAD_MB = 0.01
    with pytest.raises(DomainError) as caught:
        services.document_add(
            by=mw.admin,
            meeting=meeting,
            title="Petit",
            file=SimpleUploadedFile("p.pdf", b"%PDF-1.4" + b"0" * 20_000),
        )
    assert caught.value.field == "file" and "Fichier : fichier trop lourd" in caught.value.message


# --- A terminated partnership ----------------------------------------------------------------

TERMINATED_MESSAGE = "Ce partenariat est terminé"


def _terminate(mw: MeetingWorld) -> None:
    type(mw.w.a).objects.filter(pk=mw.w.a.pk).update(status="terminated")
    mw.w.a.refresh_from_db()


def test_a_terminated_partnership_refuses_meetings_and_ballots_saying_why(
    mw: MeetingWorld,
) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="nominal")
    _terminate(mw)
    with pytest.raises(AccessDenied) as refused:
        services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    assert TERMINATED_MESSAGE in refused.value.message
    with pytest.raises(AccessDenied) as refused:
        services.meeting_create(
            by=mw.admin, partnership=mw.w.a,
            fields={"starts_at": timezone.now() + timedelta(days=3), "place": "Salle"},
        )  # fmt: skip
    assert TERMINATED_MESSAGE in refused.value.message
    assert not Ballot.objects.filter(motion=motion).exists()
