"""Partner selection by competences (M11) and calls for applications: the competence
catalogue, sector requirements (default, or an authority's own), partner profiles, the
recorded choices, calls and applications. Imported at the end of ``partners.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import Freeze, Immutable
from sharaka.core.models import TimestampedModel, choice_check, stamped_path
from sharaka.partners.models import AdmissibilityFile, Labelled
from sharaka.partners.selection_error_codes import SelectionErrorCode as Code
from sharaka.partnerships.models import Sector

# what ``partners.models`` re-exports (its star import): the models and their choices only
__all__ = [
    "Application", "Call", "ChoiceDecision", "Competence", "Level", "PartnerChoice",
    "PartnerCompetence", "SectorRequirement",
]  # fmt: skip


class Level(models.IntegerChoices):
    BASIC = 1, _("de base")
    CONFIRMED = 2, _("confirmé")
    EXPERT = 3, _("expert")


class Competence(Labelled):
    """A competence an organisation may bring to a partnership (catalogue, admin)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compétence d'un partenaire")
        verbose_name_plural = _("compétences des partenaires")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class SectorRequirement(models.Model):
    """A competence a partnership of ``sector`` needs, at a level. Rows without an
    authority are the defaults; an authority with rows of its own for a sector uses them
    instead of the defaults for that sector."""

    authority = models.ForeignKey(
        "directory.Organization", verbose_name=_("collectivité"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+",
        help_text=_("Vide : exigence par défaut, pour toute collectivité sans exigences propres."),
    )  # fmt: skip
    sector = models.CharField(_("secteur"), max_length=32, choices=Sector.choices)
    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("niveau requis"), choices=Level.choices, default=Level.CONFIRMED
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exigence de compétence d'un secteur")
        verbose_name_plural = _("exigences de compétences des secteurs")
        ordering = ["sector", "competence__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "sector", "competence"], name="partners_requirement_one",
            ),
            models.UniqueConstraint(
                fields=["sector", "competence"], condition=Q(authority__isnull=True),
                name="partners_requirement_one_default",
            ),
            choice_check("sector", Sector, "partners_requirement_sector"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3),
                                   name="partners_requirement_level"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.get_sector_display()} — {self.competence} ({self.level})"


def _profile_path(instance: PartnerCompetence, filename: str) -> str:
    return stamped_path(f"profiles/{instance.organization_id}", filename)


class PartnerCompetence(TimestampedModel):
    """A competence an organisation brings, at a level, with its evidence (a reference
    text, and optionally a document checked by its content)."""

    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="partner_competences",
    )  # fmt: skip
    competence = models.ForeignKey(
        Competence, verbose_name=_("compétence"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("niveau"), choices=Level.choices)
    reference = models.TextField(
        _("référence"), blank=True,
        help_text=_("Ce qui l'atteste : réalisation, convention, diplôme, attestation…"),
    )  # fmt: skip
    document = models.FileField(_("justificatif"), upload_to=_profile_path, max_length=255,
                                blank=True)  # fmt: skip
    original_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("compétence d'une organisation")
        verbose_name_plural = _("compétences des organisations")
        ordering = ["organization", "competence__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "competence"],
                                    name="partners_profile_one"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3),
                                   name="partners_profile_level"),
        ]  # fmt: skip
        # Candidates: the organisations holding a needed competence at a level.
        indexes = [
            models.Index(fields=["competence", "level", "organization"],
                         name="partners_profile_candidates"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organization} — {self.competence} ({self.level})"


class ChoiceDecision(models.TextChoices):
    CHOSEN = "chosen", _("Retenue")
    SET_ASIDE = "set_aside", _("Écartée")


class PartnerChoice(Immutable):
    """A choice recorded on a partnership being set up: who chose which organisation, or
    set it aside, and why. Append-only: a new choice supersedes, nothing is rewritten."""

    freeze = Freeze(
        Code.CHOICE_FROZEN, _("Un choix enregistré ne se modifie pas : enregistrez-en un nouveau.")
    )

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.CASCADE,
        related_name="partner_choices",
    )  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decision = models.CharField(_("choix"), max_length=10, choices=ChoiceDecision.choices)
    reason = models.TextField(_("motif"))
    coverage = models.PositiveSmallIntegerField(_("couverture au moment du choix (%)"))
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("par"),
    )  # fmt: skip
    chosen_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("choix d'un partenaire")
        verbose_name_plural = _("choix des partenaires")
        ordering = ["-chosen_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-chosen_at", "-id"],
                                name="partners_choice_recent")]  # fmt: skip
        constraints = [choice_check("decision", ChoiceDecision, "partners_choice_decision")]

    def __str__(self) -> str:
        return f"{self.partnership} — {self.organization}: {self.decision}"


class Call(TimestampedModel):
    """A call for applications (appel à manifestation d'intérêt) for a partnership."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", verbose_name=_("partenariat"), on_delete=models.CASCADE,
        related_name="calls",
    )  # fmt: skip
    title = models.CharField(_("intitulé"), max_length=200)
    text = models.TextField(_("texte de l'appel"))
    opens_on = models.DateField(_("ouvert le"))
    closes_on = models.DateField(_("clos le"), help_text=_("Dernier jour pour candidater."))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appel à manifestation d'intérêt")
        verbose_name_plural = _("appels à manifestation d'intérêt")
        ordering = ["-opens_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "-opens_on", "-id"],
                                name="partners_call_recent")]  # fmt: skip
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                   name="partners_call_dates"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: object) -> bool:
        return bool(self.opens_on <= on <= self.closes_on)  # type: ignore[operator]


class Application(models.Model):
    """An association's application to a call, from the public form. It creates (or adds
    to) the association's admissibility file with the authority, where its documents wait
    for an officer's check."""

    call = models.ForeignKey(Call, verbose_name=_("appel"), on_delete=models.CASCADE,
                             related_name="applications")  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("association"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    file = models.ForeignKey(AdmissibilityFile, verbose_name=_("dossier de recevabilité"),
                             on_delete=models.PROTECT, related_name="applications")  # fmt: skip
    contact_name = models.CharField(_("personne à contacter"), max_length=200)
    contact_email = models.EmailField(_("courriel"))
    message = models.TextField(_("motivation"), max_length=4000)
    received_at = models.DateTimeField(_("reçue le"), default=timezone.now)
    seen_at = models.DateTimeField(_("vue le"), null=True, blank=True)
    #: the applicant's private link (``appels/candidature/<token>/``): whoever holds it
    #: reads this application's status; nobody else does (ADR 0039)
    token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("compétences déclarées"), blank=True, related_name="+",
        help_text=_("Déclarées par l'association ; elles entrent dans son profil, comme "
                    "« déclarées, non justifiées », quand son dossier est déclaré recevable."),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["call", "-received_at", "-id"], name="partners_app_recent"),
            models.Index(fields=["seen_at"], name="partners_app_unseen",
                         condition=Q(seen_at__isnull=True)),
        ]  # fmt: skip
        constraints = [
            models.UniqueConstraint(fields=["call", "organization"], name="partners_app_one")
        ]

    def __str__(self) -> str:
        return f"{self.call} — {self.organization}"
