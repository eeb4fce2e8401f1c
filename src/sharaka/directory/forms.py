from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import DateInput, Form, ModelForm, field_of
from sharaka.directory.models import Gender, Organization, OrganizationKind, Person
from sharaka.directory.services import ORGANIZATION_FIELDS, PERSON_FIELDS


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class OrganizationForm(ModelForm[Organization]):
    class Meta:
        formfield_callback = _formfield
        model = Organization
        fields = ORGANIZATION_FIELDS
        widgets = {
            "declaration_date": DateInput(),
            "address": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["default_college"].required = False
        self.fields["default_college"].help_text = _(
            "Laissé vide, il est déduit de la nature de l'organisation."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != OrganizationKind.ASSOCIATION:
            return data
        if data.get("receipt_number") and not data.get("declaration_date"):
            self.add_error(
                "declaration_date",
                _("Indiquez la date de déclaration de l'association, qui figure sur le récépissé."),
            )
        return data


class PersonForm(ModelForm[Person]):
    class Meta:
        model = Person
        fields = PERSON_FIELDS
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(
            self, "organization", forms.ModelChoiceField
        ).queryset = Organization.objects.order_by("name")


class OrganizationFilterForm(Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    kind = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes")), *OrganizationKind.choices]
    )
    city = forms.CharField(label=_("Ville"), required=False)


class PersonFilterForm(Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    gender = forms.ChoiceField(
        label=_("Genre"), required=False, choices=[("", _("Tous")), *Gender.choices]
    )
