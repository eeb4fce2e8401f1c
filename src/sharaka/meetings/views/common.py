"""What the meeting pages share: the partnership page context, the meeting of the address,
the confirmation page, redirects."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from sharaka.core.access import Perm
from sharaka.core.errors import DomainError
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import document, selectors
from sharaka.meetings.models import (
    Meeting,
    Minutes,
    Motion,
)
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    """The partnership page context (header rights only), plus this page's data."""
    return partnership_page(request, partnership, "meetings", **extra)


def _meeting(request: HttpRequest, slug: str, meeting_id: int) -> tuple[Partnership, Meeting]:
    partnership, _board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    return partnership, selectors.meeting_get(
        user=request.user, partnership=partnership, meeting_id=meeting_id
    )


def _require(request: HttpRequest, perm: Perm, meeting: Meeting) -> None:
    from sharaka.meetings.access import meeting_require

    meeting_require(request.user, perm, meeting)


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("meetings:detail", slug=meeting.partnership.slug, meeting_id=meeting.pk)


def _meeting_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(
        reverse(
            "meetings:detail", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
        )
    )


def _error(request: HttpRequest, error: DomainError) -> None:
    messages.error(request, error.message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def _confirm(
    request: HttpRequest,
    partnership: Partnership,
    *,
    title: str,
    question: str,
    confirm_label: str,
    cancel_url: str,
    details: list[str] | None = None,
    danger: bool = False,
    form: Any = None,
) -> HttpResponse:
    return render(
        request,
        "meetings/pages/confirm.html",
        _context(
            request,
            partnership,
            title=title,
            question=question,
            confirm_label=confirm_label,
            cancel_url=cancel_url,
            details=details or [],
            danger=danger,
            form=form,
        ),
    )


def _meeting_path(meeting: Meeting) -> str:
    return reverse(
        "meetings:detail", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
    )


def _format_day(day: Any) -> str:
    from django.utils import formats

    return str(formats.date_format(day, "DATE_FORMAT"))


def _motion(
    request: HttpRequest, slug: str, meeting_id: int, motion_id: int
) -> tuple[Partnership, Meeting, Motion]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    return partnership, meeting, selectors.motion_get(meeting=meeting, motion_id=motion_id)


def _to_item(motion: Motion) -> HttpResponse:
    meeting = motion.item.meeting
    return redirect(
        "meetings:item",
        slug=meeting.partnership.slug,
        meeting_id=meeting.pk,
        item_id=motion.item_id,
    )


def page_data(view: Any) -> dict[str, Any]:
    """A view model's fields as template variables (shallow: models stay models)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}


def _minutes(
    request: HttpRequest, slug: str, meeting_id: int
) -> tuple[Partnership, Meeting, Minutes]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    return partnership, meeting, selectors.minutes_get(meeting)


def _pdf_response(minutes: Minutes, lang: str) -> HttpResponse:
    doc = selectors.minutes_document_get(minutes, lang=lang)
    response = HttpResponse(document.render_pdf(doc), content_type="application/pdf")
    name = f"proces-verbal-{minutes.meeting.day.isoformat()}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def _doc_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in document.LANGS else engine_lang()
