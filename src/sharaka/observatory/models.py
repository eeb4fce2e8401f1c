"""The observatory's snapshot (issue 19, ADR 0037): one row per partnership and one per
lead authority, rebuilt whole by ``refresh.snapshot_refresh`` (a daily job). The pages read
only these tables, so their cost does not grow with the expenses, seats or meetings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Refresh(models.Model):
    """One rebuild of the snapshot: the pages show the last one's time."""

    finished_at = models.DateTimeField(_("actualisé le"))
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    partnerships = models.PositiveIntegerField(_("partenariats"), default=0)

    class Meta:
        verbose_name = _("actualisation de l'observatoire")
        verbose_name_plural = _("actualisations de l'observatoire")
        indexes = [models.Index(fields=["-finished_at", "-id"], name="observatory_refresh_last")]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M}"


class PartnershipScore(models.Model):
    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("intitulé"), max_length=200)
    slug = models.SlugField(max_length=200)
    sector = models.CharField(_("secteur"), max_length=32)
    status = models.CharField(_("statut"), max_length=20)
    authority = models.ForeignKey(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    province = models.ForeignKey(
        "directory.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: ``{measure code: 0..100 or null}`` (``observatory.rules.MEASURES``) and the overall.
    scores = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["authority", "title", "id"], name="observatory_p_authority"),
            models.Index(fields=["province", "sector"], name="observatory_p_province"),
        ]

    def __str__(self) -> str:
        return self.title


class AuthorityScore(models.Model):
    authority = models.OneToOneField(
        "directory.Organization", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    province = models.ForeignKey(
        "directory.Organization", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    province_name = models.CharField(_("province"), max_length=200, blank=True)
    partnerships = models.PositiveIntegerField(_("partenariats"), default=0)
    scores = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["province", "name", "id"], name="observatory_a_province"),
            models.Index(fields=["name", "id"], name="observatory_a_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TerritoryScore(models.Model):
    """The country (``province`` empty) or one province: its counts and mean scores."""

    province = models.OneToOneField(
        "directory.Organization", null=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=200)
    partnerships = models.PositiveIntegerField(_("partenariats"), default=0)
    authorities = models.PositiveIntegerField(_("collectivités"), default=0)
    by_sector = models.JSONField(default=dict)
    by_status = models.JSONField(default=dict)
    scores = models.JSONField(default=dict)
    overall = models.PositiveSmallIntegerField(null=True)

    class Meta:
        indexes = [models.Index(fields=["name", "id"], name="observatory_t_name")]

    def __str__(self) -> str:
        return self.name or "—"
