"""Control characters are refused at input: the pure rule (hypothesis), the form mechanism
every form of the product inherits, the API schema every schema inherits."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import ninja
import pytest
from django import forms
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

import sharaka
from sharaka.core import schemas
from sharaka.core.forms import Form, TextGuardMixin
from sharaka.core.text import (
    CONTROL_RE,
    codepoint,
    control_character_message,
    first_control_character,
    strip_control_characters,
)


@pytest.fixture(autouse=True)
def _french() -> Iterator[None]:
    with translation.override("fr"):
        yield


FORBIDDEN = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f", "\ud800"]


# --- The rule ---------------------------------------------------------------------------------


@given(st.text())
def test_stripping_leaves_nothing_to_refuse(text: str) -> None:
    stripped = strip_control_characters(text)
    assert first_control_character(stripped) is None
    assert control_character_message(stripped) is None
    assert strip_control_characters(stripped) == stripped
    if first_control_character(text) is None:
        assert stripped == text


@given(st.text(), st.sampled_from(FORBIDDEN), st.text())
def test_a_control_character_is_always_found_and_named(
    before: str, character: str, after: str
) -> None:
    text = before + character + after
    found = first_control_character(text)
    assert found is not None and CONTROL_RE.fullmatch(found)
    message = control_character_message(text)
    assert message is not None and codepoint(found) in message
    assert first_control_character(text, multiline=False) is not None


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs"))))
def test_ordinary_text_is_accepted(text: str) -> None:
    assert control_character_message(text) is None
    assert control_character_message(text, multiline=False) is None
    assert control_character_message(text + "\n\tsuite\r\n") is None
    assert control_character_message(text + "\nsuite", multiline=False) is not None


def test_arabic_and_accents_are_ordinary_text() -> None:
    assert control_character_message("جماعة واد الزيتون — Coopérative « Argane »") is None
    assert codepoint("\x0b") == "U+000B"


# --- Forms ------------------------------------------------------------------------------------


class _NoteForm(Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["late"] = forms.CharField(required=False)  # added after construction


@pytest.mark.parametrize("character", ["\x00", "\x0b", "\x1b", "\x7f", "\x85"])
def test_a_form_refuses_control_characters_on_the_field(character: str) -> None:
    data = {"name": f"Atlas{character}SARL", "note": f"a{character}b", "late": f"x{character}y"}
    form = _NoteForm(data)
    assert not form.is_valid()
    assert set(form.errors) == {"name", "note", "late"}
    for field in ("name", "note"):
        assert form.errors[field] == [
            f"Caractère invisible interdit ({codepoint(character)}) : retirez-le."
        ]


def test_line_breaks_only_in_multiline_fields() -> None:
    form = _NoteForm({"name": "Atlas\tSARL", "note": "ligne 1\r\nligne\t2", "secret": "a\tb"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"]
    assert "saut de ligne (U+0009)" in form.errors["name"][0]
    ok = _NoteForm({"name": "Atlas SARL", "note": "ligne 1\r\nligne\t2"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data["note"] == "ligne 1\r\nligne\t2"


def _import_all(module_name: str) -> None:
    for info in pkgutil.iter_modules(sharaka.__path__):
        if not info.ispkg:
            continue
        try:
            importlib.import_module(f"sharaka.{info.name}.{module_name}")
        except ModuleNotFoundError as error:
            if error.name != f"sharaka.{info.name}.{module_name}":
                raise


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_form_of_the_product_has_the_guard() -> None:
    _import_all("forms")
    _import_all("views")
    ours = [
        cls for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("sharaka.") and not cls.__module__.startswith("sharaka.core")
    ]  # fmt: skip
    assert len(ours) > 50
    unguarded = sorted(f"{c.__module__}.{c.__qualname__}" for c in ours
                       if not issubclass(c, TextGuardMixin))  # fmt: skip
    assert unguarded == [], "derive them from sharaka.core.forms.Form or ModelForm"


def test_every_api_schema_of_the_product_has_the_guard() -> None:
    _import_all("api")
    ours = [c for c in _subclasses(ninja.Schema) if c.__module__.startswith("sharaka.")]
    assert len(ours) > 50
    unguarded = sorted(f"{c.__module__}.{c.__qualname__}" for c in ours
                       if not issubclass(c, schemas.Schema))  # fmt: skip
    assert unguarded == [], "derive them from sharaka.core.schemas.Schema"
