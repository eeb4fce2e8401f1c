"""Requests for access to information (law 31-13): one per request, with its event log.

A request concerns one partnership and is addressed to the partnership's lead authority
(ADR 0024); its number is unique per authority and year. The requester's personal data
(name, address, identity number, e-mail) lives only on the request row: the history and
the event log never copy it, so that anonymising the row after
``SHARAKA_REQUESTS_KEEP_DAYS`` leaves no trace of it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sharaka.core.immutable import Freeze, Immutable
from sharaka.core.models import TimestampedModel, choice_check, stamped_path
from sharaka.transparency import rules
from sharaka.transparency.error_codes import TransparencyErrorCode as Code


class Status(models.TextChoices):
    RECEIVED = rules.Status.RECEIVED.value, _("Reçue")
    EXTENDED = rules.Status.EXTENDED.value, _("Prorogée")
    ANSWERED = rules.Status.ANSWERED.value, _("Répondue")


class Outcome(models.TextChoices):
    GRANTED = rules.Outcome.GRANTED.value, _("Accordée")
    PARTLY_GRANTED = rules.Outcome.PARTLY_GRANTED.value, _("Accordée en partie")
    REFUSED = rules.Outcome.REFUSED.value, _("Refusée")


class Ground(models.TextChoices):
    NATIONAL_DEFENCE = rules.Ground.NATIONAL_DEFENCE.value, _("Défense nationale")
    STATE_SECURITY = (
        rules.Ground.STATE_SECURITY.value,
        _("Sûreté intérieure ou extérieure de l'État"),
    )
    PRIVATE_LIFE = rules.Ground.PRIVATE_LIFE.value, _("Vie privée, données personnelles")
    FUNDAMENTAL_RIGHTS = rules.Ground.FUNDAMENTAL_RIGHTS.value, _("Libertés et droits fondamentaux")
    FOREIGN_RELATIONS = (
        rules.Ground.FOREIGN_RELATIONS.value,
        _("Relations avec un autre État ou une organisation internationale"),
    )
    ECONOMIC_POLICY = (
        rules.Ground.ECONOMIC_POLICY.value,
        _("Politique monétaire, économique ou financière de l'État"),
    )
    INTELLECTUAL_PROPERTY = (
        rules.Ground.INTELLECTUAL_PROPERTY.value,
        _("Propriété intellectuelle ou industrielle"),
    )
    JUDICIAL_PROCEEDINGS = (
        rules.Ground.JUDICIAL_PROCEEDINGS.value,
        _("Procédures judiciaires ou enquêtes en cours"),
    )
    DELIBERATION_SECRECY = rules.Ground.DELIBERATION_SECRECY.value, _("Secret des délibérations")
    WHISTLEBLOWERS = rules.Ground.WHISTLEBLOWERS.value, _("Protection des dénonciateurs")
    ALREADY_PUBLISHED = rules.Ground.ALREADY_PUBLISHED.value, _("Information déjà publiée")


class Format(models.TextChoices):
    ELECTRONIC = "electronic", _("Copie électronique")
    PAPER = "paper", _("Copie papier")
    ON_SITE = "on_site", _("Consultation sur place")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Fondée : l'information est communiquée")
    DISMISSED = "dismissed", _("Rejetée")


class EventKind(models.TextChoices):
    RECEIVED = "received", _("Demande reçue")
    EXTENDED = "extended", _("Délai prorogé, demandeur avisé")
    ANSWERED = "answered", _("Réponse donnée")
    COMPLAINT_FILED = "complaint_filed", _("Réclamation au chef de l'organisme")
    COMPLAINT_ANSWERED = "complaint_answered", _("Réponse à la réclamation")
    CDAI_FILED = "cdai_filed", _("Plainte à la Commission du droit d'accès à l'information")
    CDAI_DECIDED = "cdai_decided", _("Décision de la Commission")
    COURT_FILED = "court_filed", _("Recours devant le tribunal administratif")
    COURT_DECIDED = "court_decided", _("Jugement du tribunal administratif")
    ANONYMISED = "anonymised", _("Données du demandeur anonymisées")


#: The later steps an officer records by hand (law 31-13 arts 20-21).
LATER_STEPS = (
    EventKind.CDAI_FILED, EventKind.CDAI_DECIDED, EventKind.COURT_FILED, EventKind.COURT_DECIDED,
)  # fmt: skip

#: What replaces the requester's data once anonymised.
ANONYMOUS = "—"


class InformationRequest(TimestampedModel):
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT,
        related_name="information_requests", verbose_name=_("partenariat"),
    )  # fmt: skip
    authority = models.ForeignKey(
        "directory.Organization", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("organisme saisi"),
    )  # fmt: skip
    year = models.PositiveSmallIntegerField(_("année"))
    sequence = models.PositiveIntegerField(_("numéro d'ordre"))
    receipt = models.CharField(_("clé de l'accusé de réception"), max_length=32, unique=True)
    # personal data: visible to the information officers only, anonymised after a while
    requester_name = models.CharField(_("nom et prénom"), max_length=200)
    requester_address = models.CharField(_("adresse"), max_length=300)
    requester_id_number = models.CharField(_("numéro de la pièce d'identité"), max_length=20)
    requester_email = models.EmailField(_("courriel"), blank=True)
    information_sought = models.TextField(_("information demandée"))
    preferred_format = models.CharField(_("forme souhaitée"), max_length=20, choices=Format.choices)
    urgent = models.BooleanField(_("urgence : la vie ou la liberté d'une personne en dépend"),
                                 default=False)  # fmt: skip
    received_on = models.DateField(_("reçue le"))
    due_on = models.DateField(_("réponse due le"))
    status = models.CharField(_("état"), max_length=20, choices=Status.choices,
                              default=Status.RECEIVED)  # fmt: skip
    extended_on = models.DateField(_("prorogée le"), null=True, blank=True)
    extension_notice = models.TextField(_("avis de prorogation au demandeur"), blank=True)
    outcome = models.CharField(_("réponse"), max_length=20, choices=Outcome.choices, blank=True)
    answered_on = models.DateField(_("répondue le"), null=True, blank=True)
    answer = models.TextField(_("réponse donnée"), blank=True)
    exempted_parts = models.TextField(_("parties non communiquées"), blank=True)
    ground = models.CharField(_("motif légal"), max_length=30, choices=Ground.choices, blank=True)
    remedy = models.TextField(_("voies de recours indiquées"), blank=True)
    complaint_filed_on = models.DateField(_("réclamation reçue le"), null=True, blank=True)
    complaint = models.TextField(_("réclamation"), blank=True)
    complaint_due_on = models.DateField(_("réponse à la réclamation due le"), null=True,
                                        blank=True)  # fmt: skip
    complaint_answered_on = models.DateField(_("réclamation répondue le"), null=True, blank=True)
    complaint_outcome = models.CharField(_("suite de la réclamation"), max_length=20,
                                         choices=ComplaintOutcome.choices, blank=True)  # fmt: skip
    complaint_answer = models.TextField(_("réponse à la réclamation"), blank=True)
    closed_on = models.DateField(_("close le"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)
    history = HistoricalRecords(
        excluded_fields=[
            "requester_name", "requester_address", "requester_id_number", "requester_email",
            "receipt",
        ]
    )  # fmt: skip

    class Meta:
        verbose_name = _("demande d'accès à l'information")
        verbose_name_plural = _("demandes d'accès à l'information")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "year", "sequence"], name="transparency_request_number"
            ),
            choice_check("status", Status, "transparency_request_status_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=[c.value for c in Outcome]),
                name="transparency_request_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.ANSWERED) | ~Q(outcome=""),
                name="transparency_request_answered_has_outcome",
            ),
        ]
        indexes = [
            # the to-do lists: by due date, per partnership and across them
            models.Index(fields=["partnership", "due_on", "id"], name="transp_req_todo"),
            models.Index(fields=["status", "due_on", "id"], name="transp_req_open"),
            models.Index(fields=["partnership", "year", "id"], name="transp_req_year"),
            models.Index(fields=["anonymised_at", "closed_on", "id"], name="transp_req_keep"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return rules.number(self.year, self.sequence)

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN

    @property
    def complaint_open(self) -> bool:
        return self.complaint_filed_on is not None and self.complaint_answered_on is None


class RequestEvent(models.Model):
    """One step of a request: what, on which date, who recorded it (none: the public form
    or the scheduled job) and when. Never holds the requester's personal data."""

    request = models.ForeignKey(
        InformationRequest, on_delete=models.CASCADE, related_name="events",
        verbose_name=_("demande"),
    )  # fmt: skip
    kind = models.CharField(_("étape"), max_length=30, choices=EventKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("enregistrée le"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("par"),
    )  # fmt: skip
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("étape d'une demande")
        verbose_name_plural = _("étapes d'une demande")
        ordering = ["at", "id"]
        constraints = [choice_check("kind", EventKind, "transparency_event_kind_valid")]
        indexes = [models.Index(fields=["request", "at", "id"], name="transp_event_timeline")]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.on}"


# --- The information register (M13: organised information, given and received) --------------


class Direction(models.TextChoices):
    GIVEN = "given", _("Donnée")
    RECEIVED = "received", _("Reçue")


class Channel(models.TextChoices):
    NOTICE_BOARD = "notice_board", _("Tableau d'affichage")
    WEBSITE = "website", _("Site internet")
    SOCIAL_MEDIA = "social_media", _("Réseaux sociaux")
    MAIL = "mail", _("Courrier")
    EMAIL = "email", _("Courriel")
    MEETING = "meeting", _("Réunion")
    COUNTER = "counter", _("Guichet")
    PRESS = "press", _("Presse, radio")


class EntryKind(models.TextChoices):
    PUBLICATION = "publication", _("Publication")
    NOTICE = "notice", _("Avis")
    REPORT = "report", _("Rapport")
    ANSWER = "answer", _("Réponse")
    COMPLAINT = "complaint", _("Plainte")
    SUGGESTION = "suggestion", _("Suggestion")
    REQUEST = "request", _("Demande")


class EntryStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    DONE = "done", _("Traitée")


class RegisterEntry(TimestampedModel):
    """One piece of information the partnership gave (a publication, a notice, a report, an
    answer) or received (a complaint, a suggestion, a request), with who handled it."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT,
        related_name="register_entries", verbose_name=_("partenariat"),
    )  # fmt: skip
    direction = models.CharField(_("sens"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("nature"), max_length=20, choices=EntryKind.choices)
    on = models.DateField(_("date"))
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    subject = models.CharField(_("objet"), max_length=300)
    counterpart = models.CharField(
        _("destinataires ou auteur"), max_length=200, blank=True,
        help_text=_("Un public (habitants, presse…) ou un organisme : pas de donnée personnelle."),
    )  # fmt: skip
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("traitée par"),
    )  # fmt: skip
    status = models.CharField(_("état"), max_length=10, choices=EntryStatus.choices,
                              default=EntryStatus.DONE)  # fmt: skip
    documents = models.TextField(_("documents envoyés ou reçus"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entrée du registre de l'information")
        verbose_name_plural = _("registre de l'information")
        ordering = ["-on", "-id"]
        constraints = [
            choice_check("direction", Direction, "transparency_entry_direction_valid"),
            choice_check("kind", EntryKind, "transparency_entry_kind_valid"),
            choice_check("channel", Channel, "transparency_entry_channel_valid"),
            choice_check("status", EntryStatus, "transparency_entry_status_valid"),
        ]
        indexes = [
            models.Index(fields=["partnership", "-on", "-id"], name="transp_register_list"),
            models.Index(fields=["partnership", "direction", "-on", "-id"],
                         name="transp_register_dir"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.on} {self.subject}"


# --- Posting of the board's decisions (law 113-14, art. 273) --------------------------------


def _proof_path(instance: DecisionPosting, filename: str) -> str:
    return stamped_path(f"transparency/postings/{instance.partnership_id}", filename)


class DecisionPosting(Immutable):
    """That a decision of the board was posted: where, on which day, who recorded it, and
    the proof (a photo of the notice board, a copy of the web page). Written once: a posting
    is a fact, a correction is a note in the information register (ADR 0036)."""

    freeze = Freeze(
        Code.POSTING_FROZEN,
        _("L'affichage d'une décision, une fois enregistré, ne se modifie ni ne se supprime."),
    )

    decision = models.OneToOneField(
        "meetings.Decision", on_delete=models.PROTECT, related_name="posting",
        verbose_name=_("décision"),
    )  # fmt: skip
    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="decision_postings",
        verbose_name=_("partenariat"),
    )  # fmt: skip
    posted_on = models.DateField(_("affichée le"))
    due_on = models.DateField(_("à afficher au plus tard le"))
    channel = models.CharField(_("support"), max_length=20, choices=Channel.choices)
    place = models.CharField(
        _("lieu ou adresse"), max_length=300,
        help_text=_("Le tableau d'affichage (siège de la commune…) ou l'adresse de la page."),
    )  # fmt: skip
    note = models.TextField(_("observations"), blank=True)
    proof = models.FileField(_("preuve"), upload_to=_proof_path, max_length=255, blank=True)
    proof_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    proof_content_type = models.CharField(_("type"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("enregistrée par"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("affichage d'une décision")
        verbose_name_plural = _("affichages des décisions")
        ordering = ["-posted_on", "-id"]
        constraints = [
            choice_check("channel", Channel, "transparency_posting_channel_valid"),
            models.CheckConstraint(
                condition=~Q(place=""), name="transparency_posting_place_required"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "-posted_on", "-id"], name="transp_posting_list")
        ]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.posted_on}"

    @property
    def late(self) -> bool:
        return self.posted_on > self.due_on


# --- The communication plan (M13: audiences, channels, messages, schedule, who) ------------


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Habitants")
    USERS = "users", _("Usagers de l'équipement")
    MEMBERS = "members", _("Membres des partenaires")
    PRESS = "press", _("Presse")
    FUNDERS = "funders", _("Bailleurs de fonds")


class Frequency(models.TextChoices):
    ONCE = "once", _("Une fois")
    MONTHLY = "monthly", _("Chaque mois")
    QUARTERLY = "quarterly", _("Chaque trimestre")
    YEARLY = "yearly", _("Chaque année")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    DONE = "done", _("Réalisée")
    CANCELLED = "cancelled", _("Annulée")


class CommunicationAction(TimestampedModel):
    """One action of a partnership's communication plan: to whom, through which channel,
    what message, when and how often, who is responsible; then what was done, with its
    evidence. ``public`` actions appear on the portal."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT,
        related_name="communication_actions", verbose_name=_("partenariat"),
    )  # fmt: skip
    audience = models.CharField(_("public visé"), max_length=20, choices=Audience.choices)
    channel = models.CharField(_("canal"), max_length=20, choices=Channel.choices)
    message = models.CharField(_("message"), max_length=300)
    planned_on = models.DateField(_("prévue le"))
    frequency = models.CharField(_("fréquence"), max_length=20, choices=Frequency.choices,
                                 default=Frequency.ONCE)  # fmt: skip
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("responsable"),
    )  # fmt: skip
    public = models.BooleanField(_("publiée sur le portail"), default=False)
    #: the planning budget line that pays for it, in the partnership's action plan in force
    budget_line = models.ForeignKey(
        "planning.BudgetLine", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("ligne budgétaire"),
    )  # fmt: skip
    status = models.CharField(_("état"), max_length=20, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)  # fmt: skip
    done_on = models.DateField(_("réalisée le"), null=True, blank=True)
    evidence = models.TextField(_("ce qui a été fait, preuves"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action de communication")
        verbose_name_plural = _("plan de communication")
        ordering = ["planned_on", "id"]
        constraints = [
            choice_check("audience", Audience, "transparency_action_audience_valid"),
            choice_check("channel", Channel, "transparency_action_channel_valid"),
            choice_check("frequency", Frequency, "transparency_action_frequency_valid"),
            choice_check("status", ActionStatus, "transparency_action_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE) | Q(done_on__isnull=False),
                name="transparency_action_done_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "planned_on", "id"], name="transp_action_plan"),
        ]

    def __str__(self) -> str:
        return self.message


# --- Proactive publication: what an officer records (law 31-13, art. 10) ---------------------

#: the checklist lines an officer records (the platform cannot count them)
RECORDED_ITEMS = tuple(i.code for i in rules.PUBLICATION_CHECKLIST if i.source == rules.RECORDED)


def _publication_path(instance: PublicationRecord, filename: str) -> str:
    return stamped_path(f"transparency/publications/{instance.partnership_id}", filename)


class PublicationRecord(Immutable):
    """That something on the proactive publication checklist was published outside Sharaka
    (an evaluation report on the authority's website, an audit report on the notice board):
    on which day, where, and the evidence (an address or a document). Append-only: a newer
    record supersedes the older ones on the checklist, which stay as the line's history."""

    freeze = Freeze(
        Code.PUBLICATION_FROZEN,
        _("Une publication enregistrée ne se modifie ni ne se supprime : enregistrez-en une "
          "nouvelle."),
    )  # fmt: skip

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT,
        related_name="publication_records", verbose_name=_("partenariat"),
    )  # fmt: skip
    item = models.CharField(_("ligne"), max_length=30)
    published_on = models.DateField(_("publiée le"))
    channel = models.CharField(_("support"), max_length=20, choices=Channel.choices)
    place = models.CharField(_("où"), max_length=300)
    url = models.URLField(_("adresse de la publication"), max_length=500, blank=True)
    note = models.TextField(_("observations"), blank=True)
    proof = models.FileField(_("preuve"), upload_to=_publication_path, max_length=255,
                             blank=True)  # fmt: skip
    proof_name = models.CharField(_("nom du fichier"), max_length=255, blank=True)
    proof_content_type = models.CharField(_("type"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("enregistrée par"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("enregistrée le"), default=timezone.now)

    class Meta:
        verbose_name = _("publication proactive")
        verbose_name_plural = _("publications proactives")
        ordering = ["-published_on", "-id"]
        constraints = [
            choice_check("channel", Channel, "transparency_publication_channel_valid"),
            models.CheckConstraint(
                condition=Q(item__in=RECORDED_ITEMS), name="transparency_publication_item_valid"
            ),
            models.CheckConstraint(
                condition=~Q(url="") | ~Q(proof=""), name="transparency_publication_evidence"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "item", "-published_on", "-id"],
                         name="transp_publication_line"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.item} {self.published_on}"
