"""Meetings and deliberations (M5, M6, M15): meetings, agenda, board pack, attendance,
conflicts of interest, motions, ballots, decisions, minutes, signatures and errata.

Records that must never be lost or silently changed — ballots, closed motions, decisions,
signed minutes, their signatures and errata — refuse to be updated or deleted in ``save()``
and ``delete()`` (the services refuse first, with a clear message). Closed motions (with
their ballots), decisions, signed minutes and errata join one hash chain (``ChainLink``),
checked by ``sharaka verify``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.errors import DomainError
from sharaka.core.models import TimestampedModel
from sharaka.meetings import rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code


def _values(choices: type[models.TextChoices]) -> list[str]:
    return [str(choice.value) for choice in choices]


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinaire")
    EXTRAORDINARY = "extraordinary", _("Extraordinaire")


class MeetingStatusChoice(models.TextChoices):
    PLANNED = rules.MeetingStatus.PLANNED.value, _("En préparation")
    CONVENED = rules.MeetingStatus.CONVENED.value, _("Convoquée")
    HELD = rules.MeetingStatus.HELD.value, _("Tenue")
    MINUTES_DRAFTED = rules.MeetingStatus.MINUTES_DRAFTED.value, _("Procès-verbal rédigé")
    MINUTES_SIGNED = rules.MeetingStatus.MINUTES_SIGNED.value, _("Procès-verbal signé")
    PUBLISHED = rules.MeetingStatus.PUBLISHED.value, _("Procès-verbal publié")


class ItemKindChoice(models.TextChoices):
    INFORMATION = rules.ItemKind.INFORMATION.value, _("Information")
    DELIBERATION = rules.ItemKind.DELIBERATION.value, _("Délibération")
    ELECTION = rules.ItemKind.ELECTION.value, _("Élection ou nomination")
    MINUTES_APPROVAL = (
        rules.ItemKind.MINUTES_APPROVAL.value,
        _("Approbation du procès-verbal précédent"),
    )


class PresenceChoice(models.TextChoices):
    PRESENT = rules.Presence.PRESENT.value, _("Présent·e")
    EXCUSED = rules.Presence.EXCUSED.value, _("Excusé·e")
    ABSENT = rules.Presence.ABSENT.value, _("Absent·e")
    PROXY = rules.Presence.PROXY.value, _("Représenté·e (pouvoir)")


class VotingModeChoice(models.TextChoices):
    SHOW_OF_HANDS = (
        rules.VotingMode.SHOW_OF_HANDS.value,
        _("À main levée (saisi par le secrétariat)"),
    )
    NOMINAL = rules.VotingMode.NOMINAL.value, _("Vote nominal (chaque membre vote)")
    SECRET = rules.VotingMode.SECRET.value, _("Scrutin secret (chaque membre vote)")


class DecisionKindChoice(models.TextChoices):
    OFFICER_APPOINTMENT = (
        rules.DecisionKind.OFFICER_APPOINTMENT.value,
        _("Nomination des membres du bureau"),
    )
    ACTION_PLAN_ADOPTION = (
        rules.DecisionKind.ACTION_PLAN_ADOPTION.value,
        _("Adoption du plan d'action"),
    )
    DELEGATION = rules.DecisionKind.DELEGATION.value, _("Délégation de responsabilité")
    MINUTES_APPROVAL = (
        rules.DecisionKind.MINUTES_APPROVAL.value,
        _("Approbation d'un procès-verbal"),
    )
    OTHER = rules.DecisionKind.OTHER.value, _("Autre décision")


class Choice(models.TextChoices):
    YES = "yes", _("Pour")
    NO = "no", _("Contre")
    ABSTAIN = "abstain", _("Abstention")


class MotionStatus(models.TextChoices):
    OPEN = "open", _("Vote ouvert")
    CLOSED = "closed", _("Vote clos")


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Projet")
    SIGNED = "signed", _("Signé")


class SignatureRole(models.TextChoices):
    CHAIR = "chair", _("Président·e")
    SECRETARY = "secretary", _("Secrétaire")


class NoticeKind(models.TextChoices):
    CONVOCATION = "convocation", _("Convocation")
    REMINDER = "reminder", _("Rappel")


def _immutable(what: str) -> DomainError:
    return DomainError(
        Code.IMMUTABLE,
        gettext(
            "%(what)s ne peut plus être modifié ni supprimé : faites une correction "
            "(erratum) qui y renvoie."
        )
        % {"what": what},
    )


class AppendOnly(models.Model):
    """A record written once: updates and deletes are refused."""

    immutable_label = _("Cet enregistrement")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _immutable(str(self.immutable_label))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise _immutable(str(self.immutable_label))


# --- Meetings ------------------------------------------------------------------------------------


class Meeting(TimestampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="meetings"
    )
    board = models.ForeignKey(
        "governance.Board",
        verbose_name=_("conseil"),
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    title = models.CharField(_("intitulé"), max_length=200, blank=True)
    kind = models.CharField(
        _("nature"), max_length=16, choices=MeetingKind.choices, default=MeetingKind.ORDINARY
    )
    starts_at = models.DateTimeField(_("date et heure"))
    ends_at = models.DateTimeField(_("fin prévue"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    video_link = models.URLField(_("lien de visioconférence"), blank=True)
    status = models.CharField(
        _("statut"),
        max_length=20,
        choices=MeetingStatusChoice.choices,
        default=MeetingStatusChoice.PLANNED,
    )
    convocation_number = models.PositiveSmallIntegerField(_("convocation"), default=1)
    reconvenes = models.OneToOneField(
        "self",
        verbose_name=_("reconvoque la réunion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="second_convocation",
    )
    quorum_override = models.CharField(
        _("quorum de seconde convocation"),
        max_length=20,
        blank=True,
        help_text=_("Fixé par les règles en vigueur lors de la seconde convocation."),
    )
    convened_at = models.DateTimeField(_("convoquée le"), null=True, blank=True)
    opened_at = models.DateTimeField(_("séance ouverte le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("réunion du conseil")
        verbose_name_plural = _("réunions du conseil")
        ordering = ["-starts_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=_values(MeetingStatusChoice)),
                name="meetings_meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_values(MeetingKind)), name="meetings_meeting_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(convocation_number=1) & Q(reconvenes__isnull=True))
                | (Q(convocation_number=2) & Q(reconvenes__isnull=False)),
                name="meetings_meeting_second_convocation_links_first",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meetings_meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        day = timezone.localtime(self.starts_at).date()
        return self.title or gettext("Réunion du %(day)s") % {"day": day.isoformat()}

    @property
    def day(self) -> Any:
        return timezone.localtime(self.starts_at).date()

    @property
    def lifecycle_status(self) -> rules.MeetingStatus:
        return rules.MeetingStatus(self.status)


class MeetingTransition(models.Model):
    """One step of a meeting's lifecycle: who, when, from, to."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(_("de"), max_length=20, choices=MeetingStatusChoice.choices)
    to_status = models.CharField(_("vers"), max_length=20, choices=MeetingStatusChoice.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("étape de réunion")
        verbose_name_plural = _("étapes de réunion")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.from_status} → {self.to_status}"


class MeetingNotice(models.Model):
    """A convocation or reminder sent: proof of notice (who was written to, who was not)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("envoi"), max_length=16, choices=NoticeKind.choices)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.JSONField(_("destinataires"), default=list)
    missing = models.JSONField(_("sans adresse"), default=list)

    class Meta:
        verbose_name = _("envoi aux membres")
        verbose_name_plural = _("envois aux membres")
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting_id}"


class AgendaItem(TimestampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("rang"))
    kind = models.CharField(_("nature"), max_length=20, choices=ItemKindChoice.choices)
    title = models.CharField(_("intitulé"), max_length=300)
    description = models.TextField(_("exposé"), blank=True)
    minutes_to_approve = models.ForeignKey(
        "Minutes",
        verbose_name=_("procès-verbal à approuver"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approval_items",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")
        ordering = ["meeting_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="meetings_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_values(ItemKindChoice)), name="meetings_item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=ItemKindChoice.MINUTES_APPROVAL)
                | Q(minutes_to_approve__isnull=True),
                name="meetings_item_minutes_only_for_approval",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def votes(self) -> bool:
        return rules.ItemKind(self.kind) in rules.VOTING_ITEMS


def _document_path(instance: BoardDocument, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"meetings/{instance.meeting_id}/{stamp}.{extension}"


class BoardDocument(models.Model):
    """A document of the board pack (validated by type and size before it is stored)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to=_document_path, max_length=255)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)

    class Meta:
        verbose_name = _("document du dossier de séance")
        verbose_name_plural = _("documents du dossier de séance")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Attendance and conflicts of interest -------------------------------------------------------


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
            models.CheckConstraint(
                condition=Q(status__in=_values(PresenceChoice)),
                name="meetings_attendance_status_valid",
            ),
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


class Motion(models.Model):
    """What the board votes on, in one round. Closed: frozen for ever."""

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
            models.CheckConstraint(
                condition=Q(status__in=_values(MotionStatus)), name="meetings_motion_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(voting_mode__in=_values(VotingModeChoice)),
                name="meetings_motion_mode_valid",
            ),
            models.CheckConstraint(
                condition=Q(decision_kind__in=_values(DecisionKindChoice)),
                name="meetings_motion_decision_kind_valid",
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == MotionStatus.CLOSED:
                raise _immutable(gettext("Un vote clos"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise _immutable(gettext("Une motion"))

    @property
    def is_open(self) -> bool:
        return self.status == MotionStatus.OPEN

    @property
    def is_secret(self) -> bool:
        return self.voting_mode == VotingModeChoice.SECRET

    @property
    def chain_label(self) -> str:
        return f"motion {self.pk} (item {self.item_id}, round {self.round})"


class Ballot(AppendOnly):
    """One member's vote on one motion. The database allows one per member and motion.

    In a secret vote the ballot only records *that* the member voted (``choice`` is empty);
    what they chose is a ``SecretChoice``, which names no one."""

    immutable_label = _("Un bulletin")

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
                condition=Q(choice__in=_values(Choice)) | Q(choice__isnull=True),
                name="meetings_ballot_choice_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}: {self.mandate_id}"


class SecretChoice(AppendOnly):
    """What one voter chose in a secret vote, without who: a random key (no order of
    arrival), no member, no time; the college only, which the double majority needs."""

    immutable_label = _("Un bulletin secret")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, on_delete=models.PROTECT, related_name="secret_choices")
    college = models.CharField(_("collège"), max_length=64)
    choice = models.CharField(_("vote"), max_length=8, choices=Choice.choices)

    class Meta:
        verbose_name = _("bulletin secret")
        verbose_name_plural = _("bulletins secrets")
        ordering = ["motion_id", "college", "choice"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__in=_values(Choice)), name="meetings_secret_choice_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.motion_id}: {self.college}"


class ChainedRecord(AppendOnly):
    """A record in the hash chain: position, previous hash and hash are stored with it."""

    chain_position = models.PositiveBigIntegerField(_("position dans la chaîne"), unique=True)
    chain_prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    chain_hash = models.CharField(_("empreinte"), max_length=64)

    class Meta:
        abstract = True


class Decision(ChainedRecord):
    """A decision of the board, numbered per partnership and year (``CA-2026-007``)."""

    immutable_label = _("Une décision")

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
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year", "sequence"], name="meetings_decision_sequence_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership", "number"], name="meetings_decision_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=_values(DecisionKindChoice)),
                name="meetings_decision_kind_valid",
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="meetings_decision_seq_min"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    @property
    def chain_label(self) -> str:
        return f"decision {self.number} (id {self.pk})"


# --- Minutes ------------------------------------------------------------------------------------


class Minutes(models.Model):
    """The *procès-verbal* of a meeting: drafted from the meeting, edited by the secretary
    while a draft, then signed by the chair and the secretary — and never changed again."""

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
            models.CheckConstraint(
                condition=Q(status__in=_values(MinutesStatus)), name="meetings_minutes_status_valid"
            ),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == MinutesStatus.SIGNED:
                raise _immutable(gettext("Un procès-verbal signé"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise _immutable(gettext("Un procès-verbal"))

    @property
    def is_signed(self) -> bool:
        return self.status == MinutesStatus.SIGNED

    @property
    def chain_label(self) -> str:
        return f"minutes of meeting {self.meeting_id} (id {self.pk})"


class MinutesSignature(AppendOnly):
    """The chair's or the secretary's signature on the minutes: who, in which role, when.

    ``in_person``: the officer signed in Sharaka; otherwise the secretariat recorded the
    officer's handwritten signature on the paper original (``signed_by`` says who)."""

    immutable_label = _("Une signature")

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
            models.CheckConstraint(
                condition=Q(role__in=_values(SignatureRole)), name="meetings_signature_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.signer_name}"


class Erratum(ChainedRecord):
    """A correction to signed minutes: a new record pointing to them (they never change)."""

    immutable_label = _("Un erratum")

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


# --- Hash chain ---------------------------------------------------------------------------------


class ChainRecordType(models.TextChoices):
    MOTION = "motion", _("Vote clos")
    DECISION = "decision", _("Décision")
    MINUTES = "minutes", _("Procès-verbal signé")
    ERRATUM = "erratum", _("Erratum")


class ChainHead(models.Model):
    """The last link of the installation's one chain (a single row, locked to append)."""

    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=rules.GENESIS)

    class Meta:
        verbose_name = _("tête de chaîne")
        verbose_name_plural = _("tête de chaîne")

    def __str__(self) -> str:
        return f"{self.position}: {self.hash[:12]}"


class ChainLink(AppendOnly):
    """The chain's index: one row per position, naming the record stored there."""

    immutable_label = _("Un maillon de la chaîne")

    position = models.PositiveBigIntegerField(primary_key=True)
    record_type = models.CharField(max_length=10, choices=ChainRecordType.choices)
    record_id = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("maillon de la chaîne")
        verbose_name_plural = _("maillons de la chaîne")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id"], name="meetings_chainlink_record_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}: {self.record_type} {self.record_id}"
