"""The hash chain (``sharaka verify``, ADR 0002 and 0011): the records stored in it, its
head and its index. Every link is append-only (``core.immutable``)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharaka.core.immutable import Freeze, Immutable
from sharaka.meetings import rules
from sharaka.meetings.error_codes import MeetingErrorCode as Code
from sharaka.meetings.models.choices import ChainRecordType


class ChainedRecord(Immutable):
    """A record in the hash chain: position, previous hash and hash are stored with it."""

    chain_position = models.PositiveBigIntegerField(_("position dans la chaîne"), unique=True)
    chain_prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    chain_hash = models.CharField(_("empreinte"), max_length=64)

    class Meta:
        abstract = True


class ChainHead(models.Model):
    """The last link of the installation's one chain (a single row, locked to append)."""

    position = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=rules.GENESIS)

    class Meta:
        verbose_name = _("tête de chaîne")
        verbose_name_plural = _("tête de chaîne")

    def __str__(self) -> str:
        return f"{self.position}: {self.hash[:12]}"


class ChainLink(Immutable):
    """The chain's index: one row per position, naming the record stored there."""

    freeze = Freeze(
        Code.IMMUTABLE,
        _("Un maillon de la chaîne d'intégrité ne peut plus être modifié ni supprimé."),
    )

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
