"""The one way to write a form page and a confirm page (core.pages, issue 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from django.utils import translation

from sharaka.core.errors import DomainError
from sharaka.core.forms import Form
from sharaka.core.pages import Frame, confirm_page, form_page


class NameForm(Form):
    name = forms.CharField(label="Nom")
    reason = forms.CharField(label="Motif", required=False)


def _request(method: str = "get", data: dict[str, str] | None = None) -> Any:
    factory = RequestFactory()
    request = factory.post("/x/", data or {}) if method == "post" else factory.get("/x/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return request


def _messages(request: Any) -> list[str]:
    return [str(m) for m in get_messages(request)]


FRAME = Frame({"partnership": None}, nav=())


@pytest.fixture(autouse=True)
def _french() -> Any:
    """The pages are read in French here, whatever language an earlier test left active."""
    with translation.override("fr"):
        yield


def test_get_shows_the_form_without_calling_the_service() -> None:
    calls: list[Any] = []
    request = _request()
    response = form_page(
        request, NameForm(None), save=calls.append, success="ok", done="/done/",
        frame=FRAME, title="Nouveau nom",
    )  # fmt: skip
    assert response.status_code == 200
    assert calls == []
    html = response.content.decode()
    assert "Nouveau nom" in html and 'name="name"' in html and "Enregistrer" in html


def test_valid_post_saves_sets_the_message_and_redirects() -> None:
    request = _request("post", {"name": "Stade"})
    response = form_page(
        request, NameForm(request.POST), save=lambda data: data["name"].upper(),
        success=lambda result: f"{result} enregistré", done=lambda result: f"/{result}/",
        frame=FRAME, title="t",
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/STADE/"
    assert _messages(request) == ["STADE enregistré"]


def test_invalid_form_never_reaches_the_service() -> None:
    calls: list[Any] = []
    request = _request("post", {"name": ""})
    response = form_page(
        request, NameForm(request.POST), save=calls.append, success="ok", done="/done/",
        frame=FRAME, title="t",
    )  # fmt: skip
    assert response.status_code == 200 and calls == []
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "where"), [("name", "field"), ("elsewhere", "top"), (None, "top")]
)
def test_a_refusal_goes_on_its_field_or_on_top(field: str | None, where: str) -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise DomainError("taken", "Ce nom est déjà pris.", field=field)

    request = _request("post", {"name": "Stade"})
    form = NameForm(request.POST)
    response = form_page(
        request, form, save=refuse, success="ok", done="/done/", frame=FRAME, title="t"
    )
    assert response.status_code == 200 and _messages(request) == []
    if where == "field":
        assert form.errors["name"] == ["Ce nom est déjà pris."]
    else:
        assert form.non_field_errors() == ["Ce nom est déjà pris."]
    assert "Ce nom est déjà pris." in response.content.decode()


def test_a_form_inside_another_page_answers_with_that_page_and_status() -> None:
    request = _request("post", {"name": ""})
    response = form_page(
        request, NameForm(request.POST), save=lambda d: None, success="ok", done="/done/",
        frame=FRAME, title="t", template="core/pages/form.html", form_key="form",
        invalid_status=422,
    )  # fmt: skip
    assert response.status_code == 422


def test_confirm_get_asks_and_post_acts() -> None:
    calls: list[Any] = []
    request = _request()
    response = confirm_page(
        request, act=calls.append, success="Supprimé.", done="/list/", frame=FRAME,
        question="Supprimer le bien ?", confirm_label="Supprimer", cancel="/back/",
        details=["Stade municipal"],
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and calls == []
    assert "Supprimer le bien ?" in html and "Stade municipal" in html and 'href="/back/"' in html

    request = _request("post")
    response = confirm_page(
        request, act=calls.append, success="Supprimé.", done="/list/", frame=FRAME,
        question="q", confirm_label="Supprimer", cancel="/back/",
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/list/"
    assert calls == [{}] and _messages(request) == ["Supprimé."]


def test_confirm_refusal_is_shown_and_nothing_redirects() -> None:
    def refuse(data: dict[str, Any]) -> None:
        raise DomainError("frozen", "Une dépense approuvée ne se supprime plus.")

    request = _request("post")
    response = confirm_page(
        request, act=refuse, success="Supprimé.", done="/list/", frame=FRAME,
        question="q", confirm_label="Supprimer", cancel="/back/",
    )  # fmt: skip
    assert response.status_code == 200 and _messages(request) == []
    assert "Une dépense approuvée ne se supprime plus." in response.content.decode()


def test_confirm_with_a_form_validates_it_and_passes_its_data() -> None:
    received: list[dict[str, Any]] = []
    request = _request("post", {"name": "", "reason": "x"})
    form = NameForm(request.POST)
    response = confirm_page(
        request, act=received.append, success="ok", done="/d/", frame=FRAME, question="q",
        confirm_label="c", cancel="/b/", form=form,
    )  # fmt: skip
    assert response.status_code == 200 and received == [] and "name" in form.errors

    request = _request("post", {"name": "Stade", "reason": "fin"})
    response = confirm_page(
        request, act=received.append, success="ok", done="/d/", frame=FRAME, question="q",
        confirm_label="c", cancel="/b/", form=NameForm(request.POST),
    )  # fmt: skip
    assert response.status_code == 302 and received == [{"name": "Stade", "reason": "fin"}]


def test_frame_navigation_is_included_above_the_card() -> None:
    request = _request()
    frame = Frame({"partnership": None}, nav=("core/partials/form_fields.html",))
    response = form_page(
        request, NameForm(None), save=lambda d: None, success="", done="/",
        frame=frame, title="t",
    )  # fmt: skip
    # form_fields drawn twice: once as the (test) navigation, once in the card
    assert response.content.decode().count('name="name"') == 2
