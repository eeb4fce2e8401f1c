"""What the meeting pages share: the partnership page context, the meeting of the address,
the frame of a form or a question (``core.pages``), addresses, the minutes' PDF."""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats
from django_htmx.middleware import HtmxDetails

from sharaka.core.access import Perm
from sharaka.core.pages import Frame
from sharaka.governance.analysis import engine_lang
from sharaka.meetings import document, selectors
from sharaka.meetings.access import meeting_require
from sharaka.meetings.models import Meeting, Minutes, Motion
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

#: Above every form and question of a meeting: the partnership header, the meeting's head
#: and tabs (or the meetings sub-navigation before the meeting exists).
NAV = ("meetings/partials/meeting_head.html",)


class HtmxHttpRequest(HttpRequest):
    """A request seen through ``django_htmx.middleware.HtmxMiddleware``."""

    htmx: HtmxDetails


def _context(request: HttpRequest, partnership: Partnership, **extra: Any) -> dict[str, Any]:
    """The partnership page context (``can``: the rights on the partnership, replaced by the
    rights on the meeting on a meeting's page), plus this page's data."""
    return partnership_page(request, partnership, "meetings", **extra)


def page_data(view: Any) -> dict[str, Any]:
    """A view model's fields as template variables (shallow: models stay models)."""
    return {f.name: getattr(view, f.name) for f in fields(view)}


def _frame(request: HttpRequest, partnership: Partnership, meeting: Meeting | None = None) -> Frame:
    return Frame(_context(request, partnership, meeting=meeting), nav=NAV)


def _meeting(request: HttpRequest, slug: str, meeting_id: int) -> tuple[Partnership, Meeting]:
    partnership, _board = selectors.partnership_meetings_get(user=request.user, slug=slug)
    return partnership, selectors.meeting_get(
        user=request.user, partnership=partnership, meeting_id=meeting_id
    )


def _managed(request: HttpRequest, slug: str, meeting_id: int) -> tuple[Partnership, Meeting]:
    """The meeting of the address, for a user who manages it (else 404 or 403)."""
    partnership, meeting = _meeting(request, slug, meeting_id)
    meeting_require(request.user, Perm.MEETING_MANAGE, meeting)
    return partnership, meeting


def _motion(
    request: HttpRequest, slug: str, meeting_id: int, motion_id: int
) -> tuple[Partnership, Meeting, Motion]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    motion = selectors.motion_get(meeting=meeting, motion_id=motion_id)
    motion.item.meeting = meeting  # the services read the meeting's partnership and board
    return partnership, meeting, motion


def _minutes(
    request: HttpRequest, slug: str, meeting_id: int
) -> tuple[Partnership, Meeting, Minutes]:
    partnership, meeting = _meeting(request, slug, meeting_id)
    return partnership, meeting, selectors.minutes_get(meeting)


def meeting_path(meeting: Meeting) -> str:
    return reverse(
        "meetings:detail", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
    )


def meeting_page_path(name: str, meeting: Meeting) -> str:
    """The address of one of the meeting's pages (``attendance``, ``minutes``…)."""
    return reverse(
        f"meetings:{name}", kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk}
    )


def item_path(meeting: Meeting, item_id: int) -> str:
    return reverse(
        "meetings:item",
        kwargs={"slug": meeting.partnership.slug, "meeting_id": meeting.pk, "item_id": item_id},
    )


def _meeting_url(request: HttpRequest, meeting: Meeting) -> str:
    return request.build_absolute_uri(meeting_path(meeting))


def _format_day(day: date) -> str:
    return str(formats.date_format(day, "DATE_FORMAT"))


def _doc_lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "")
    return lang if lang in document.LANGS else engine_lang()


def _pdf_response(minutes: Minutes, lang: str) -> HttpResponse:
    doc = selectors.minutes_document_get(minutes, lang=lang)
    response = HttpResponse(document.render_pdf(doc), content_type="application/pdf")
    name = f"proces-verbal-{minutes.meeting.day.isoformat()}-{lang}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
