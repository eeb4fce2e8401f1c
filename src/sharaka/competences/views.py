"""People's competences pages, under the partnership's structure tab: the gap matrix and its
export, a key person's profile, the levels required, the training plan. Thin: a selector
checks access, a service writes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.competences import selectors, services
from sharaka.competences.exports import matrix_tables
from sharaka.competences.forms import (
    CompleteForm,
    HoldingForm,
    ParticipantForm,
    RequirementForm,
    SessionForm,
)
from sharaka.core import spreadsheets
from sharaka.core.access import Perm
from sharaka.core.errors import NotFound
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("partnerships/partials/header.html", "structure/partials/subnav.html")


def _context(request: HttpRequest, partnership: Partnership, section: str) -> dict[str, Any]:
    return partnership_page(request, partnership, "structure", section=section)


def _change(request: HttpRequest, slug: str) -> Partnership:
    return selectors.partnership_get(user=request.user, slug=slug, perm=Perm.STRUCTURE_CHANGE)


def _frame(request: HttpRequest, partnership: Partnership, section: str) -> Frame:
    return Frame(_context(request, partnership, section), nav=NAV)


def _people(partnership: Partnership) -> list[Any]:
    return [
        p for p, _role in selectors.key_people(partnership=partnership, on=timezone.localdate())
    ]


@login_required
def matrix(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.matrix_view_get(partnership=partnership, today=timezone.localdate())
    context = _context(request, partnership, "competences") | {"view": view}
    return render(request, "competences/pages/matrix.html", context)


@login_required
def matrix_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    if fmt != "xlsx":
        raise NotFound()
    view = selectors.matrix_view_get(partnership=partnership, today=timezone.localdate())
    name = f"competences-{partnership.slug}.xlsx"
    return spreadsheets.xlsx_response(matrix_tables(view), filename=name)


@login_required
def person(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    someone = selectors.key_person_get(partnership=partnership, pk=pk, today=timezone.localdate())
    context = _context(request, partnership, "competences") | {
        "person": someone, "holdings": selectors.holdings_of(person=someone),
    }  # fmt: skip
    return render(request, "competences/pages/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def holding_set(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    form = HoldingForm(request.POST or None, people=_people(partnership),
                       initial={"person": request.GET.get("person", "")})  # fmt: skip
    back = reverse("competences:matrix", kwargs={"slug": slug})
    return form_page(
        request, form,
        save=lambda d: services.holding_set(by=request.user, partnership=partnership, **d),
        success=_("Niveau enregistré dans le profil."), done=back, cancel=back,
        frame=_frame(request, partnership, "competences"), title=_("Niveau d'une compétence"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def requirement_set(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    back = reverse("competences:matrix", kwargs={"slug": slug})
    return form_page(
        request, RequirementForm(request.POST or None),
        save=lambda d: services.requirement_set(by=request.user, partnership=partnership, **d),
        success=_("Niveau requis enregistré."), done=back, cancel=back,
        frame=_frame(request, partnership, "competences"), title=_("Niveau requis par un rôle"),
        intro=_("Ce niveau remplace, pour ce partenariat, le niveau requis par défaut."),
    )  # fmt: skip


# --- Training plan ---------------------------------------------------------------------------


@login_required
def training(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    context = _context(request, partnership, "training") | {
        "sessions": selectors.training_list(partnership=partnership),
    }  # fmt: skip
    return render(request, "competences/pages/training.html", context)


def _session_save(request: HttpRequest, partnership: Partnership, data: dict[str, Any]) -> Any:
    fields = {k: v for k, v in data.items() if k != "competences"}
    return services.session_create(
        by=request.user, partnership=partnership, fields=fields, competences=data["competences"]
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _change(request, slug)
    return form_page(
        request, SessionForm(request.POST or None, partnership=partnership),
        save=lambda data: _session_save(request, partnership, data),
        success=_("Session ajoutée au plan de formation."),
        done=lambda s: reverse("competences:session", kwargs={"slug": slug, "pk": s.pk}),
        cancel=reverse("competences:training", kwargs={"slug": slug}),
        frame=_frame(request, partnership, "training"), title=_("Nouvelle session de formation"),
    )  # fmt: skip


@login_required
def session(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    row = selectors.session_get(partnership=partnership, pk=pk)
    context = _context(request, partnership, "training") | {
        "session": row, "participants": selectors.participants_of(session=row),
    }  # fmt: skip
    return render(request, "competences/pages/session.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participant_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.session_get(partnership=partnership, pk=pk)
    back = reverse("competences:session", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, ParticipantForm(request.POST or None, people=_people(partnership)),
        save=lambda d: services.participant_add(by=request.user, session=row, person=d["person"]),
        success=_("Participant·e inscrit·e."), done=back, cancel=back,
        frame=_frame(request, partnership, "training"),
        title=_("Inscrire à « %(topic)s »") % {"topic": row.topic}, submit=_("Inscrire"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def session_complete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _change(request, slug)
    row = selectors.session_get(partnership=partnership, pk=pk)
    form = CompleteForm(request.POST or None, participants=selectors.participants_of(session=row),
                        initial={"completed_on": timezone.localdate()})  # fmt: skip
    back = reverse("competences:session", kwargs={"slug": slug, "pk": pk})
    return confirm_page(
        request, form=form, danger=False,
        act=lambda d: services.session_complete(
            by=request.user, session=row, attended=[int(i) for i in d["attended"]],
            on=d["completed_on"]),
        success=_("Session terminée : les profils des présent·es sont mis à jour."),
        done=back, cancel=back, frame=_frame(request, partnership, "training"),
        question=_("Terminer « %(topic)s » et relever le niveau des présent·es ?")
        % {"topic": row.topic},
        confirm_label=_("Terminer la session"),
    )  # fmt: skip
