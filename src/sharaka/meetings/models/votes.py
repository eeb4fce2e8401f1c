"""Attendance and votes: who attended, conflicts of interest, motions, ballots and the
choices of secret ballots.

A closed motion, a ballot and a secret choice never change (``core.immutable``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import NOTHING, Freeze, Immutable
from sharaka.core.models import choice_check, choice_values
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models.choices import (
    Choice,
    DecisionKindChoice,
    MotionStatus,
    PresenceChoice,
    VotingModeChoice,
)
from sharaka.meetings.models.meetings import AgendaItem, Meeting


class Attendance(models.Model):
    """Whether a board member attended (per mandate held at the meeting date)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    mandate = models.ForeignKey("governance.Mandate", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("présence"), max_length=10, choices=PresenceChoice.choices)
    proxy_holder = models.ForeignKey(
        "governance.Mandate",
        verbose_name=_("porteur du pouvoir"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    proxy_reference = models.CharField(_("référence du pouvoir écrit"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("noté le"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "mandate"], name="meetings_attendance_one_per_member"
            ),
            choice_check("status", PresenceChoice, "meetings_attendance_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(status=PresenceChoice.PROXY)
                    & Q(proxy_holder__isnull=False)
                    & ~Q(proxy_reference="")
                )
                | (~Q(status=PresenceChoice.PROXY) & Q(proxy_holder__isnull=True)),
                name="meetings_attendance_proxy_written",
            ),
            models.CheckConstraint(
                condition=~Q(proxy_holder=F("mandate")), name="meetings_attendance_proxy_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id}: {self.status}"


class Recusal(models.Model):
    """A conflict of interest declared on an agenda item: the member takes no part in it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="recusals")
    mandate = models.ForeignKey("governance.Mandate", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    declared_at = models.DateTimeField(_("déclaré le"), default=timezone.now)

    class Meta:
        verbose_name = _("conflit d'intérêts")
        verbose_name_plural = _("conflits d'intérêts")
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "mandate"], name="meetings_recusal_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.mandate_id}"


# --- Motions, ballots, decisions ----------------------------------------------------------------


class Motion(Immutable):
    """What the board votes on, in one round. Closed: frozen for ever; never deleted."""

    freeze = Freeze(
        Code.IMMUTABLE,
        _("Un vote clos ne peut plus être modifié, et une motion ne se supprime pas."),
        state="status",
        frozen={MotionStatus.CLOSED: NOTHING},
        deletable=False,
    )

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="motions")
    round = models.PositiveSmallIntegerField(_("tour"), default=1)
    text = models.TextField(_("texte soumis au vote"))
    decision_kind = models.CharField(
        _("nature de la décision"),
        max_length=24,
        choices=DecisionKindChoice.choices,
        default=DecisionKindChoice.OTHER,
    )
    voting_mode = models.CharField(
        _("mode de scrutin"), max_length=16, choices=VotingModeChoice.choices
    )
    appoint_role = models.CharField(_("fonction à pourvoir"), max_length=16, blank=True)
    appoint_mandate = models.ForeignKey(
        "governance.Mandate",
        verbose_name=_("membre proposé"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("état"), max_length=8, choices=MotionStatus.choices, default=MotionStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("ouvert le"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    adopted = models.BooleanField(_("adoptée"), null=True, blank=True)
    outcome = models.JSONField(_("résultat"), null=True, blank=True)
    # Sealed at the close with its ballots (secret: the counts per college) and outcome.
    chain_position = models.PositiveBigIntegerField(
        _("position dans la chaîne"), null=True, blank=True, unique=True
    )
    chain_prev_hash = models.CharField(_("empreinte précédente"), max_length=64, blank=True)
    chain_hash = models.CharField(_("empreinte"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["item_id", "round"]
        constraints = [
            models.UniqueConstraint(fields=["item", "round"], name="meetings_motion_round_unique"),
            choice_check("status", MotionStatus, "meetings_motion_status_valid"),
            choice_check("voting_mode", VotingModeChoice, "meetings_motion_mode_valid"),
            choice_check(
                "decision_kind", DecisionKindChoice, "meetings_motion_decision_kind_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=MotionStatus.OPEN)
                    & Q(closed_at__isnull=True)
                    & Q(adopted__isnull=True)
                )
                | (
                    Q(status=MotionStatus.CLOSED)
                    & Q(closed_at__isnull=False)
                    & Q(adopted__isnull=False)
                    & Q(outcome__isnull=False)
                ),
                name="meetings_motion_closed_has_outcome",
            ),
            models.CheckConstraint(condition=Q(round__gte=1), name="meetings_motion_round_min"),
        ]

    def __str__(self) -> str:
        return f"{self.item} — {self.round}"

    @property
    def is_open(self) -> bool:
        return self.status == MotionStatus.OPEN

    @property
    def is_secret(self) -> bool:
        return self.voting_mode == VotingModeChoice.SECRET

    @property
    def chain_label(self) -> str:
        return f"motion {self.pk} (item {self.item_id}, round {self.round})"


class Ballot(Immutable):
    """One member's vote on one motion. The database allows one per member and motion.

    In a secret vote the ballot only records *that* the member voted (``choice`` is empty);
    what they chose is a ``SecretChoice``, which names no one."""

    freeze = Freeze(Code.IMMUTABLE, _("Un bulletin de vote ne peut plus être modifié ni supprimé."))

    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="ballots")
    mandate = models.ForeignKey("governance.Mandate", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices, null=True)
    by_proxy = models.BooleanField(_("par pouvoir"), default=False)
    entered_by_secretary = models.BooleanField(_("saisi par le secrétariat"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["motion_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "mandate"], name="meetings_ballot_one_per_member"
            ),
            models.CheckConstraint(
                condition=Q(choice__in=choice_values(Choice)) | Q(choice__isnull=True),
                name="meetings_ballot_choice_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}: {self.mandate_id}"


class SecretChoice(Immutable):
    """What one voter chose in a secret vote, without who: a random key (no order of
    arrival), no member, no time; the college only, which the double majority needs."""

    freeze = Freeze(Code.IMMUTABLE, _("Un bulletin secret ne peut plus être modifié ni supprimé."))

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="secret_choices")
    college = models.CharField(_("collège"), max_length=64)
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("bulletin secret")
        verbose_name_plural = _("bulletins secrets")
        ordering = ["motion_id", "college", "choice"]
        constraints = [
            choice_check("choice", Choice, "meetings_secret_choice_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}: {self.college}"
