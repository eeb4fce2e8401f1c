"""What marks a partnership for IATI publication: the reporting organisation's IATI
identifier and the funder (docs/opendata.md). Edited in the admin."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.models import TimestampedModel


class IatiPublication(TimestampedModel):
    """A partnership published as an IATI activity (``/open-data/iati.xml``).

    The reporting organisation is the partnership's lead authority; ``reporting_org_ref``
    is its IATI organisation identifier (``MA-…``), which also prefixes the activity's
    identifier (``<ref>-<slug>``). Only public partnerships are published, whatever this
    says: a partnership going back to draft leaves the file."""

    partnership = models.OneToOneField(
        "partnerships.Partnership",
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="iati_publication",
    )
    reporting_org_ref = models.CharField(
        _("identifiant IATI de l'organisation déclarante"),
        max_length=100,
        help_text=_("Par exemple MA-COM-1234 : préfixe de l'identifiant de l'activité."),
    )
    funder = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("bailleur"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    funder_ref = models.CharField(_("identifiant IATI du bailleur"), max_length=100, blank=True)
    published = models.BooleanField(_("publié"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication IATI")
        verbose_name_plural = _("publications IATI")
        ordering = ["partnership_id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reporting_org_ref=""),
                name="opendata_iati_reporting_ref_set",
            ),
        ]

    def __str__(self) -> str:
        return f"IATI — {self.partnership}"

    @property
    def identifier(self) -> str:
        return f"{self.reporting_org_ref}-{self.partnership.slug}"
