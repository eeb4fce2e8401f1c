"""The agenda and the board pack."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.forms import apply_domain_error
from sharaka.meetings import selectors, services
from sharaka.meetings.forms import (
    DocumentForm,
    ItemForm,
)
from sharaka.meetings.views.common import (
    _back,
    _confirm,
    _context,
    _error,
    _form_errors,
    _meeting,
    _meeting_path,
    _require,
)


@login_required
@require_POST
def item_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = ItemForm(request.POST, minutes_choices=selectors.previous_minutes_choices(meeting))
    if form.is_valid():
        try:
            services.item_add(by=request.user, meeting=meeting, fields=form.cleaned_data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Point ajouté à l'ordre du jour."))
    else:
        _form_errors(request, form)
    return _back(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    form = ItemForm(
        request.POST or None,
        instance=item,
        minutes_choices=selectors.previous_minutes_choices(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(by=request.user, item=item, fields=form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Point modifié."))
            return _back(meeting)
    return render(
        request,
        "meetings/pages/form.html",
        _context(
            request,
            partnership,
            meeting=meeting,
            form=form,
            title=_("Modifier le point %(n)s") % {"n": item.position},
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    if request.method == "POST":
        try:
            services.item_remove(by=request.user, item=item)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Point retiré de l'ordre du jour."))
        return _back(meeting)
    return _confirm(
        request,
        partnership,
        title=_("Retirer un point"),
        question=_("Retirer le point « %(title)s » de l'ordre du jour ?") % {"title": item.title},
        confirm_label=_("Retirer"),
        cancel_url=_meeting_path(meeting),
        danger=True,
    )


@login_required
@require_POST
def item_move(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    try:
        services.item_move(by=request.user, item=item, up=request.POST.get("direction") == "up")
    except DomainError as error:
        if error.status in (403, 404):
            raise
        _error(request, error)
    return _back(meeting)


@login_required
@require_POST
def document_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    _require(request, Perm.MEETING_MANAGE, meeting)
    form = DocumentForm(request.POST, request.FILES, meeting=meeting)
    if form.is_valid():
        try:
            services.document_add(
                by=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                item=form.cleaned_data["item"],
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Document ajouté au dossier de séance."))
    else:
        _form_errors(request, form)
    return _back(meeting)


@login_required
def document_download(
    request: HttpRequest, slug: str, meeting_id: int, document_id: int
) -> FileResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    doc = selectors.document_get(meeting=meeting, document_id=document_id)
    try:
        handle = doc.file.open("rb")
    except FileNotFoundError:
        raise NotFound(_("Le fichier n'est plus disponible.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=doc.original_name, content_type=doc.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
