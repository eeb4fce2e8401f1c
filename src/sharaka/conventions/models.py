"""Conventions (M15): one per partnership, its versions (original and amendments), their
clauses and signatories.

A version that is signed, in force or ended never changes, nor do its clauses and
signatories: the services refuse it, and the models are ``core.immutable`` models so that
no code path (admin, shell, a future service, a bulk update) can silently rewrite a signed
text. Only its status moves on (in force, ended, with the end date), its date of effect is
set once, and its scanned copy may be uploaded. Its content hash is stored at signature.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.conventions.error_codes import ConventionErrorCode as Code
from sharaka.core.immutable import NOTHING, Freeze, Immutable
from sharaka.core.models import TimestampedModel, choice_check, stamped_path


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    UNDER_NEGOTIATION = "under_negotiation", _("En négociation")
    SIGNED = "signed", _("Signée")
    IN_FORCE = "in_force", _("En vigueur")
    ENDED = "ended", _("Terminée")


#: Statuses in which a version's content may still change.
EDITABLE = frozenset({VersionStatus.DRAFT, VersionStatus.UNDER_NEGOTIATION})
#: Statuses of a signed text (append-only).
LOCKED = frozenset({VersionStatus.SIGNED, VersionStatus.IN_FORCE, VersionStatus.ENDED})


_LOCKED_MESSAGE = _(
    "Une version signée de la convention ne peut plus être modifiée : préparez un avenant."
)


def _locked_part() -> Freeze:
    """A clause or a signatory: frozen with its version."""
    return Freeze(
        Code.VERSION_LOCKED, _LOCKED_MESSAGE, state="version__status",
        frozen=dict.fromkeys(LOCKED, NOTHING),
    )  # fmt: skip


class Convention(TimestampedModel):
    partnership = models.OneToOneField(
        "partnerships.Partnership",
        verbose_name=_("partenariat"),
        on_delete=models.PROTECT,
        related_name="convention",
    )
    reference = models.CharField(_("référence"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return str(_("Convention — %(partnership)s") % {"partnership": self.partnership})


def signed_copy_path(instance: ConventionVersion, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return (
        f"conventions/{instance.convention.partnership_id}/"
        f"version-{instance.number}-signee.{suffix}"
    )


class ConventionVersion(Immutable, TimestampedModel):
    """Version 0 is the original convention; version n is amendment (avenant) n.

    Signed: its text is frozen. It moves on to in force and ended (with the end date), its
    date of effect is set once, and its scanned copy may be uploaded."""

    freeze = Freeze(
        Code.VERSION_LOCKED, _LOCKED_MESSAGE, state="status",
        frozen=dict.fromkeys(LOCKED, frozenset({"signed_copy"})),
        moves={
            (VersionStatus.SIGNED, VersionStatus.IN_FORCE): NOTHING,
            (VersionStatus.SIGNED, VersionStatus.ENDED): frozenset({"ended_on"}),
            (VersionStatus.IN_FORCE, VersionStatus.ENDED): frozenset({"ended_on"}),
        },
        fillable=frozenset({"effective_date"}),
    )  # fmt: skip

    convention = models.ForeignKey(
        Convention, verbose_name=_("convention"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("numéro"))
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("version modifiée"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    purpose = models.TextField(_("objet de l'avenant"), blank=True)
    effective_date = models.DateField(_("date d'effet"), null=True, blank=True)
    ended_on = models.DateField(_("fin d'effet"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signature enregistrée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_hash = models.CharField(_("empreinte du texte signé"), max_length=64, blank=True)
    signed_copy = models.FileField(
        _("copie signée numérisée"), upload_to=signed_copy_path, blank=True, max_length=200
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("version de convention")
        verbose_name_plural = _("versions de convention")
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="conventions_version_unique_number"
            ),
            models.UniqueConstraint(
                fields=["convention"],
                condition=Q(status__in=["draft", "under_negotiation"]),
                name="conventions_version_one_open_draft",
            ),
            choice_check("status", VersionStatus, "conventions_version_status_valid"),
            models.CheckConstraint(
                condition=Q(number=0, based_on__isnull=True)
                | Q(number__gt=0, based_on__isnull=False),
                name="conventions_version_amends_previous",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "under_negotiation"])
                | (~Q(content_hash="") & Q(signed_at__isnull=False)),
                name="conventions_version_signed_has_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["in_force", "ended"]) | Q(effective_date__isnull=False),
                name="conventions_version_in_force_has_date",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(effective_date__isnull=True)
                | Q(ended_on__gte=models.F("effective_date")),
                name="conventions_version_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} — {self.label}"

    @property
    def label(self) -> str:
        if self.number == 0:
            return str(_("Convention initiale"))
        return str(_("Avenant n° %(number)s") % {"number": self.number})

    @property
    def badge_class(self) -> str:
        """A status class of the shared stylesheet, by analogy with partnership statuses."""
        return {
            VersionStatus.DRAFT: "status-draft",
            VersionStatus.UNDER_NEGOTIATION: "status-negotiation",
            VersionStatus.SIGNED: "status-terminating",
            VersionStatus.IN_FORCE: "status-active",
            VersionStatus.ENDED: "status-terminated",
        }.get(VersionStatus(self.status), "")

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED


class Clause(Immutable):
    """One article of a version: a catalogue clause with its typed parameters, or a free
    article (``code="custom"``). Optional texts per language replace the catalogue text."""

    freeze = _locked_part()

    version = models.ForeignKey(
        ConventionVersion, verbose_name=_("version"), on_delete=models.CASCADE,
        related_name="clauses",
    )  # fmt: skip
    key = models.SlugField(_("clé"), max_length=40)
    code = models.CharField(_("clause du catalogue"), max_length=40)
    order = models.PositiveIntegerField(_("position"), default=0)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    title_fr = models.CharField(_("titre (français)"), max_length=200, blank=True)
    title_ar = models.CharField(_("titre (arabe)"), max_length=200, blank=True)
    title_en = models.CharField(_("titre (anglais)"), max_length=200, blank=True)
    text_fr = models.TextField(_("texte (français)"), blank=True)
    text_ar = models.TextField(_("texte (arabe)"), blank=True)
    text_en = models.TextField(_("texte (anglais)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("clause")
        verbose_name_plural = _("clauses")
        ordering = ["version", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="conventions_clause_key"),
            models.UniqueConstraint(
                fields=["version", "code"],
                condition=~Q(code="custom"),
                name="conventions_clause_code_once",
            ),
            models.CheckConstraint(
                condition=Q(code="custom", key__startswith="custom-")
                | (~Q(code="custom") & Q(key=models.F("code"))),
                name="conventions_clause_key_matches_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.key}"

    @property
    def titles(self) -> dict[str, str]:
        return {"fr": self.title_fr, "ar": self.title_ar, "en": self.title_en}

    @property
    def texts(self) -> dict[str, str]:
        return {"fr": self.text_fr, "ar": self.text_ar, "en": self.text_en}


class Signatory(Immutable):
    """Who signs a version for one organisation, in which capacity and by which mandate."""

    freeze = _locked_part()

    version = models.ForeignKey(
        ConventionVersion, verbose_name=_("version"), on_delete=models.CASCADE,
        related_name="signatories",
    )  # fmt: skip
    organization = models.ForeignKey(
        "directory.Organization", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    person = models.ForeignKey(
        "directory.Person", verbose_name=_("signataire"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    capacity = models.CharField(_("qualité"), max_length=200)
    mandate_reference = models.CharField(_("mandat (délibération, délégation…)"), max_length=300,
                                         blank=True)  # fmt: skip
    signed_on = models.DateField(_("signé le"), null=True, blank=True)
    order = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "organization", "person"], name="conventions_signatory_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organization})"


# ------------------------------------------------------------- deliberations and oversight


class OversightOutcome(models.TextChoices):
    """The governor's answer (law 113-14, art. 117); values of ``rules.oversight.Oversight``."""

    PENDING = "pending", _("En attente")
    NO_OBJECTION = "no_objection", _("Pas d'opposition")
    OBJECTION = "objection", _("Opposition (suite en cours)")
    OBJECTION_SETTLED = "objection_settled", _("Opposition levée (suite réglée)")


class VisaOutcome(models.TextChoices):
    """The governor's visa (art. 118); values of ``rules.oversight.Visa``. Deemed granted is
    not recorded: it is computed from the date (20 days of silence)."""

    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Visa accordé")
    REFUSED = "refused", _("Visa refusé")


class WaitingFor(models.TextChoices):
    TRANSMISSION = "transmission", _("Transmission au gouverneur")
    ANSWER = "answer", _("Réponse de la tutelle")
    NOTHING = "", _("Rien")


def _deliberation_path(instance: Deliberation, filename: str) -> str:
    return stamped_path(f"deliberations/{instance.party_id}", filename)


class Deliberation(TimestampedModel):
    """A public party's council deliberation approving a convention version (law 113-14, art.
    92), its transmission to the governor (art. 116) and the oversight (arts 117-118).

    ``waiting_for`` and ``due_on`` are stored by the services from the pure rule
    (``rules.oversight.waiting``) on the authority's calendar, for the dashboard's order."""

    party = models.ForeignKey(
        "partnerships.Party", verbose_name=_("partie"), on_delete=models.CASCADE,
        related_name="deliberations",
    )  # fmt: skip
    version = models.ForeignKey(
        ConventionVersion, verbose_name=_("version approuvée"), on_delete=models.PROTECT,
        related_name="deliberations",
    )  # fmt: skip
    number = models.CharField(_("numéro de la délibération"), max_length=100)
    session_date = models.DateField(_("date de la séance"))
    document = models.FileField(
        _("délibération (document)"), upload_to=_deliberation_path, blank=True, max_length=255
    )
    document_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    transmitted_on = models.DateField(_("transmise au gouverneur le"), null=True, blank=True)
    oversight = models.CharField(
        _("contrôle de tutelle"), max_length=20, choices=OversightOutcome.choices,
        default=OversightOutcome.PENDING,
    )  # fmt: skip
    objection_follow_up = models.TextField(_("suite donnée à l'opposition"), blank=True)
    financial_effect = models.BooleanField(
        _("incidence financière (visa requis)"), default=False,
        help_text=_("Loi organique 113-14, art. 118 : visa du gouverneur dans les 20 jours."),
    )  # fmt: skip
    visa = models.CharField(
        _("visa"), max_length=20, choices=VisaOutcome.choices, default=VisaOutcome.PENDING
    )
    waiting_for = models.CharField(
        _("en attente de"), max_length=20, choices=WaitingFor.choices, blank=True
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("délibération du conseil")
        verbose_name_plural = _("délibérations du conseil")
        ordering = ["party", "session_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "version"], name="conventions_deliberation_once"
            ),
            choice_check("oversight", OversightOutcome, "conventions_deliberation_oversight"),
            choice_check("visa", VisaOutcome, "conventions_deliberation_visa"),
            choice_check("waiting_for", WaitingFor, "conventions_deliberation_waiting"),
        ]
        indexes = [
            # the dashboard: per authority, by due date, then pk (the key of its pages)
            models.Index(fields=["waiting_for", "due_on", "id"], name="conv_delib_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.session_date})"
