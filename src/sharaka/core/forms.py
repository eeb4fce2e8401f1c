from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import CheckConstraint, Model, UniqueConstraint
from django.utils.translation import gettext

from sharaka.core.errors import DomainError, ValidationFailed
from sharaka.core.text import control_character_message

_M = TypeVar("_M", bound=Model)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)  # type: ignore[arg-type]


def _target(form: forms.BaseForm, field: str | None) -> str | None:
    """The form field that shows a refusal about ``field``: that field, the one the form
    names for it in ``error_fields`` (an expense's activity is chosen with its line), or
    none (the top of the form)."""
    field = getattr(form, "error_fields", {}).get(field, field)
    return field if field in form.fields else None


def apply_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's refusal on the form: on its field when it names one."""
    if isinstance(error, ValidationFailed):
        for field, messages in error.errors.items():
            target = _target(form, field)
            for message in messages:
                form.add_error(target, message)
        return
    form.add_error(_target(form, error.field), error.message)


# --- Control characters -----------------------------------------------------------------------


class ControlCharacterValidator:
    """Refuses text holding a control character (``core.text``); tab and line breaks only in
    multi-line text. Replaces Django's NUL check, which it includes."""

    code = "control_character"

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        message = control_character_message(str(value), multiline=self.multiline)
        if message is not None:
            raise ValidationError(message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((self.code, self.multiline))


def guard_text_fields(form: forms.BaseForm) -> None:
    """Give every text field of ``form`` the control-character check: multi-line for a
    textarea, single-line otherwise. Passwords are left to Django (hashed, never shown)."""
    for field in form.fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput):
            continue
        if any(isinstance(v, ControlCharacterValidator) for v in field.validators):
            continue
        kept = [v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)]
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators = [*kept, ControlCharacterValidator(multiline=multiline)]


class TextGuardMixin(forms.BaseForm):
    """Checks every text field for control characters before the form cleans its data,
    whatever fields the form gained in its ``__init__``."""

    def full_clean(self) -> None:
        guard_text_fields(self)
        super().full_clean()


class Form(TextGuardMixin, forms.Form):
    """Base of every form of the product (``tests/core/test_text_input.py`` checks it)."""


class ModelForm(TextGuardMixin, forms.ModelForm[_M]):
    """Base of every model form of the product.

    A form validates its own rules before saving; should a database constraint still refuse
    the values, its name never reaches the person (issue 20): the refusal goes on the first
    field of the form the constraint reads, in words (``_constraint_errors_on_fields``)."""

    def full_clean(self) -> None:
        super().full_clean()
        _constraint_errors_on_fields(self)


def _constraint_fields(model: type[Model], message: str) -> list[str]:
    """The fields read by the constraint of ``model`` whose refusal is ``message`` (Django
    formats the message with the constraint's name), in the model's order."""
    for constraint in model._meta.constraints:
        if constraint.get_violation_error_message() != message:
            continue
        if isinstance(constraint, UniqueConstraint):
            read = set(constraint.fields)
        elif isinstance(constraint, CheckConstraint):
            read = set(getattr(constraint.condition, "referenced_base_fields", ()))
        else:
            read = set()
        return [f.name for f in model._meta.fields if f.name in read or f.attname in read]
    return []


def _constraint_errors_on_fields(form: forms.ModelForm[Any]) -> None:
    found = form.errors  # cleaned already: the form's own ErrorDict
    errors = found.get(NON_FIELD_ERRORS)
    if not errors:
        return
    model = type(form.instance)
    kept = []
    for error in errors.as_data():
        fields = _constraint_fields(model, str(error.message))
        shown = [f for f in fields if f in form.fields]
        if not shown:
            kept.append(error)
            continue
        labels = ", ".join(f"« {form.fields[f].label} »" for f in shown)
        message = gettext("Ces valeurs ne vont pas ensemble : vérifiez %(fields)s.") % {
            "fields": labels
        }
        target = next((f for f in reversed(shown) if f not in found), shown[-1])
        found.setdefault(target, form.error_class(renderer=form.renderer)).append(message)
    if kept:
        found[NON_FIELD_ERRORS] = form.error_class(kept, renderer=form.renderer)
    else:
        del found[NON_FIELD_ERRORS]


# --- Typed access to a form's fields ----------------------------------------------------------

_F = TypeVar("_F", bound=forms.Field)


def field_of(form: forms.BaseForm, name: str, kind: type[_F]) -> _F:
    """``form.fields[name]`` as the kind of field it is (``forms.ModelChoiceField``,
    ``forms.ChoiceField``…), so that a form's ``__init__`` sets its ``queryset`` or its
    ``choices`` with the type checker's help. A field of another kind is a programming
    error (``TypeError``)."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}")
    return field


def label_choices(field: forms.ModelChoiceField[_M], label: Callable[[_M], str]) -> None:
    """Show each choice of ``field`` as ``label(instance)`` instead of ``str(instance)``
    (Django's hook is the field's ``label_from_instance`` method, set here on one field)."""
    setattr(field, "label_from_instance", label)  # noqa: B010 (a method replaced on one object)


def check_period(
    form: forms.BaseForm,
    data: dict[str, Any],
    message: object,
    *,
    start: str = "start_date",
    end: str = "end_date",
) -> None:
    """Put ``message`` on the field ``end`` when both dates are given and ``end`` comes
    before ``start``."""
    first, last = data.get(start), data.get(end)
    if first and last and last < first:
        form.add_error(end, str(message))
