"""Secret votes: the database keeps who voted and, apart, what was chosen — never both."""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharaka.governance.rules.values import Fallback, Method, Rule, TieBreak
from sharaka.meetings import rules, services
from sharaka.meetings.models import Ballot, SecretChoice
from tests.frozen import migration_apps
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _cast(mw: MeetingWorld, motion: object, **choices: str) -> None:
    for name, choice in choices.items():
        services.ballot_cast(by=mw.users[name], motion=motion, choice=choice)  # type: ignore[arg-type]


def test_a_secret_ballot_names_no_one(mw: MeetingWorld) -> None:
    meeting = mw.session()
    motion = mw.motion(meeting, mode="secret")
    _cast(mw, motion, chair="yes", secretary="no", b="yes", c="abstain")
    ballots = Ballot.objects.filter(motion=motion)
    assert ballots.count() == 4 and set(ballots.values_list("choice", flat=True)) == {None}
    assert {f.name for f in SecretChoice._meta.get_fields()} == {
        "id",
        "motion",
        "college",
        "choice",
    }  # fmt: skip  (no member, no person, no user, no time)
    colleges = {mw.m[n].seat.college.code for n in ("chair", "secretary", "b", "c")}
    assert set(SecretChoice.objects.values_list("college", flat=True)) == colleges
    result = services.motion_close(by=mw.admin, motion=motion).motion.outcome
    assert result["result"]["counts"] == {"yes": 2, "no": 1, "abstain": 1, "not_voting": 1}
    assert result["votes"] is None


def test_voting_twice_is_still_refused(mw: MeetingWorld) -> None:
    from sharaka.core.errors import DomainError

    motion = mw.motion(mw.session(), mode="secret")
    _cast(mw, motion, b="no")
    with pytest.raises(DomainError, match="déjà enregistré"):
        _cast(mw, motion, b="yes")
    assert SecretChoice.objects.filter(motion=motion).count() == 1  # nothing half-written


@pytest.mark.parametrize(("mode", "adopted"), [("nominal", True), ("secret", False)])
def test_the_chairs_casting_vote_needs_a_known_vote(
    mw: MeetingWorld, mode: str, adopted: bool
) -> None:
    mw.settings(method="simple", tie_break="chair")
    motion = mw.motion(mw.session(), mode=mode)
    _cast(mw, motion, chair="yes", a="no", secretary="abstain", b="abstain", c="abstain")
    closed = services.motion_close(by=mw.admin, motion=motion).motion
    assert closed.outcome["result"]["adopted"] is adopted
    assert closed.outcome["rule"]["tie_break"] == ("chair" if mode == "nominal" else "none")


def test_old_secret_ballots_are_moved_out_by_the_migration(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(), mode="secret")
    _cast(mw, motion, secretary="no", b="yes")
    # as recorded before the migration: the choice on the member's ballot (written past
    # the models' guard, as the old code could)
    Ballot._base_manager.filter(motion=motion, mandate=mw.m["secretary"]).update(choice="no")
    Ballot._base_manager.filter(motion=motion, mandate=mw.m["b"]).update(choice="yes")
    SecretChoice._base_manager.filter(motion=motion).delete()
    migration = importlib.import_module(
        "sharaka.meetings.migrations.0003_secret_ballots_forget_the_voter"
    )
    migration.forget_the_voter(migration_apps(), None)
    assert set(Ballot.objects.filter(motion=motion).values_list("choice", flat=True)) == {None}
    college = mw.m["b"].seat.college.code
    assert sorted(SecretChoice.objects.values_list("college", "choice")) == [
        (college, "no"), (college, "yes"),
    ]  # fmt: skip


# ------------------------------------------------------------------------ pure rules

COLLEGES = st.sampled_from(["local_public", "associative", "private"])
CHOICES = st.sampled_from(["yes", "no", "abstain"])


@given(st.lists(st.tuples(COLLEGES, CHOICES), max_size=30))
def test_dealing_secret_choices_keeps_every_count(votes: list[tuple[str, str]]) -> None:
    voters: dict[str, list[int]] = {}
    choices: dict[str, list[str]] = {}
    for mandate, (college, choice) in enumerate(votes):
        voters.setdefault(college, []).append(mandate)
        choices.setdefault(college, []).append(choice)
    dealt = rules.secret_votes_by_member(voters, choices)
    assert sorted(dealt) == list(range(len(votes)))
    for college, members in voters.items():
        assert sorted(dealt[m] for m in members) == sorted(choices[college])


def test_dealing_refuses_counts_that_do_not_match() -> None:
    with pytest.raises(ValueError, match="college 'private': 1 voters but 2 secret choices"):
        rules.secret_votes_by_member({"private": [1]}, {"private": ["yes", "no"]})


def test_rule_for_a_secret_vote_has_no_casting_vote() -> None:
    rule = Rule(
        method=Method.SIMPLE,
        tie_break=TieBreak.CHAIR,
        fallback=Fallback(2, Rule(method=Method.SIMPLE, tie_break=TieBreak.CHAIR)),
    )
    secret = rules.rule_for_mode(rule, rules.VotingMode.SECRET)
    assert secret.tie_break is TieBreak.NONE
    assert secret.fallback is not None and secret.fallback.rule.tie_break is TieBreak.NONE
    for mode in (rules.VotingMode.NOMINAL, rules.VotingMode.SHOW_OF_HANDS):
        assert rules.rule_for_mode(rule, mode) is rule
