"""Meetings and their agenda: the meeting, its lifecycle steps, the notices sent, the
agenda items and the board pack."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core import locale
from sharaka.core.models import TimestampedModel, UploadedDocument, choice_check, stamped_path
from sharaka.meetings import rules
from sharaka.meetings.models.choices import (
    ItemKindChoice,
    MeetingKind,
    MeetingStatusChoice,
    NoticeKind,
    NoticeState,
)


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
        # ``/api/meetings`` across partnerships (issue 19): newest first, the id breaking ties.
        indexes = [models.Index(fields=["-starts_at", "-id"], name="meetings_meeting_order")]
        constraints = [
            choice_check("status", MeetingStatusChoice, "meetings_meeting_status_valid"),
            choice_check("kind", MeetingKind, "meetings_meeting_kind_valid"),
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
        day_text = formats.date_format(day, "DATE_FORMAT")
        return self.title or gettext("Réunion du %(day)s") % {"day": day_text}

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
        return f"{self.meeting_id}: {locale.span(self.from_status, self.to_status)}"


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
    #: queued until the task has written to every address of ``to_send`` (ADR 0016)
    state = models.CharField(
        _("état"), max_length=8, choices=NoticeState.choices, default=NoticeState.SENT
    )
    #: ``[name, email, role]`` of each addressee, fixed when the notice is queued
    to_send = models.JSONField(default=list, blank=True)
    #: addresses the mail server refused
    failed = models.JSONField(default=list, blank=True)
    url = models.CharField(max_length=500, blank=True)

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
    association = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("association concernée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "Un point qui concerne une association : un élu membre de son bureau doit "
            "déclarer son intérêt avant le vote (loi 113-14, art. 65)."
        ),
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
            choice_check("kind", ItemKindChoice, "meetings_item_kind_valid"),
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
    return stamped_path(f"meetings/{instance.meeting_id}", filename)


class BoardDocument(UploadedDocument):
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
    file = models.FileField(_("fichier"), upload_to=_document_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=120)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("document du dossier de séance")
        verbose_name_plural = _("documents du dossier de séance")
