"""The choices of the meetings models (statuses, kinds, votes) and their stored values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sharaka.meetings import rules


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


class NoticeState(models.TextChoices):
    QUEUED = "queued", _("en file d'attente")
    SENT = "sent", _("envoyé")


class ChainRecordType(models.TextChoices):
    MOTION = "motion", _("Vote clos")
    DECISION = "decision", _("Décision")
    MINUTES = "minutes", _("Procès-verbal signé")
    ERRATUM = "erratum", _("Erratum")
