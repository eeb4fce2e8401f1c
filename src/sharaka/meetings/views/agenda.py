"""The agenda and the board pack. Adding an item or a document posts from the meeting page;
a refusal comes back on the form's own page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sharaka.core.pages import confirm_page, form_page
from sharaka.core.uploads import stored_file_response
from sharaka.meetings import selectors, services
from sharaka.meetings.forms import DocumentForm, ItemForm, MoveForm
from sharaka.meetings.views.common import _frame, _managed, _meeting, meeting_path


@login_required
@require_http_methods(["GET", "POST"])
def item_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    form = ItemForm(request.POST or None, user=request.user,
                    minutes_choices=selectors.previous_minutes_choices(meeting))  # fmt: skip
    back = meeting_path(meeting)
    return form_page(
        request, form,
        save=lambda data: services.item_add(by=request.user, meeting=meeting, fields=data),
        success=_("Point ajouté à l'ordre du jour."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting),
        title=_("Ajouter un point"), submit=_("Ajouter le point"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    form = ItemForm(request.POST or None, instance=item, user=request.user,
                    minutes_choices=selectors.previous_minutes_choices(meeting))  # fmt: skip
    back = meeting_path(meeting)
    return form_page(
        request, form,
        save=lambda data: services.item_update(by=request.user, item=item, fields=data),
        success=_("Point modifié."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting),
        title=_("Modifier le point %(n)s") % {"n": item.position},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def item_remove(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    back = meeting_path(meeting)
    return confirm_page(
        request, act=lambda _data: services.item_remove(by=request.user, item=item),
        success=_("Point retiré de l'ordre du jour."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting), title=_("Retirer un point"),
        question=_("Retirer le point « %(title)s » de l'ordre du jour ?")
        % {"title": item.title},
        confirm_label=_("Retirer"),
    )  # fmt: skip


@login_required
@require_POST
def item_move(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    item = selectors.item_get(meeting=meeting, item_id=item_id)
    back = meeting_path(meeting)
    return confirm_page(
        request, form=MoveForm(request.POST),
        act=lambda data: services.item_move(by=request.user, item=item,
                                            up=data["direction"] == "up"),
        success="", done=back, cancel=back, frame=_frame(request, partnership, meeting),
        title=_("Ordre du jour"),
        question=_("Déplacer le point « %(title)s » dans l'ordre du jour ?")
        % {"title": item.title},
        confirm_label=_("Déplacer"), danger=False,
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, slug: str, meeting_id: int) -> HttpResponse:
    partnership, meeting = _managed(request, slug, meeting_id)
    back = meeting_path(meeting)
    return form_page(
        request, DocumentForm(request.POST or None, request.FILES or None, meeting=meeting),
        save=lambda data: services.document_add(
            by=request.user, meeting=meeting, title=data["title"], file=data["file"],
            item=data["item"]),
        success=_("Document ajouté au dossier de séance."), done=back, cancel=back,
        frame=_frame(request, partnership, meeting),
        title=_("Dossier de séance"), submit=_("Déposer"),
    )  # fmt: skip


@login_required
def document_download(
    request: HttpRequest, slug: str, meeting_id: int, document_id: int
) -> FileResponse:
    _partnership, meeting = _meeting(request, slug, meeting_id)
    doc = selectors.document_get(meeting=meeting, document_id=document_id)
    return stored_file_response(doc.file, filename=doc.original_name, content_type=doc.content_type)
