"""Information request pages (law 31-13). Thin: a selector checks access and builds the
view model, a service does the step, ``core.pages`` draws the form."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.core.access import Perm
from sharaka.core.pages import Frame, confirm_page, form_page, submit_form
from sharaka.core.pagination import paginate, query_without_page
from sharaka.core.uploads import stored_file_response
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import HEADER, partnership_page
from sharaka.transparency import publication, rules, selectors, services
from sharaka.transparency.forms import (
    HONEYPOT,
    ActionDoneForm,
    ActionForm,
    AnswerForm,
    ComplaintAnswerForm,
    ComplaintForm,
    ExtendForm,
    LaterStepForm,
    PostingForm,
    PublicationForm,
    PublicRequestForm,
    RecordForm,
    RegisterEntryForm,
)
from sharaka.transparency.models import Direction, InformationRequest

TAB = "transparency"


def _frame(request: HttpRequest, partnership: Partnership) -> Frame:
    return Frame(partnership_page(request, partnership, TAB), nav=(HEADER,))


def _request_url(item: InformationRequest) -> str:
    return reverse("transparency:request", args=[item.partnership.slug, item.pk])


def _managed(request: HttpRequest, slug: str, pk: int) -> InformationRequest:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    return selectors.request_get(partnership=partnership, pk=pk)


def _todo_context(request: HttpRequest, partnership: Partnership | None) -> dict[str, Any]:
    today = timezone.localdate()
    show_all = request.GET.get("etat") == "toutes"
    requests = (selectors.all_requests if show_all else selectors.open_requests)(
        user=request.user, partnership=partnership
    )
    page = paginate(request, requests)
    return {
        "page_obj": page, "rows": selectors.todo_rows(page.object_list, today),
        "query": query_without_page(request), "show_all": show_all, "today": today,
        "stats": selectors.statistics_get(user=request.user, partnership=partnership,
                                          today=today),
        "legal_rules": selectors.rules_shown(),
    }  # fmt: skip


@login_required
def requests(request: HttpRequest, slug: str) -> HttpResponse:
    """The to-do list of one partnership's requests, by due date, and the statistics."""
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    context = partnership_page(request, partnership, TAB, **_todo_context(request, partnership))
    return render(request, "transparency/pages/requests.html", context)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """Every request of the partnerships the user sees, by due date."""
    context = _todo_context(request, None) | {"nav_section": "requests"}
    return render(request, "transparency/pages/todo.html", context)


@login_required
def request_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    item = selectors.request_get(partnership=partnership, pk=pk)
    view = selectors.request_view_get(user=request.user, request=item)
    context = partnership_page(request, partnership, TAB, view=view)
    return render(request, "transparency/pages/request.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def request_record(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    back = reverse("transparency:requests", args=[slug])
    return form_page(
        request, RecordForm(request.POST or None),
        save=lambda data: services.request_record(by=request.user, partnership=partnership,
                                                  fields=data),
        success=lambda item: _("Demande %(number)s enregistrée ; réponse due le %(due)s.")
        % {"number": item.number, "due": item.due_on},
        done=_request_url, cancel=back, frame=_frame(request, partnership),
        title=_("Enregistrer une demande reçue par courrier ou au guichet"),
    )  # fmt: skip


def _step(request: HttpRequest, slug: str, pk: int, form: Any, service: Any, *, success: str,
          title: str, intro: str = "") -> HttpResponse:  # fmt: skip
    item = _managed(request, slug, pk)
    url = _request_url(item)
    return form_page(
        request, form(request.POST or None),
        save=lambda data: service(by=request.user, request=item, fields=data),
        success=success, done=url, cancel=url, frame=_frame(request, item.partnership),
        title=f"{title} · {item.number}", intro=intro,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_extend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, ExtendForm, services.request_extend,
                 success=_("Délai prorogé de 20 jours ouvrables."), title=_("Proroger le délai"),
                 intro=_("Une seule prorogation de 20 jours ouvrables, avec un avis au "
                         "demandeur avant la date due (loi 31-13, art. 16)."))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def request_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, AnswerForm, services.request_answer,
                 success=_("Réponse enregistrée."), title=_("Répondre"),
                 intro=_("Un refus, même partiel, est motivé et indique les voies de recours "
                         "(loi 31-13, art. 18)."))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def complaint_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, ComplaintForm, services.complaint_record,
                 success=_("Réclamation enregistrée."), title=_("Enregistrer une réclamation"),
                 intro=_("Réclamation au chef de l'organisme dans les 20 jours ouvrables ; "
                         "réponse dans les 15 jours (loi 31-13, art. 19)."))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def complaint_answer(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, ComplaintAnswerForm, services.complaint_answer,
                 success=_("Réponse à la réclamation enregistrée."),
                 title=_("Répondre à la réclamation"))  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def later_step(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _step(request, slug, pk, LaterStepForm, services.later_step_record,
                 success=_("Étape enregistrée."), title=_("Enregistrer une étape ultérieure"),
                 intro=_("La Commission du droit d'accès à l'information (art. 20), puis le "
                         "tribunal administratif (art. 21)."))  # fmt: skip


# --- The information register ----------------------------------------------------------------


@login_required
def register(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    direction = request.GET.get("sens", "")
    if direction not in Direction.values:
        direction = ""
    entries = selectors.register_list(partnership=partnership, direction=direction)
    context = partnership_page(
        request, partnership, TAB, page_obj=paginate(request, entries),
        query=query_without_page(request), direction=direction, directions=Direction.choices,
    )  # fmt: skip
    return render(request, "transparency/pages/register.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def register_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    back = reverse("transparency:register", args=[slug])
    return form_page(
        request, RegisterEntryForm(request.POST or None),
        save=lambda data: services.register_add(by=request.user, partnership=partnership,
                                                fields=data),
        success=_("Entrée ajoutée au registre de l'information."), done=back, cancel=back,
        frame=_frame(request, partnership), title=_("Ajouter au registre de l'information"),
    )  # fmt: skip


# --- Public portal (no account) -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
def portal_request(request: HttpRequest, slug: str) -> HttpResponse:
    """The public form: throttled per address (429), a honeypot, size limits."""
    partnership = partnership_selectors.public_partnership_get(slug=slug)
    form = PublicRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip_address = get_client_ip_address(request) or "unknown"
        attempt = submit_form(form, lambda data: services.request_file(
            partnership=partnership, fields=data, ip_address=ip_address))  # fmt: skip
        if attempt.saved and attempt.result is not None:
            return redirect("transparency:portal_receipt", slug, attempt.result.receipt)
        status = attempt.status if attempt.status != 200 else 400
    context = {"partnership": partnership, "form": form, "honeypot": HONEYPOT,
               "answer": rules.ANSWER, "urgent": rules.URGENT}  # fmt: skip
    return render(request, "transparency/pages/portal_request.html", context, status=status)


def portal_receipt(request: HttpRequest, slug: str, receipt: str) -> HttpResponse:
    """The acknowledgement (art. 14): the number and the due date, nothing personal."""
    partnership = partnership_selectors.public_partnership_get(slug=slug)
    item = selectors.receipt_get(partnership=partnership, receipt=receipt)
    context = {"partnership": partnership, "item": item, "answer": rules.ANSWER,
               "urgent": rules.URGENT, "extension": rules.EXTENSION}  # fmt: skip
    return render(request, "transparency/pages/portal_receipt.html", context)


# --- Posting of the board's decisions (law 113-14, art. 273) --------------------------------


@login_required
def postings(request: HttpRequest, slug: str) -> HttpResponse:
    """Every decision of the partnership, with its posting or the day it is due by."""
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    today = timezone.localdate()
    page = paginate(request, selectors.posting_decisions(partnership=partnership))
    context = partnership_page(
        request, partnership, TAB, page_obj=page, query=query_without_page(request),
        rows=selectors.posting_rows(page.object_list, today), today=today,
        summary=selectors.posting_summary(partnership=partnership, today=today),
        delay=rules.POSTING,
    )  # fmt: skip
    return render(request, "transparency/pages/postings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def posting_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    decision = selectors.posting_decision_get(partnership=partnership, pk=pk)
    back = reverse("transparency:postings", args=[slug])
    due = rules.posting_due(decision.decided_on)
    return form_page(
        request, PostingForm(request.POST or None, request.FILES or None),
        save=lambda data: services.posting_record(by=request.user, decision=decision,
                                                  proof=data.pop("proof"), fields=data),
        success=_("Affichage de la décision %(number)s enregistré.") % {"number": decision.number},
        done=back, cancel=back, frame=_frame(request, partnership),
        title=_("Affichage de la décision %(number)s") % {"number": decision.number},
        intro=_("« %(title)s », prise le %(decided)s : à afficher au plus tard le %(due)s "
                "(%(legal)s).") % {"title": decision.title, "decided": date_format(
                    decision.decided_on), "due": date_format(due), "legal": rules.POSTING.legal},
    )  # fmt: skip


@login_required
def posting_proof(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    posting = selectors.posting_get(partnership=partnership, pk=pk)
    return stored_file_response(posting.proof, filename=posting.proof_name,
                                content_type=posting.proof_content_type)  # fmt: skip


# --- The communication plan -----------------------------------------------------------------


def _plan_url(slug: str) -> str:
    return reverse("transparency:plan", args=[slug])


@login_required
def plan(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's communication plan: every action by date, planned or done."""
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    page = paginate(request, selectors.actions_list(partnership=partnership))
    context = partnership_page(
        request, partnership, TAB, page_obj=page, query=query_without_page(request),
        today=timezone.localdate(),
    )  # fmt: skip
    return render(request, "transparency/pages/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    form = ActionForm(request.POST or None, owners=selectors.owner_choices(partnership=partnership),
                      user=request.user, partnership=partnership)  # fmt: skip
    return form_page(
        request, form, save=lambda data: services.action_add(
            by=request.user, partnership=partnership, fields=data),
        success=_("Action ajoutée au plan de communication."), done=_plan_url(slug),
        cancel=_plan_url(slug), frame=_frame(request, partnership),
        title=_("Ajouter une action de communication"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def action_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    action = selectors.action_get(partnership=partnership, pk=pk)
    return form_page(
        request, ActionDoneForm(request.POST or None),
        save=lambda data: services.action_done(by=request.user, action=action, fields=data),
        success=_("Action enregistrée comme réalisée."), done=_plan_url(slug),
        cancel=_plan_url(slug), frame=_frame(request, partnership),
        title=_("Action réalisée · %(message)s") % {"message": action.message},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def action_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    action = selectors.action_get(partnership=partnership, pk=pk)
    return confirm_page(
        request, act=lambda _data: services.action_cancel(by=request.user, action=action),
        success=_("Action annulée."), done=_plan_url(slug), cancel=_plan_url(slug),
        frame=_frame(request, partnership), question=_("Annuler cette action de communication ?"),
        confirm_label=_("Annuler l'action"), details=[action.message],
        title=_("Annuler une action de communication"),
    )  # fmt: skip


# --- Proactive publication checklist (law 31-13, art. 10) ------------------------------------


@login_required
def checklist(request: HttpRequest, slug: str) -> HttpResponse:
    """What must be published about the partnership, each line with its article and state,
    and the history of the publications officers recorded."""
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    context = partnership_page(
        request, partnership, TAB, rows=publication.publication_checklist(partnership=partnership),
        records=publication.records_list(partnership=partnership),
    )  # fmt: skip
    return render(request, "transparency/pages/checklist.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def publication_record(request: HttpRequest, slug: str, item: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.REQUEST_MANAGE)
    line = publication.recorded_item_get(item)
    back = reverse("transparency:checklist", args=[slug])
    return form_page(
        request, PublicationForm(request.POST or None, request.FILES or None),
        save=lambda data: services.publication_record(
            by=request.user, partnership=partnership, item=line.code, proof=data.pop("proof"),
            fields=data),
        success=_("Publication enregistrée."), done=back, cancel=back,
        frame=_frame(request, partnership),
        title=_("Publication · %(line)s") % {"line": publication.PUBLICATION_LABELS[line.code]},
        intro=_("Ce que la loi demande de publier (%(legal)s), publié hors de Sharaka : où, "
                "quand, et la preuve.") % {"legal": line.legal},
    )  # fmt: skip


@login_required
def publication_proof(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    record = publication.record_get(partnership=partnership, pk=pk)
    return stored_file_response(record.proof, filename=record.proof_name,
                                content_type=record.proof_content_type)  # fmt: skip


@login_required
def publication_overview(request: HttpRequest) -> HttpResponse:
    """Every partnership the user reads, with its checklist's counts, by title (by key)."""
    after = request.GET.get("apres", "")
    view = publication.overview_view_get(
        user=request.user, after=int(after) if after.isdigit() else None
    )
    return render(request, "transparency/pages/publication_overview.html",
                  {"view": view, "nav_section": "requests"})  # fmt: skip
