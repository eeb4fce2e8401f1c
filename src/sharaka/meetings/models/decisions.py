"""Decisions and minutes: the board's numbered decisions, the *procès-verbal* of a meeting,
its signatures and its errata. Decisions, signed minutes, signatures and errata never
change (``core.immutable``); a correction is an erratum that points to the minutes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import NOTHING, Freeze, Immutable
from sharaka.core.models import choice_check
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models.chain import ChainedRecord
from sharaka.meetings.models.choices import DecisionKindChoice, MinutesStatus, SignatureRole
from sharaka.meetings.models.meetings import AgendaItem, Meeting
from sharaka.meetings.models.votes import Motion


class Decision(ChainedRecord):
    """A decision of the board, numbered per partnership and year (``CA-2026-007``)."""

    freeze = Freeze(
        Code.IMMUTABLE,
        _("Une décision du conseil ne peut plus être modifiée ni supprimée."),
    )

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("numéro d'ordre"))
    number = models.CharField(_("numéro"), max_length=20)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="decisions")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="decision")
    kind = models.CharField(_("nature"), max_length=24, choices=DecisionKindChoice.choices)
    title = models.CharField(_("objet"), max_length=300)
    text = models.TextField(_("ce qui a été décidé"))
    decided_on = models.DateField(_("date"))
    snapshot = models.JSONField(_("règle, votants et décompte"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistrée le"))

    class Meta:
        verbose_name = _("décision")
        verbose_name_plural = _("décisions")
        ordering = ["-year", "-sequence", "-id"]
        # The register across partnerships (``/api/meetings/decisions``, issue 19): newest
        # first, the id breaking ties between partnerships so that pages are stable.
        indexes = [
            models.Index(fields=["-year", "-sequence", "-id"], name="meetings_decision_order")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "sequence"], name="meetings_decision_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership", "number"], name="meetings_decision_number_unique"
            ),
            choice_check("kind", DecisionKindChoice, "meetings_decision_kind_valid"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="meetings_decision_seq_min"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def chain_label(self) -> str:
        return f"decision {self.number} (id {self.pk})"


# --- Minutes ------------------------------------------------------------------------------------


class Minutes(Immutable):
    """The *procès-verbal* of a meeting: drafted from the meeting, edited by the secretary
    while a draft, then signed by the chair and the secretary — and never changed again."""

    freeze = Freeze(
        Code.IMMUTABLE,
        _("Un procès-verbal signé ne peut plus être modifié, et un procès-verbal ne se "
          "supprime pas : faites une correction (erratum) qui y renvoie."),
        state="status",
        frozen={MinutesStatus.SIGNED: NOTHING},
        deletable=False,
    )  # fmt: skip

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    status = models.CharField(
        _("état"), max_length=8, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    content = models.JSONField(_("relevé de la séance"))
    opening_text = models.TextField(_("ouverture de la séance"), blank=True)
    item_notes = models.JSONField(_("débats, point par point"), default=dict, blank=True)
    closing_text = models.TextField(_("clôture de la séance"), blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    drafted_at = models.DateTimeField(_("rédigé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    signed_at = models.DateTimeField(_("signé le"), null=True, blank=True)
    chain_position = models.PositiveBigIntegerField(
        _("position dans la chaîne"), null=True, blank=True, unique=True
    )
    chain_prev_hash = models.CharField(_("empreinte précédente"), max_length=64, blank=True)
    chain_hash = models.CharField(_("empreinte"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")
        constraints = [
            choice_check("status", MinutesStatus, "meetings_minutes_status_valid"),
            models.CheckConstraint(
                condition=(
                    Q(status=MinutesStatus.DRAFT)
                    & Q(signed_at__isnull=True)
                    & Q(chain_position__isnull=True)
                )
                | (
                    Q(status=MinutesStatus.SIGNED)
                    & Q(signed_at__isnull=False)
                    & Q(chain_position__isnull=False)
                    & ~Q(chain_hash="")
                ),
                name="meetings_minutes_signed_in_chain",
            ),
        ]

    def __str__(self) -> str:
        return gettext("Procès-verbal — %(meeting)s") % {"meeting": self.meeting}

    @property
    def is_signed(self) -> bool:
        return self.status == MinutesStatus.SIGNED

    @property
    def chain_label(self) -> str:
        return f"minutes of meeting {self.meeting_id} (id {self.pk})"


class MinutesSignature(Immutable):
    """The chair's or the secretary's signature on the minutes: who, in which role, when.

    ``in_person``: the officer signed in Sharaka; otherwise the secretariat recorded the
    officer's handwritten signature on the paper original (``signed_by`` says who)."""

    freeze = Freeze(
        Code.IMMUTABLE, _("Une signature de procès-verbal ne peut plus être modifiée ni supprimée.")
    )

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(_("en qualité de"), max_length=16, choices=SignatureRole.choices)
    officer = models.ForeignKey("governance.Officer", on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signataire"), max_length=200)
    in_person = models.BooleanField(_("signé dans Sharaka par l'intéressé·e"), default=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(_("signé le"), default=timezone.now)

    class Meta:
        verbose_name = _("signature du procès-verbal")
        verbose_name_plural = _("signatures du procès-verbal")
        ordering = ["signed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "role"], name="meetings_signature_once"),
            choice_check("role", SignatureRole, "meetings_signature_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.signer_name}"


class Erratum(ChainedRecord):
    """A correction to signed minutes: a new record pointing to them (they never change)."""

    freeze = Freeze(
        Code.IMMUTABLE, _("Un erratum ne peut plus être modifié ni supprimé : ajoutez-en un autre.")
    )

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="errata")
    text = models.TextField(_("correction"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("enregistré le"))

    class Meta:
        verbose_name = _("erratum")
        verbose_name_plural = _("errata")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return gettext("Erratum au %(minutes)s") % {"minutes": self.minutes}

    @property
    def chain_label(self) -> str:
        return f"erratum {self.pk} to minutes {self.minutes_id}"
