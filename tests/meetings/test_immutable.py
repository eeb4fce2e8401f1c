"""What the meetings app keeps for ever (``core.immutable``): ballots, secret choices,
closed motions, decisions, signed minutes, their signatures, errata and the chain's links
refuse every change and deletion, through ``save()``, ``delete()`` and querysets alike."""

from __future__ import annotations

import pytest

from sharaka.meetings import services
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models import (
    Ballot,
    ChainLink,
    Decision,
    Minutes,
    MinutesSignature,
    Motion,
    SecretChoice,
)
from tests.frozen import assert_frozen, refused
from tests.meetings.conftest import MeetingWorld

pytestmark = pytest.mark.django_db


def _closed_vote(mw: MeetingWorld, mode: str = "nominal") -> Motion:
    motion = mw.motion(mw.session(), mode=mode)
    for name in ("chair", "secretary", "a", "b"):
        services.ballot_cast(by=mw.users[name], motion=motion, choice="yes")
    assert services.motion_close(by=mw.admin, motion=motion).decision is not None
    return Motion.objects.get(pk=motion.pk)


def test_a_closed_vote_its_ballots_decision_and_links_never_change(mw: MeetingWorld) -> None:
    motion = _closed_vote(mw)
    assert_frozen(motion, Code.IMMUTABLE, text="Autre chose")
    assert_frozen(Ballot.objects.filter(motion=motion).first(), Code.IMMUTABLE, choice="no")  # type: ignore[arg-type]
    decision = Decision.objects.get(motion=motion)
    assert_frozen(decision, Code.IMMUTABLE, text="Réécrite")
    assert_frozen(ChainLink.objects.get(position=decision.chain_position), Code.IMMUTABLE, hash="0")


def test_the_choices_of_a_secret_vote_never_change(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session(), mode="secret")
    services.ballot_cast(by=mw.users["b"], motion=motion, choice="yes")
    choice = SecretChoice.objects.get(motion=motion)
    assert_frozen(choice, Code.IMMUTABLE, choice="no")  # even while the vote is open


def test_an_open_motion_changes_but_no_motion_is_deleted(mw: MeetingWorld) -> None:
    motion = mw.motion(mw.session())
    motion.text = "Le conseil adopte, amendé."
    motion.save()
    assert Motion.objects.filter(pk=motion.pk).update(text="Encore amendé.") == 1
    refused(motion.delete, Code.IMMUTABLE)
    refused(Motion.objects.filter(pk=motion.pk).delete, Code.IMMUTABLE)
    assert Motion.objects.get(pk=motion.pk).text == "Encore amendé."


def test_signed_minutes_their_signatures_and_errata_never_change(mw: MeetingWorld) -> None:
    meeting = _closed_vote(mw).item.meeting
    minutes = services.minutes_draft(by=mw.admin, meeting=meeting)
    minutes.opening_text = "Ouverte à 10 h."  # a draft is written freely…
    minutes.save()
    refused(minutes.delete, Code.IMMUTABLE)  # …but never deleted
    services.minutes_sign(by=mw.users["chair"], minutes=minutes, role="chair")
    services.minutes_sign(by=mw.w.coordinator, minutes=minutes, role="secretary")
    signed = Minutes.objects.get(pk=minutes.pk)
    assert signed.is_signed and signed.opening_text == "Ouverte à 10 h."
    message = refused(lambda: Minutes.objects.filter(pk=signed.pk).update(closing_text="x"),
                      Code.IMMUTABLE)  # fmt: skip
    assert "procès-verbal signé" in message.message
    assert_frozen(signed, Code.IMMUTABLE, opening_text="Réécrite")
    signature = MinutesSignature.objects.filter(minutes=signed).first()
    assert_frozen(signature, Code.IMMUTABLE, signer_name="Quelqu'un d'autre")  # type: ignore[arg-type]
    erratum = services.erratum_add(by=mw.admin, minutes=signed, text="Lire « 10 h 15 ».")
    assert_frozen(erratum, Code.IMMUTABLE, text="Lire « 11 h ».")
