"""Forms of the councillor and bureau pages (first validation; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.core.bounds import date_bounds_message, date_in_bounds
from sharaka.core.forms import DateInput, Form, field_of
from sharaka.core.lookups import LookupField
from sharaka.directory.lookups import PEOPLE


class _Dated(Form):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "person" in self.fields:
            field_of(self, "person", LookupField).scope_to(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("start_date", "end_date"):
            if name in self.fields and not date_in_bounds(data.get(name)):
                self.add_error(name, date_bounds_message())
        return data


class CouncillorForm(_Dated):
    # Searched in the directory as the user types, never listed whole (issue 19).
    person = LookupField(lookup=PEOPLE, label=_("Élu·e"),
                         placeholder=_("Nom, prénom ou organisation…"))  # fmt: skip
    start_date = forms.DateField(label=_("Début du mandat"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Fin du mandat (dernier jour)"), required=False, widget=DateInput(),
        help_text=_("Vide tant que le mandat court."),
    )  # fmt: skip


class BureauMemberForm(_Dated):
    person = LookupField(lookup=PEOPLE, label=_("Personne"),
                         placeholder=_("Nom, prénom ou organisation…"))  # fmt: skip
    role = forms.CharField(label=_("Fonction au bureau"), max_length=100, required=False,
                           help_text=_("Président·e, trésorier·ère, secrétaire…"))  # fmt: skip
    start_date = forms.DateField(label=_("Depuis le"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Jusqu'au (dernier jour)"), required=False, widget=DateInput(),
        help_text=_("Vide tant que le mandat court."),
    )  # fmt: skip


class TermEndForm(_Dated):
    end_date = forms.DateField(label=_("Dernier jour du mandat"), widget=DateInput())
