"""One way to write a form page and a confirm page (issue 12).

A view that changes something hands its form (if any), the service call and where to go
next to ``form_page`` or ``confirm_page``. The helper binds, validates, calls the service,
shows a ``DomainError`` on the form field it names (or at the top of the page), sets the
success message and redirects. No view writes its own ``try … except DomainError``.

The page around the card (partnership header, an app's sub-navigation, breadcrumbs) is a
``Frame``: the context those templates need and the templates to include above the card.
One template draws every form page (``core/pages/form.html``) and one every question
(``core/pages/confirm.html``); an app overrides a block only for what is really its own.

Example (``structure.views.staff_add``)::

    return form_page(
        request, form, frame=frame,
        save=lambda data: services.staff_add(by=request.user, structure=s, fields=data),
        success=_("Affectation ajoutée."), done=back,
        title=_("Ajouter au registre du personnel"), submit=_("Ajouter"), cancel=back,
    )
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sharaka.core.errors import DomainError
from sharaka.core.forms import apply_domain_error

T = TypeVar("T")

FORM_TEMPLATE = "core/pages/form.html"
CONFIRM_TEMPLATE = "core/pages/confirm.html"

#: A fixed value, or one computed from what the service returned (the new object, say).
Outcome = str | Callable[[T], str]


@dataclass(frozen=True)
class Frame:
    """The page around a form or a question.

    ``context``: what the surrounding templates need (``partnership``, ``tabs``, ``can``…);
    ``nav``: the templates included above the card, in order (a header, a sub-navigation).
    """

    context: Mapping[str, Any] = field(default_factory=dict)
    nav: Sequence[str] = ()


def _resolve(outcome: Outcome[T], result: T) -> str:
    return outcome(result) if callable(outcome) else outcome


def _done(request: HttpRequest, success: Outcome[T], done: Outcome[T], result: T) -> HttpResponse:
    message = _resolve(success, result)
    if message:
        messages.success(request, message)
    return redirect(_resolve(done, result))


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@dataclass(frozen=True)
class Attempt(Generic[T]):
    """What became of a submitted form: ``saved`` with what the service returned, or not
    (the form then holds why); ``status`` is the refusal's HTTP status (a throttle's 429),
    200 when the form itself did not validate."""

    saved: bool
    result: T | None = None
    status: int = 200


def submit_form(form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> Attempt[T]:
    """Validate ``form`` and call ``save(cleaned_data)``; a ``DomainError`` goes on the form
    (on the field it names) and nothing is saved (services are atomic). The one place a
    page turns a refusal into a form error: ``form_page`` uses it, and so does a page that
    shows what it saved on the same page (a new API key is shown once, never redirected)."""
    if not form.is_valid():
        return Attempt(saved=False)
    try:
        result = save(form.cleaned_data)
    except DomainError as error:
        apply_domain_error(form, error)
        return Attempt(saved=False, status=error.status)
    return Attempt(saved=True, result=result)


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], T],
    success: Outcome[T],
    done: Outcome[T],
    frame: Frame,
    title: str,
    submit: str = "",
    cancel: str = "",
    intro: str = "",
    template: str = FORM_TEMPLATE,
    partial: str = "",
    extra: Mapping[str, Any] | None = None,
    form_key: str = "form",
    invalid_status: int = 200,
) -> HttpResponse:
    """GET: the empty (or initial) form. POST: when the form is valid, ``save(cleaned_data)``;
    a ``DomainError`` goes on the form and nothing is saved (services are atomic); otherwise
    the ``success`` message and a redirect to ``done``.

    ``partial`` names a block of ``template`` to answer an htmx request with (a preview
    that replaces part of the page); ``extra`` adds to the template context. A form that
    sits inside another page (a document upload on an asset's page) passes that page as
    ``template``, its name there as ``form_key`` and, say, 422 as ``invalid_status``.
    """
    if request.method == "POST":
        attempt = submit_form(form, save)
        if attempt.saved:
            return _done(request, success, done, cast(T, attempt.result))
    context = {
        **frame.context,
        "nav": frame.nav,
        form_key: form,
        "title": title,
        "submit": submit or _("Enregistrer"),
        "cancel_url": cancel,
        "intro": intro,
        "multipart": form.is_multipart(),
        **(extra or {}),
    }
    if partial and _is_htmx(request):
        return render(request, f"{template}#{partial}", context)
    status = invalid_status if request.method == "POST" else 200
    return render(request, template, context, status=status)


def confirm_page(
    request: HttpRequest,
    *,
    act: Callable[[dict[str, Any]], T],
    success: Outcome[T],
    done: Outcome[T],
    frame: Frame,
    question: str,
    confirm_label: str,
    cancel: str,
    title: str = "",
    details: Sequence[str] = (),
    form: forms.BaseForm | None = None,
    danger: bool = True,
    template: str = CONFIRM_TEMPLATE,
    extra: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """GET: the question, with what it concerns (``details``) and an optional ``form`` (a
    reason, a date). POST: ``act(cleaned_data)`` (``{}`` without a form); a refusal is shown
    on the page (on the form's field when it names one) and nothing changes; otherwise the
    ``success`` message and a redirect to ``done``."""
    error = ""
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            result = act(dict(form.cleaned_data) if form is not None else {})
        except DomainError as refusal:
            if form is not None and refusal.field in form.fields:
                apply_domain_error(form, refusal)
            else:
                error = refusal.message
        else:
            return _done(request, success, done, result)
    context = {
        **frame.context,
        "nav": frame.nav,
        "title": title or _("Confirmation"),
        "question": question,
        "details": details,
        "form": form,
        "error": error,
        "confirm_label": confirm_label,
        "cancel_url": cancel,
        "danger": danger,
        **(extra or {}),
    }
    return render(request, template, context)
