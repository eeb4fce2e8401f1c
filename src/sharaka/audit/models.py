"""Stored runs of the pre-audit checks (issue 15) and their findings.

A run is a record of what the checks found at one moment: never edited, only added, and
the oldest pruned (``KEEP_RUNS`` per partnership). The findings keep the check's code,
severity and the values of its message, so a page words them in the reader's language.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharaka.audit import rules
from sharaka.core.models import choice_check


class Severity(models.TextChoices):
    LOW = rules.Severity.LOW.value, _("faible")
    MEDIUM = rules.Severity.MEDIUM.value, _("moyenne")
    HIGH = rules.Severity.HIGH.value, _("élevée")
    CRITICAL = rules.Severity.CRITICAL.value, _("critique")


class Trigger(models.TextChoices):
    USER = "user", _("à la demande")
    SCHEDULER = "scheduler", _("tâche planifiée")
    COMMAND = "command", _("ligne de commande")


class CheckRun(models.Model):
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    started_at = models.DateTimeField(_("lancé le"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), default=0)
    trigger = models.CharField(_("origine"), max_length=10, choices=Trigger.choices)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lancé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: check code -> why it failed (the other checks ran)
    errors = models.JSONField(_("contrôles en échec"), default=dict, blank=True)
    #: check code -> number of findings (all of them, even beyond ``KEEP_FINDINGS``)
    counts = models.JSONField(_("constats par contrôle"), default=dict, blank=True)
    finding_count = models.PositiveIntegerField(_("constats"), default=0)

    class Meta:
        verbose_name = _("contrôle pré-audit")
        verbose_name_plural = _("contrôles pré-audit")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-started_at", "-id"], name="audit_run_latest")
        ]
        constraints = [choice_check("trigger", Trigger, "audit_run_trigger")]

    def __str__(self) -> str:
        return f"{self.partnership_id} {self.started_at:%Y-%m-%d %H:%M}"


class CheckFinding(models.Model):
    run = models.ForeignKey(CheckRun, on_delete=models.CASCADE, related_name="findings")
    code = models.CharField(_("contrôle"), max_length=60)
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices)
    #: 0 critical … 3 low: the list's sort
    rank = models.PositiveSmallIntegerField(default=0)
    params = models.JSONField(_("valeurs"), default=dict, blank=True)
    #: [{"type": "expense", "id": 42}, …]
    records = models.JSONField(_("enregistrements concernés"), default=list)

    class Meta:
        verbose_name = _("constat pré-audit")
        verbose_name_plural = _("constats pré-audit")
        ordering = ["run", "rank", "id"]
        indexes = [models.Index(fields=["run", "rank", "id"], name="audit_finding_order")]
        constraints = [choice_check("severity", Severity, "audit_finding_severity")]

    def __str__(self) -> str:
        return f"{self.code} ({self.severity})"
