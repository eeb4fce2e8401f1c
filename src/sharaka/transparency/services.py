"""Information requests: filing (the public form, or an officer recording a letter), the
one extension, the answer, the complaint and later steps, reminders and anonymisation.

Every service is atomic and refuses with a ``DomainError`` naming the field at fault; a
refused step changes nothing. Every step writes one ``RequestEvent`` (who, when).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from sharaka.core.access import Perm, require, signed_in
from sharaka.core.documents import DOCUMENT_FORMATS, UploadProblem
from sharaka.core.errors import DomainError
from sharaka.core.types import Actor
from sharaka.core.uploads import check_upload_size, document_problem
from sharaka.directory.models import Organization
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership
from sharaka.planning.models import BudgetLine
from sharaka.planning.models import VersionStatus as PlanStatus
from sharaka.transparency import rules
from sharaka.transparency.error_codes import TransparencyErrorCode as Code
from sharaka.transparency.models import (
    ANONYMOUS,
    LATER_STEPS,
    RECORDED_ITEMS,
    ActionStatus,
    CommunicationAction,
    DecisionPosting,
    EventKind,
    InformationRequest,
    Outcome,
    PublicationRecord,
    RegisterEntry,
    RequestEvent,
    Status,
)
from sharaka.transparency.selectors import calendar_of

THROTTLE_WINDOW_SECONDS = 3600


class Throttled(DomainError):
    status = 429


def _today() -> dt.date:
    return timezone.localdate()


def _event(request: InformationRequest, kind: str, on: dt.date, by: Any, note: str = "") -> None:
    RequestEvent.objects.create(request=request, kind=kind, on=on, by=by, note=note)


def _not_future(day: dt.date, field: str) -> None:
    if day > _today():
        raise DomainError(Code.BAD_DATE, _("Cette date est dans le futur."), field=field)


def _manage(by: Actor, request: InformationRequest) -> None:
    require(by, Perm.REQUEST_MANAGE, request.partnership)


def _locked(request: InformationRequest) -> InformationRequest:
    """The request's row, locked for this transaction, with its partnership."""
    row = InformationRequest.objects.select_for_update().get(pk=request.pk)
    row.partnership = request.partnership
    return row


# --- Filing -----------------------------------------------------------------------------------


def throttle(*, ip_address: str) -> None:
    """Count a request filed from ``ip_address``; ``Throttled`` (429) beyond
    ``SHARAKA_REQUESTS_PER_IP`` an hour. The cache key holds a digest, never the address."""
    digest = hashlib.sha256(f"information-request:{ip_address}".encode()).hexdigest()[:32]
    key = f"sharaka:information-request:{digest}"
    cache.add(key, 0, timeout=THROTTLE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=THROTTLE_WINDOW_SECONDS)
        count = 1
    if count > settings.SHARAKA_REQUESTS_PER_IP:
        raise Throttled(
            Code.THROTTLED,
            _("Trop de demandes envoyées depuis votre adresse : réessayez dans une heure."),
        )


_FILED = (
    "requester_name", "requester_address", "requester_id_number", "requester_email",
    "information_sought", "preferred_format", "urgent",
)  # fmt: skip


def _file(*, partnership: Partnership, fields: dict[str, Any], received_on: dt.date,
          by: Any) -> InformationRequest:  # fmt: skip
    authority_id = partnership.lead_authority_id
    # one filing at a time per authority: the number is the next of the authority's year
    Organization.objects.select_for_update().filter(pk=authority_id).exists()
    year = received_on.year
    last = InformationRequest.objects.filter(authority_id=authority_id, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    urgent = bool(fields.get("urgent"))
    request = InformationRequest.objects.create(
        partnership=partnership, authority_id=authority_id, year=year,
        sequence=(last or 0) + 1, receipt=secrets.token_urlsafe(24)[:32],
        received_on=received_on,
        due_on=rules.answer_due(received_on, urgent=urgent, calendar=calendar_of(authority_id)),
        **{name: fields.get(name, "") for name in _FILED if name != "urgent"}, urgent=urgent,
    )  # fmt: skip
    _event(request, EventKind.RECEIVED, received_on, by)
    return request


@transaction.atomic
def request_file(
    *, partnership: Partnership, fields: dict[str, Any], ip_address: str
) -> InformationRequest:
    """A request sent through the public portal (no account), received today."""
    throttle(ip_address=ip_address)
    return _file(partnership=partnership, fields=fields, received_on=_today(), by=None)


@transaction.atomic
def request_record(
    *, by: Actor, partnership: Partnership, fields: dict[str, Any]
) -> InformationRequest:
    """A request received by letter or at the counter, recorded by an information officer."""
    require(by, Perm.REQUEST_MANAGE, partnership)
    received_on = fields["received_on"]
    _not_future(received_on, "received_on")
    return _file(partnership=partnership, fields=fields, received_on=received_on,
                 by=signed_in(by))  # fmt: skip


# --- Steps ------------------------------------------------------------------------------------


@transaction.atomic
def request_extend(*, by: Actor, request: InformationRequest, fields: dict[str, Any]
                   ) -> InformationRequest:  # fmt: skip
    """The one extension of 20 working days (art. 16), with the notice to the requester,
    given before the first due date. An urgent request (art. 17) is not extended."""
    _manage(by, request)
    request = _locked(request)
    if request.status != Status.RECEIVED:
        raise DomainError(Code.INVALID_STEP, _("Le délai ne peut être prorogé qu'une fois, "
                                               "avant la réponse."))  # fmt: skip
    if request.urgent:
        raise DomainError(Code.INVALID_STEP, _("Une demande urgente (art. 17) ne peut être "
                                               "prorogée."))  # fmt: skip
    day, notice = fields["extended_on"], fields["extension_notice"].strip()
    _not_future(day, "extended_on")
    if day < request.received_on or day > request.due_on:
        raise DomainError(Code.BAD_DATE, _("Le demandeur doit être avisé entre la réception et "
                                           "la date due (%(due)s).") % {"due": request.due_on},
                          field="extended_on")  # fmt: skip
    if not notice:
        raise DomainError(Code.MISSING, _("Indiquez l'avis envoyé au demandeur."),
                          field="extension_notice")  # fmt: skip
    request.status = Status.EXTENDED
    request.extended_on = day
    request.extension_notice = notice
    request.due_on = rules.extended_due(request.due_on, calendar_of(request.authority_id))
    request.save()
    _event(request, EventKind.EXTENDED, day, signed_in(by), notice)
    return request


def _close(request: InformationRequest) -> None:
    """Closed when answered and no complaint awaits its answer; the last date counts."""
    if request.status == Status.ANSWERED and not request.complaint_open:
        days = [d for d in (request.answered_on, request.complaint_answered_on) if d]
        request.closed_on = max(days)
    else:
        request.closed_on = None


@transaction.atomic
def request_answer(*, by: Actor, request: InformationRequest, fields: dict[str, Any]
                   ) -> InformationRequest:  # fmt: skip
    """The answer: granted; partly granted, naming the parts withheld, their legal ground
    and the remedy; or refused with its ground and the remedy (art. 18)."""
    _manage(by, request)
    request = _locked(request)
    if not request.is_open:
        raise DomainError(Code.INVALID_STEP, _("Cette demande a déjà reçu sa réponse."))
    outcome, day = fields["outcome"], fields["answered_on"]
    _not_future(day, "answered_on")
    if day < request.received_on:
        raise DomainError(Code.BAD_DATE, _("La réponse ne peut précéder la réception (%(day)s).")
                          % {"day": request.received_on}, field="answered_on")  # fmt: skip
    ground = fields.get("ground") or ""
    exempted = (fields.get("exempted_parts") or "").strip()
    remedy = (fields.get("remedy") or "").strip()
    answer = (fields.get("answer") or "").strip()
    if outcome == Outcome.PARTLY_GRANTED and not exempted:
        raise DomainError(Code.MISSING, _("Indiquez les parties non communiquées."),
                          field="exempted_parts")  # fmt: skip
    if outcome != Outcome.GRANTED:
        if not ground:
            message = _(
                "Un refus, même partiel, est motivé : choisissez le motif légal (art. 7 à 9)."
            )
            raise DomainError(Code.MISSING, message, field="ground")
        if not remedy:
            raise DomainError(Code.MISSING, _("Un refus, même partiel, indique les voies de "
                                              "recours (art. 18)."), field="remedy")  # fmt: skip
    else:
        ground, exempted = "", ""
    request.status = Status.ANSWERED
    request.outcome = outcome
    request.answered_on = day
    request.answer = answer
    request.exempted_parts = exempted
    request.ground = ground
    request.remedy = remedy
    _close(request)
    request.save()
    _event(request, EventKind.ANSWERED, day, signed_in(by), answer)
    return request


@transaction.atomic
def complaint_record(*, by: Actor, request: InformationRequest, fields: dict[str, Any]
                     ) -> InformationRequest:  # fmt: skip
    """A complaint to the head of the body (art. 19): against a refusal (whole or partial)
    or the silence after the due date, within 20 working days; answered within 15 days."""
    _manage(by, request)
    request = _locked(request)
    if request.complaint_filed_on is not None:
        raise DomainError(Code.INVALID_STEP, _("Une réclamation est déjà enregistrée."))
    day, text = fields["complaint_filed_on"], fields["complaint"].strip()
    _not_future(day, "complaint_filed_on")
    calendar = calendar_of(request.authority_id)
    if request.status == Status.ANSWERED:
        if request.outcome == Outcome.GRANTED:
            raise DomainError(Code.INVALID_STEP, _("L'information a été accordée : il n'y a "
                                                   "pas lieu à réclamation."))  # fmt: skip
        start = request.answered_on
    else:
        start = request.due_on
        if day <= start:
            raise DomainError(Code.BAD_DATE, _("Sans réponse, la réclamation suit la date due "
                                               "(%(due)s).") % {"due": start},
                              field="complaint_filed_on")  # fmt: skip
    assert start is not None
    if day < start:
        raise DomainError(Code.BAD_DATE, _("La réclamation ne peut précéder la réponse."),
                          field="complaint_filed_on")  # fmt: skip
    limit = rules.complaint_deadline(start, calendar)
    if day > limit:
        raise DomainError(Code.BAD_DATE, _("Hors délai : la réclamation devait être déposée au "
                                           "plus tard le %(limit)s (%(legal)s).")
                          % {"limit": limit, "legal": rules.COMPLAINT_FILING.legal},
                          field="complaint_filed_on")  # fmt: skip
    if not text:
        raise DomainError(Code.MISSING, _("Résumez la réclamation."), field="complaint")
    request.complaint_filed_on = day
    request.complaint = text
    request.complaint_due_on = rules.complaint_answer_due(day, calendar)
    _close(request)
    request.save()
    _event(request, EventKind.COMPLAINT_FILED, day, signed_in(by), text)
    return request


@transaction.atomic
def complaint_answer(*, by: Actor, request: InformationRequest, fields: dict[str, Any]
                     ) -> InformationRequest:  # fmt: skip
    _manage(by, request)
    request = _locked(request)
    if not request.complaint_open:
        raise DomainError(Code.INVALID_STEP, _("Aucune réclamation n'attend de réponse."))
    day = fields["complaint_answered_on"]
    _not_future(day, "complaint_answered_on")
    assert request.complaint_filed_on is not None
    if day < request.complaint_filed_on:
        raise DomainError(Code.BAD_DATE, _("La réponse ne peut précéder la réclamation."),
                          field="complaint_answered_on")  # fmt: skip
    request.complaint_answered_on = day
    request.complaint_outcome = fields["complaint_outcome"]
    request.complaint_answer = (fields.get("complaint_answer") or "").strip()
    _close(request)
    request.save()
    _event(request, EventKind.COMPLAINT_ANSWERED, day, signed_in(by), request.complaint_answer)
    return request


@transaction.atomic
def later_step_record(*, by: Actor, request: InformationRequest, fields: dict[str, Any]
                      ) -> RequestEvent:  # fmt: skip
    """A later step, recorded as it happened: the commission (CDAI, art. 20) or the
    administrative court (art. 21)."""
    _manage(by, request)
    request = _locked(request)
    kind, day = fields["kind"], fields["on"]
    if kind not in LATER_STEPS:
        raise DomainError(Code.INVALID_STEP, _("Étape inconnue."), field="kind")
    _not_future(day, "on")
    if day < request.received_on:
        raise DomainError(Code.BAD_DATE, _("Cette étape ne peut précéder la demande."),
                          field="on")  # fmt: skip
    event = RequestEvent.objects.create(request=request, kind=kind, on=day, by=signed_in(by),
                                        note=(fields.get("note") or "").strip())  # fmt: skip
    return event


# --- Housekeeping (the daily job) ----------------------------------------------------------


def requests_anonymise(*, now: dt.datetime | None = None) -> int:
    """Blank the requester's personal data of every request closed more than
    ``SHARAKA_REQUESTS_KEEP_DAYS`` days ago (the history never held it); returns how many."""
    now = now or timezone.now()
    cutoff = timezone.localdate(now) - dt.timedelta(days=settings.SHARAKA_REQUESTS_KEEP_DAYS)
    with transaction.atomic():
        ids = list(
            InformationRequest.objects.filter(anonymised_at__isnull=True, closed_on__lte=cutoff)
            .order_by("id").values_list("id", flat=True)[:5000]
        )  # fmt: skip
        InformationRequest.objects.filter(pk__in=ids).update(
            requester_name=ANONYMOUS, requester_address=ANONYMOUS, requester_id_number=ANONYMOUS,
            requester_email="", anonymised_at=now,
        )  # fmt: skip
        RequestEvent.objects.bulk_create(
            RequestEvent(request_id=pk, kind=EventKind.ANONYMISED, on=timezone.localdate(now),
                         at=now)
            for pk in ids
        )  # fmt: skip
    return len(ids)


# --- The information register ---------------------------------------------------------------

_ENTRY = ("direction", "kind", "on", "channel", "subject", "counterpart", "status", "documents")
_GIVEN_KINDS = frozenset({"publication", "notice", "report", "answer"})


@transaction.atomic
def register_add(*, by: Actor, partnership: Partnership, fields: dict[str, Any]) -> RegisterEntry:
    """Record information given or received; the information officers keep the register."""
    require(by, Perm.REQUEST_MANAGE, partnership)
    _not_future(fields["on"], "on")
    given = fields["direction"] == "given"
    if given != (fields["kind"] in _GIVEN_KINDS):
        raise DomainError(
            Code.INVALID_STEP,
            _("Une publication, un avis, un rapport ou une réponse sont donnés ; une plainte, "
              "une suggestion ou une demande sont reçues."),
            field="kind",
        )  # fmt: skip
    if not str(fields.get("subject", "")).strip():
        raise DomainError(Code.MISSING, _("Indiquez l'objet."), field="subject")
    return RegisterEntry.objects.create(
        partnership=partnership, handled_by=signed_in(by),
        **{name: fields.get(name, "") for name in _ENTRY},
    )  # fmt: skip


# --- Posting of the board's decisions (law 113-14, art. 273) --------------------------------

_POSTING = ("posted_on", "channel", "place", "note")


def _proof_type(upload: UploadedFile[bytes]) -> str:
    """The content type of an accepted proof: a PDF, PNG or JPEG within the size limit."""
    check_upload_size(upload, field="proof", label=_("Preuve"), code=Code.DOCUMENT)
    if document_problem(upload) is not UploadProblem.NONE:
        raise DomainError(
            Code.DOCUMENT, _("La preuve doit être un PDF, un PNG ou un JPEG non vide."),
            field="proof",
        )  # fmt: skip
    return DOCUMENT_FORMATS[(upload.name or "").rsplit(".", 1)[-1].lower()]


@transaction.atomic
def posting_record(
    *, by: Actor, decision: Decision, fields: dict[str, Any],
    proof: UploadedFile[bytes] | None = None,
) -> DecisionPosting:  # fmt: skip
    """Record that ``decision`` was posted (once): on a day between the decision and today,
    on a support, at a place, with an optional proof. The due date is kept with it."""
    require(by, Perm.REQUEST_MANAGE, decision.partnership)
    posted_on: dt.date = fields["posted_on"]
    _not_future(posted_on, "posted_on")
    if posted_on < decision.decided_on:
        raise DomainError(
            Code.BAD_DATE, _("Une décision ne peut être affichée avant d'avoir été prise."),
            field="posted_on",
        )  # fmt: skip
    if not str(fields.get("place", "")).strip():
        raise DomainError(Code.MISSING, _("Indiquez où la décision est affichée."), field="place")
    if DecisionPosting.objects.select_for_update().filter(decision=decision).exists():
        raise DomainError(Code.POSTED, _("L'affichage de cette décision est déjà enregistré."))
    posting = DecisionPosting(
        decision=decision, partnership=decision.partnership,
        due_on=rules.posting_due(decision.decided_on), recorded_by=signed_in(by),
        **{name: str(fields.get(name) or "").strip() for name in _POSTING if name != "posted_on"},
        posted_on=posted_on,
    )  # fmt: skip
    if proof is not None:
        posting.proof_content_type = _proof_type(proof)
        posting.proof_name = (proof.name or "preuve")[:255]
        posting.proof.save(posting.proof_name, proof, save=False)
    posting.save()
    return posting


# --- The communication plan -----------------------------------------------------------------

_ACTION = (
    "audience",
    "channel",
    "message",
    "planned_on",
    "frequency",
    "owner",
    "public",
    "budget_line",
)


def _planned(action: CommunicationAction) -> CommunicationAction:
    locked = CommunicationAction.objects.select_for_update().get(pk=action.pk)
    if locked.status != ActionStatus.PLANNED:
        raise DomainError(Code.INVALID_STEP, _("Cette action n'est plus prévue."))
    return locked


@transaction.atomic
def action_add(*, by: Actor, partnership: Partnership, fields: dict[str, Any]
               ) -> CommunicationAction:  # fmt: skip
    """Add an action to the partnership's communication plan (the information officers)."""
    require(by, Perm.REQUEST_MANAGE, partnership)
    if not str(fields.get("message", "")).strip():
        raise DomainError(Code.MISSING, _("Indiquez le message."), field="message")
    line = fields.get("budget_line")
    if line is not None and not BudgetLine.objects.filter(
        pk=line.pk, activity__version__plan__partnership=partnership,
        activity__version__status=PlanStatus.ADOPTED,
    ).exists():  # fmt: skip
        raise DomainError(
            Code.MISSING, _("Choisissez une ligne du plan d'action en vigueur du partenariat."),
            field="budget_line",
        )  # fmt: skip
    return CommunicationAction.objects.create(
        partnership=partnership, **{name: fields.get(name) for name in _ACTION}
    )


@transaction.atomic
def action_done(*, by: Actor, action: CommunicationAction, fields: dict[str, Any]
                ) -> CommunicationAction:  # fmt: skip
    """Record that a planned action was carried out, on which day, with its evidence."""
    require(by, Perm.REQUEST_MANAGE, action.partnership)
    _not_future(fields["done_on"], "done_on")
    if not str(fields.get("evidence", "")).strip():
        raise DomainError(Code.MISSING, _("Dites ce qui a été fait."), field="evidence")
    locked = _planned(action)
    locked.status, locked.done_on = ActionStatus.DONE, fields["done_on"]
    locked.evidence = str(fields["evidence"]).strip()
    locked.save(update_fields=["status", "done_on", "evidence", "updated_at"])
    return locked


@transaction.atomic
def action_cancel(*, by: Actor, action: CommunicationAction) -> CommunicationAction:
    require(by, Perm.REQUEST_MANAGE, action.partnership)
    locked = _planned(action)
    locked.status = ActionStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    return locked


# --- Proactive publication: a record for a line the platform cannot count -------------------


@transaction.atomic
def publication_record(
    *, by: Actor, partnership: Partnership, item: str, fields: dict[str, Any],
    proof: UploadedFile[bytes] | None = None,
) -> PublicationRecord:  # fmt: skip
    """Record that a line of the checklist (``item``, one the platform cannot count) was
    published: on a day not in the future, on a support, at a place, with its evidence (the
    publication's address, or a PDF/PNG/JPEG checked by content, or both). Append-only: a
    newer record supersedes the older ones on the checklist."""
    require(by, Perm.REQUEST_MANAGE, partnership)
    if item not in RECORDED_ITEMS:
        raise DomainError(Code.INVALID_STEP, _("Sharaka calcule cette ligne lui-même."))
    published_on: dt.date = fields["published_on"]
    _not_future(published_on, "published_on")
    place = str(fields.get("place") or "").strip()
    if not place:
        raise DomainError(Code.MISSING, _("Indiquez où la publication est faite."),
                          field="place")  # fmt: skip
    url = str(fields.get("url") or "").strip()
    if not url and proof is None:
        raise DomainError(
            Code.NO_EVIDENCE, _("Donnez l'adresse de la publication ou joignez une preuve."),
            field="url",
        )  # fmt: skip
    record = PublicationRecord(
        partnership=partnership, item=item, published_on=published_on, place=place, url=url,
        channel=fields["channel"], note=str(fields.get("note") or "").strip(),
        recorded_by=signed_in(by),
    )  # fmt: skip
    if proof is not None:
        record.proof_content_type = _proof_type(proof)
        record.proof_name = (proof.name or "preuve")[:255]
        record.proof.save(record.proof_name, proof, save=False)
    record.save()
    return record
