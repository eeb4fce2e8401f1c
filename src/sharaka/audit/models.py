"""Stored runs of the pre-audit checks (issue 15) and their findings.

A run is a record of what the checks found at one moment: never edited, only added, and
the oldest pruned (``KEEP_RUNS`` per partnership). The findings keep the check's code,
severity and the values of its message, so a page words them in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharaka.audit import plan_rules, rules
from sharaka.core.models import UploadedDocument, choice_check, stamped_path


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


class AuditKind(models.TextChoices):
    FINANCIAL = plan_rules.AuditKind.FINANCIAL.value, _("vérification financière")
    AUDIT = plan_rules.AuditKind.AUDIT.value, _("audit")


class AuditStatus(models.TextChoices):
    DUE = plan_rules.AuditStatus.DUE.value, _("à programmer")
    PLANNED = plan_rules.AuditStatus.PLANNED.value, _("programmé")
    IN_PROGRESS = plan_rules.AuditStatus.IN_PROGRESS.value, _("en cours")
    REPORTED = plan_rules.AuditStatus.REPORTED.value, _("rapport remis")
    CLOSED = plan_rules.AuditStatus.CLOSED.value, _("clôturé")


class AuditorKind(models.TextChoices):
    """Who audits, as the convention's audit clause says (``auditor`` parameter)."""

    EXTERNAL = "external", _("auditeur externe indépendant")
    PUBLIC_BODY = "public_body", _("organe public de contrôle")
    INTERNAL = "internal", _("comité d'audit du conseil")


class SampleMethod(models.TextChoices):
    SIMPLE = plan_rules.SampleMethod.SIMPLE.value, _("aléatoire simple")
    AMOUNT = plan_rules.SampleMethod.AMOUNT.value, _("pondéré par le montant")


class Audit(models.Model):
    """One audit of the plan (ADR 0034): generated from the audit clause in force, then
    edited; once an auditor and a period are set, it is an engagement."""

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        verbose_name=_("partenariat"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("type"), max_length=12, choices=AuditKind.choices)
    period_start = models.DateField(_("période du"))
    period_end = models.DateField(_("période au"))
    due_on = models.DateField(_("rapport attendu le"))
    status = models.CharField(
        _("état"), max_length=12, choices=AuditStatus.choices, default=AuditStatus.DUE
    )
    auditor_kind = models.CharField(
        _("qui audite"), max_length=12, choices=AuditorKind.choices, blank=True
    )
    auditor_name = models.CharField(_("nom de l'auditeur"), max_length=200, blank=True)
    parties = models.CharField(_("parties couvertes"), max_length=300, blank=True)
    #: "convention:<version pk>": the version whose audit clause generated it
    source = models.CharField(_("source"), max_length=40, blank=True)
    # The engagement
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditeur"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope = models.TextField(_("étendue"), blank=True)
    starts_on = models.DateField(_("mission du"), null=True, blank=True)
    ends_on = models.DateField(_("mission au"), null=True, blank=True)
    # The sample of expenses: re-drawn from its seed to check it
    sample_method = models.CharField(
        _("méthode d'échantillonnage"), max_length=16, choices=SampleMethod.choices, blank=True
    )
    sample_seed = models.BigIntegerField(_("graine"), null=True, blank=True)
    sample_population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    sample = models.JSONField(_("échantillon"), default=list, blank=True)
    sample_drawn_at = models.DateTimeField(_("tiré le"), null=True, blank=True)
    reported_at = models.DateTimeField(_("rapport remis le"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["period_start", "kind", "id"]
        indexes = [
            models.Index(fields=["partnership", "period_start", "id"], name="audit_plan_order"),
            models.Index(fields=["status", "due_on", "id"], name="audit_plan_due"),
            models.Index(fields=["auditor", "ends_on", "id"], name="audit_auditor"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "period_start"], name="audit_plan_unique"
            ),
            choice_check("kind", AuditKind, "audit_plan_kind"),
            choice_check("status", AuditStatus, "audit_plan_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_start:%d/%m/%Y}-{self.period_end:%d/%m/%Y}"


# --- Work papers and findings of an engagement (issue 15, ADR 0040) ---------------------------


def _paper_path(instance: WorkPaper, filename: str) -> str:
    return stamped_path(f"audits/{instance.audit_id}", filename)


class WorkPaper(UploadedDocument):
    """A work paper of an engagement (PDF, PNG or JPEG, checked by content before it is
    stored), added by the engaged auditor during the engagement."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="papers")
    file = models.FileField(_("fichier"), upload_to=_paper_path, max_length=255)
    content_type = models.CharField(_("type"), max_length=60)

    class Meta(UploadedDocument.Meta):
        verbose_name = _("papier de travail")
        verbose_name_plural = _("papiers de travail")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["audit", "uploaded_at", "id"], name="audit_paper_order")]


class AuditFinding(models.Model):
    """A finding of an engagement, in the usual structure (criterion, condition, cause,
    effect), with the sampled expenses it concerns. Append-only: never edited."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveIntegerField(_("n°"))
    title = models.CharField(_("intitulé"), max_length=200)
    severity = models.CharField(_("gravité"), max_length=10, choices=Severity.choices)
    criterion = models.TextField(_("critère"))
    condition = models.TextField(_("constat"))
    cause = models.TextField(_("cause"), blank=True)
    effect = models.TextField(_("effet"), blank=True)
    responsible = models.CharField(_("partie responsable"), max_length=200, blank=True)
    #: ids of the engagement's sampled expenses this finding concerns
    expenses = models.JSONField(_("dépenses concernées"), default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    class Meta:
        verbose_name = _("constat d'audit")
        verbose_name_plural = _("constats d'audit")
        ordering = ["audit", "number"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audit_finding_number"),
            choice_check("severity", Severity, "audit_engagement_finding_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


# --- Recommendations and their follow-up (issue 15, ADR 0047) ---------------------------------


class RecommendationStatus(models.TextChoices):
    OPEN = plan_rules.RecommendationStatus.OPEN.value, _("ouverte")
    IN_PROGRESS = plan_rules.RecommendationStatus.IN_PROGRESS.value, _("en cours")
    DONE = plan_rules.RecommendationStatus.DONE.value, _("mise en œuvre")
    NOT_ACCEPTED = plan_rules.RecommendationStatus.NOT_ACCEPTED.value, _("non acceptée")
    VERIFIED = plan_rules.RecommendationStatus.VERIFIED.value, _("vérifiée")


class Recommendation(models.Model):
    """A recommendation drawn from a finding, with its owner (a party or a person of the
    partnership) and due date; the coordinator answers it through follow-up entries. When
    overdue it is escalated once to the next board meeting's agenda (``agenda_item``)."""

    finding = models.ForeignKey(
        AuditFinding, on_delete=models.CASCADE, related_name="recommendations"
    )
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="recommendations")
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    number = models.PositiveIntegerField(_("n°"))
    text = models.TextField(_("recommandation"))
    #: the owner as shown (the person and their party, or the party), kept as issued
    owner = models.CharField(_("responsable"), max_length=200)
    owner_party = models.ForeignKey(
        "partnerships.Party",
        verbose_name=_("partie responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("personne responsable"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("échéance"))
    status = models.CharField(
        _("état"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.OPEN,
    )
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name=_("point de l'ordre du jour"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("émise le"), default=timezone.now)

    class Meta:
        verbose_name = _("recommandation d'audit")
        verbose_name_plural = _("recommandations d'audit")
        ordering = ["audit", "number"]
        indexes = [
            models.Index(fields=["status", "due_on", "id"], name="audit_rec_due"),
            models.Index(fields=["partnership", "due_on", "id"], name="audit_rec_partnership"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["audit", "number"], name="audit_rec_number"),
            choice_check("status", RecommendationStatus, "audit_rec_status"),
        ]

    def __str__(self) -> str:
        return f"R{self.number}. {self.text[:60]}"


def _evidence_path(instance: FollowUp, filename: str) -> str:
    return stamped_path(f"audits/recommendations/{instance.recommendation_id}", filename)


class FollowUp(models.Model):
    """One entry of a recommendation's follow-up (the management response, progress,
    evidence of implementation, or the auditor's verification): append-only, never
    edited."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.TextField(_("réponse"))
    status = models.CharField(
        _("état après la réponse"), max_length=16, choices=RecommendationStatus.choices
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    #: the auditor's verification (ADR 0051), not the management's answer
    by_auditor = models.BooleanField(_("par l'auditeur"), default=False)
    #: evidence of implementation (PDF, JPEG or PNG, checked by content), optional
    evidence = models.FileField(_("preuve"), upload_to=_evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)

    class Meta:
        verbose_name = _("suivi de recommandation")
        verbose_name_plural = _("suivis de recommandation")
        ordering = ["recommendation", "recorded_at", "id"]
        indexes = [
            models.Index(
                fields=["recommendation", "recorded_at", "id"], name="audit_followup_order"
            )
        ]
        constraints = [choice_check("status", RecommendationStatus, "audit_followup_status")]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.text[:60]}"

    @property
    def file(self) -> Any:
        """The evidence, under the name ``core.uploads.document_response`` reads."""
        return self.evidence
