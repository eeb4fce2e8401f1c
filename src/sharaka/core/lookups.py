"""Search-as-you-type choices (issue 19): one widget, one endpoint, one field.

A form never renders a whole table as a ``<select>``. A choice among many rows (a person
of the directory, an organisation, an association without a file) is a ``LookupField``:
its widget (``SearchSelect``) is a labelled text input with a listbox that asks the
server for at most ``LIMIT`` matching rows (htmx, ``core/static/sharaka/combobox.js`` for
the keyboard), and the field validates the chosen id against the *same* scoped query the
endpoint searches. Core knows no domain model: each app registers its ``Lookup`` (what it
searches, who may search it, what each result says) in its ``AppConfig.ready``.

The endpoint (``core.views.lookup``, ``/recherche/<name>/?q=…``) asks the lookup's
``scope`` for the query, which checks the user's rights through ``core.access`` (404 /
403) before anything is read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode

from sharaka.core.errors import NotFound
from sharaka.core.querysets import text_search
from sharaka.core.types import Actor

#: The most results one search shows; the user narrows the text to find the others.
LIMIT = 20
#: The longest search text taken into account (ADR 0010: bounded input).
MAX_QUERY = 100
#: Each word of the text must match one of the searched columns ("karim alami").
MAX_WORDS = 4


@dataclass(frozen=True)
class Lookup:
    """A searchable choice.

    ``scope(user, params)`` returns the rows the user may pick from (``params`` are the
    string parameters the form put in the widget's URL, e.g. an authority's id); it raises
    ``NotFound`` / ``AccessDenied`` through ``core.access`` when the user may not.
    ``search`` names the columns matched (``icontains``, each word of the text in one of
    them); ``order`` must end with a unique
    column so that the first ``LIMIT`` rows are always the same ones.
    """

    name: str
    model: type[Model]
    scope: Callable[[Actor | None, Mapping[str, str]], QuerySet[Any]]
    search: tuple[str, ...]
    order: tuple[str, ...]
    label: Callable[[Any], str] = str
    context: Callable[[Any], str] = lambda _row: ""
    params: tuple[str, ...] = field(default=())

    def results(self, user: Actor | None, params: Mapping[str, str], text: str) -> list[Any]:
        """At most ``LIMIT + 1`` rows matching ``text`` (one more tells that there are more)."""
        rows = self.scope(user, params)
        for word in text[:MAX_QUERY].split()[:MAX_WORDS]:
            rows = text_search(rows, word, self.search)
        return list(rows.order_by(*self.order)[: LIMIT + 1])


_REGISTRY: dict[str, Lookup] = {}


def register(lookup: Lookup) -> Lookup:
    """Make ``lookup`` reachable at ``/recherche/<name>/`` (called from ``AppConfig.ready``)."""
    _REGISTRY[lookup.name] = lookup
    return lookup


def get(name: str) -> Lookup:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise NotFound() from None


class SearchSelect(forms.Widget):
    """A text input with a listbox of server-side results; the chosen id travels in a hidden
    input named like the field. ARIA 1.2 combobox pattern: ``role=combobox`` on the input,
    ``aria-controls`` its ``role=listbox``, ``aria-activedescendant`` the highlighted option
    (arrows move it, Enter picks it, Escape closes the list)."""

    template_name = "core/widgets/search_select.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.url: object = ""  # a string, or a lazy one until rendered
        self.placeholder: object = ""
        self.choices: Any = ()

    def selected(self, value: Any) -> tuple[str, str]:
        """(id, label) of the current value; one query when there is one."""
        if value in (None, ""):
            return "", ""
        if isinstance(value, Model):
            return str(value.pk), self.choices.field.label_from_instance(value)
        field = self.choices.field
        try:
            row = field.queryset.filter(pk=value).first()
        except (ValueError, TypeError):
            row = None
        if row is None:
            return "", ""
        return str(row.pk), field.label_from_instance(row)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        pk, label = self.selected(value)
        context["widget"].update(
            {"pk": pk, "label": label, "url": self.url, "placeholder": self.placeholder}
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data


class LookupField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one row of ``lookup`` within the scope given by ``params``: searched on
    the server as the user types, and checked on submission against that same scoped query
    (``ModelChoiceField`` looks the id up in ``queryset``)."""

    widget = SearchSelect

    def __init__(self, *, lookup: Lookup, placeholder: object = "", **kwargs: Any) -> None:
        self.lookup = lookup
        # Nothing is valid until the form scopes the field to its user (``scope_to``).
        super().__init__(queryset=lookup.model._default_manager.none(), **kwargs)
        self.widget.placeholder = placeholder
        self.widget.url = reverse_lazy("core:lookup", kwargs={"name": lookup.name})

    def label_from_instance(self, obj: Any) -> str:
        """What the text input shows once a row is chosen (the listbox adds its context)."""
        return self.lookup.label(obj)

    def scope_to(self, user: Actor | None, **params: Any) -> None:
        """Restrict the choice to what ``user`` may pick with these ``params`` (the same
        parameters the widget sends to the endpoint)."""
        strings = {key: str(value) for key, value in params.items() if value is not None}
        self.queryset = self.lookup.scope(user, strings)
        url = reverse("core:lookup", kwargs={"name": self.lookup.name})
        self.widget.url = f"{url}?{urlencode(strings)}" if strings else url
