"""core.pages.submit_form and core.forms.apply_domain_error: a service's refusal lands on
the form (on the field it names, or the one the form shows it on), with its status."""

from __future__ import annotations

from django import forms

from sharaka.core.errors import DomainError
from sharaka.core.forms import Form
from sharaka.core.pages import submit_form


class LineForm(Form):
    error_fields = {"activity": "line"}

    line = forms.CharField()


class Throttled(DomainError):
    status = 429


def test_a_saved_form_gives_what_the_service_returned() -> None:
    attempt = submit_form(LineForm({"line": "A1"}), lambda data: data["line"] + "!")
    assert (attempt.saved, attempt.result, attempt.status) == (True, "A1!", 200)


def test_an_invalid_form_calls_nothing() -> None:
    called: list[object] = []
    form = LineForm({"line": ""})
    attempt = submit_form(form, called.append)
    assert (attempt.saved, attempt.status, called) == (False, 200, [])
    assert "line" in form.errors


def test_a_refusal_goes_on_the_field_the_form_shows_it_on_with_its_status() -> None:
    def refuse(_data: object) -> None:
        raise Throttled("code", "Hors du plan.", field="activity")

    form = LineForm({"line": "A1"})
    attempt = submit_form(form, refuse)
    assert (attempt.saved, attempt.status) == (False, 429)
    assert form.errors["line"] == ["Hors du plan."]


def test_a_refusal_about_no_field_goes_on_top_of_the_form() -> None:
    def refuse(_data: object) -> None:
        raise DomainError("code", "Non.", field="elsewhere")

    form = LineForm({"line": "A1"})
    assert submit_form(form, refuse).status == 400
    assert form.non_field_errors() == ["Non."]
