"""Admissibility of associations (M3): criteria sets per authority, funding thresholds,
one admissibility file per association and authority, its evidence and the officer's
decision. The rules that judge a file are pure (``rules.py``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import Freeze, Immutable
from sharaka.core.models import TimestampedModel, choice_check
from sharaka.partners import rules
from sharaka.partners.error_codes import PartnersErrorCode as Code


class CriterionKind(models.TextChoices):
    DOCUMENT = rules.CriterionKind.DOCUMENT.value, _("Document (avec échéance)")
    FACT = rules.CriterionKind.FACT.value, _("Fait (oui/non)")
    SCORED = rules.CriterionKind.SCORED.value, _("Appréciation notée")


class Condition(models.TextChoices):
    ALWAYS = rules.Condition.ALWAYS.value, _("Toujours")
    PUBLIC_UTILITY = rules.Condition.PUBLIC_UTILITY.value, _("Association d'utilité publique")
    PREVIOUSLY_FUNDED = rules.Condition.PREVIOUSLY_FUNDED.value, _("Déjà subventionnée")


class CheckStatus(models.TextChoices):
    PENDING = rules.Check.PENDING.value, _("À vérifier")
    ACCEPTED = rules.Check.ACCEPTED.value, _("Acceptée")
    REJECTED = rules.Check.REJECTED.value, _("Refusée")


class Decision(models.TextChoices):
    PENDING = "pending", _("Pas encore décidé")
    ADMISSIBLE = rules.Outcome.ADMISSIBLE.value, _("Recevable")
    NOT_ADMISSIBLE = rules.Outcome.NOT_ADMISSIBLE.value, _("Non recevable")


class OutcomeLabel(models.TextChoices):
    """The computed result, as a page shows it."""

    ADMISSIBLE = rules.Outcome.ADMISSIBLE.value, _("Recevable")
    NOT_ADMISSIBLE = rules.Outcome.NOT_ADMISSIBLE.value, _("Non recevable")
    INCOMPLETE = rules.Outcome.INCOMPLETE.value, _("Incomplet")


class GapLabel(models.TextChoices):
    MISSING = rules.Gap.MISSING.value, _("manquant")
    EXPIRED = rules.Gap.EXPIRED.value, _("expiré")
    PENDING = rules.Gap.PENDING.value, _("à vérifier")
    WAITING = rules.Gap.WAITING.value, _("récépissé provisoire : délai en cours")


class Labelled(models.Model):
    """A text in French, Arabic and English; ``label`` is the one of the active language."""

    label_fr = models.CharField(_("libellé (français)"), max_length=300)
    label_ar = models.CharField(_("libellé (arabe)"), max_length=300, blank=True)
    label_en = models.CharField(_("libellé (anglais)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    @property
    def label(self) -> str:
        language = (translation.get_language() or "fr")[:2]
        text: str = getattr(self, f"label_{language}", "") or ""
        return text or self.label_fr


class CriteriaSet(TimestampedModel):
    """The criteria an authority asks of an association; the set without an authority is
    the default one, used by an authority that has none of its own."""

    authority = models.OneToOneField(
        "directory.Organization", verbose_name=_("collectivité"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="criteria_set",
    )  # fmt: skip
    name = models.CharField(_("nom"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jeu de critères de recevabilité")
        verbose_name_plural = _("jeux de critères de recevabilité")
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(authority__isnull=True),
                name="partners_one_default_set_name",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name


class Criterion(Labelled):
    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name=_("jeu de critères"), on_delete=models.CASCADE,
        related_name="criteria",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    code = models.SlugField(_("code"), max_length=60)
    reference = models.CharField(_("référence juridique"), max_length=300, blank=True)
    kind = models.CharField(_("nature"), max_length=10, choices=CriterionKind.choices)
    weight = models.PositiveSmallIntegerField(_("poids"), default=1)
    max_score = models.PositiveSmallIntegerField(
        _("note maximale"), default=1, help_text=_("Pour une appréciation notée de 0 à n.")
    )
    eliminatory = models.BooleanField(_("éliminatoire"), default=False)
    condition = models.CharField(
        _("s'applique"), max_length=20, choices=Condition.choices, default=Condition.ALWAYS
    )
    provisional_wait_days = models.PositiveSmallIntegerField(
        _("délai d'un récépissé provisoire (jours)"), null=True, blank=True,
        help_text=_("Un document provisoire compte passé ce délai (dahir de 1958, art. 5 : 60 "
                    "jours). Vide : un document provisoire ne compte pas."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("critère de recevabilité")
        verbose_name_plural = _("critères de recevabilité")
        ordering = ["criteria_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["criteria_set", "code"], name="partners_criterion_code"
            ),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="partners_criterion_max"),
            choice_check("kind", CriterionKind, "partners_criterion_kind"),
            choice_check("condition", Condition, "partners_criterion_condition"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    def as_rule(self) -> rules.Criterion:
        return rules.Criterion(
            code=self.code, kind=rules.CriterionKind(self.kind), weight=self.weight,
            eliminatory=self.eliminatory, max_score=self.max_score, reference=self.reference,
            label=self.label, condition=rules.Condition(self.condition),
            provisional_wait_days=self.provisional_wait_days,
        )  # fmt: skip


class FundingThreshold(Labelled):
    """Cumulative public funding of one association by one authority in a year above
    ``amount`` requires what the label says (``authority`` empty: every authority)."""

    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="funding_thresholds",
    )  # fmt: skip
    amount = models.DecimalField(_("montant (DH)"), max_digits=14, decimal_places=2)
    reference = models.CharField(_("référence juridique"), max_length=300)
    verified = models.BooleanField(
        _("source vérifiée"), default=True,
        help_text=_("Décoché : la source est secondaire et reste à vérifier."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seuil de financement")
        verbose_name_plural = _("seuils de financement")
        ordering = ["amount", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="partners_threshold_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} — {self.reference}"

    def as_rule(self) -> rules.Threshold:
        return rules.Threshold(
            amount=self.amount, requirement=self.label, reference=self.reference,
            verified=self.verified,
        )  # fmt: skip


class AdmissibilityFile(TimestampedModel):
    """The admissibility file of one association with one authority."""

    association = models.ForeignKey(
        "directory.Organization", verbose_name=_("association"), on_delete=models.PROTECT,
        related_name="admissibility_files",
    )  # fmt: skip
    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    previously_funded = models.BooleanField(
        _("déjà subventionnée par la collectivité"), default=False,
        help_text=_("Un rapport sur la subvention précédente est alors demandé."),
    )  # fmt: skip
    decision = models.CharField(
        _("décision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reason = models.TextField(_("motif de la décision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("décidé par"),
    )  # fmt: skip
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dossier de recevabilité")
        verbose_name_plural = _("dossiers de recevabilité")
        ordering = ["association__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "authority"], name="partners_file_one_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(association=F("authority")), name="partners_file_two_parties"
            ),
            choice_check("decision", Decision, "partners_file_decision"),
            models.CheckConstraint(
                condition=Q(decision="pending") | Q(decided_at__isnull=False),
                name="partners_file_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} — {self.authority}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"admissibility/{instance.file_id}/{stamp}.{extension}"


class Evidence(models.Model):
    """A piece supplied for one criterion: a document (PDF, PNG or JPEG, checked by its
    content, stored under the media root and served only through the file's page), a
    yes/no answer or a score; counted once an officer has accepted it."""

    file = models.ForeignKey(
        AdmissibilityFile, verbose_name=_("dossier"), on_delete=models.CASCADE,
        related_name="evidence",
    )  # fmt: skip
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("critère"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(_("document"), upload_to=_evidence_path, max_length=255, blank=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("taille (octets)"), default=0)
    issued_on = models.DateField(_("délivré le"), null=True, blank=True)
    expires_on = models.DateField(
        _("expire le"), null=True, blank=True,
        help_text=_("Premier jour où la pièce ne compte plus."),
    )  # fmt: skip
    provisional = models.BooleanField(_("provisoire"), default=False)
    value = models.BooleanField(_("réponse"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("note"), null=True, blank=True)
    status = models.CharField(
        _("vérification"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.PENDING
    )
    comment = models.TextField(_("commentaire de l'agent"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    checked_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    uploaded_at = models.DateTimeField(_("déposée le"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pièce du dossier")
        verbose_name_plural = _("pièces du dossier")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            choice_check("status", CheckStatus, "partners_evidence_status"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gt=F("issued_on")),
                name="partners_evidence_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code} — {self.original_name or self.pk}"

    def as_rule(self) -> rules.Evidence:
        return rules.Evidence(
            criterion=self.criterion.code, check=rules.Check(self.status),
            issued_on=self.issued_on, expires_on=self.expires_on, value=self.value,
            score=self.score, provisional=self.provisional,
        )  # fmt: skip


# --- Conflicts of interest (law 113-14 art. 65) -------------------------------------------------


class Councillor(TimestampedModel):
    """An elected member of an authority's council, from ``start_date`` to ``end_date``
    (last day, inclusive; empty: sitting)."""

    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), on_delete=models.PROTECT,
        related_name="councillors",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("élu·e"), on_delete=models.PROTECT,
        related_name="council_seats",
    )  # fmt: skip
    start_date = models.DateField(_("début du mandat"))
    end_date = models.DateField(_("fin du mandat (dernier jour)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("élu·e du conseil")
        verbose_name_plural = _("élus du conseil")
        ordering = ["authority_id", "person_id", "pk"]
        indexes = [
            models.Index(fields=["authority", "person", "id"], name="partners_councillor_order")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_councillor_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.authority}"


class BureauMember(TimestampedModel):
    """A member of an association's bureau (as the last general assembly elected it)."""

    association = models.ForeignKey(
        "directory.Organization", verbose_name=_("association"), on_delete=models.PROTECT,
        related_name="bureau_members",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("personne"), on_delete=models.PROTECT,
        related_name="bureau_seats",
    )  # fmt: skip
    role = models.CharField(_("fonction au bureau"), max_length=100, blank=True)
    start_date = models.DateField(_("depuis le"))
    end_date = models.DateField(_("jusqu'au (dernier jour)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membre du bureau")
        verbose_name_plural = _("membres du bureau")
        ordering = ["association_id", "person_id", "pk"]
        indexes = [
            models.Index(fields=["association", "person", "id"], name="partners_bureau_order"),
            models.Index(fields=["person", "id"], name="partners_bureau_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partners_bureau_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.association}"


class ConflictDeclaration(Immutable):
    """An elected member's declaration of an interest in an association dealing with the
    authority (who, when, what). Written once, never changed nor deleted."""

    freeze = Freeze(
        Code.DECLARATION_FROZEN,
        _("Une déclaration d'intérêts ne se modifie ni ne se supprime."),
        deletable=False,
    )

    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    association = models.ForeignKey(
        "directory.Organization", verbose_name=_("association"), on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("élu·e"), on_delete=models.PROTECT,
        related_name="conflict_declarations",
    )  # fmt: skip
    text = models.TextField(_("déclaration"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("enregistrée par"),
    )  # fmt: skip
    declared_at = models.DateTimeField(_("déclarée le"), default=timezone.now)

    class Meta:
        verbose_name = _("déclaration de conflit d'intérêts")
        verbose_name_plural = _("déclarations de conflit d'intérêts")
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "association", "person"], name="partners_declaration_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.association}"


# --- Grants register (law 113-14 art. 275) ------------------------------------------------------


class Grant(TimestampedModel):
    """A grant of an authority to an association in a year, as its officer records it in the
    register (with history); the published table (art. 275) is read from it."""

    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    association = models.ForeignKey(
        "directory.Organization", verbose_name=_("association"), on_delete=models.PROTECT,
        related_name="grants",
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("année"))
    purpose = models.CharField(_("objet"), max_length=300)
    amount = models.DecimalField(_("montant (DH)"), max_digits=14, decimal_places=2)
    achievements = models.TextField(_("réalisations"), blank=True)
    remarks = models.TextField(_("observations"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subvention")
        verbose_name_plural = _("subventions")
        ordering = ["authority_id", "year", "id"]
        indexes = [
            models.Index(fields=["authority", "year", "id"], name="partners_grant_table"),
            models.Index(fields=["authority", "association", "year"], name="partners_grant_totals"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="partners_grant_amount"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="partners_grant_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} — {self.association} — {self.amount}"


# Partner selection by competences and calls for applications (issue 13, M11): their own
# module, registered with this app by this import.
from sharaka.partners.selection_models import *  # noqa: E402, F403
