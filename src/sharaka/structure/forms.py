from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.forms import DateInput, Form, ModelForm, field_of, label_choices
from sharaka.core.uploads import upload_help
from sharaka.directory.models import Organization, Person
from sharaka.planning.models import Activity
from sharaka.structure.models import (
    STRUCTURE_DESCRIPTIONS,
    Asset,
    AssetKind,
    Delegation,
    ManagementStructure,
    StaffAssignment,
    StructureKind,
)


def party_organizations(partnership: Any) -> Any:
    return Organization.objects.filter(parties__partnership=partnership).distinct().order_by("name")


class StructureForm(ModelForm):
    class Meta:
        model = ManagementStructure
        fields = ["kind", "description"]
        widgets = {"kind": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "kind", forms.ChoiceField).choices = [
            (kind.value, f"{kind.label} — {STRUCTURE_DESCRIPTIONS[kind]}") for kind in StructureKind
        ]


class StaffForm(ModelForm):
    class Meta:
        model = StaffAssignment
        fields = [
            "person", "role", "title", "origin_organization", "time_share", "start_date",
            "end_date", "reports_to", "note",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, partnership: Any, structure: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", forms.ModelChoiceField).queryset = Person.objects.select_related(
            "organization"
        ).order_by("last_name", "first_name")
        field_of(
            self, "origin_organization", forms.ModelChoiceField
        ).queryset = party_organizations(partnership)
        managers = StaffAssignment.objects.filter(structure=structure).select_related("person")
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        field_of(self, "reports_to", forms.ModelChoiceField).queryset = managers
        self.fields["time_share"].widget.attrs.update({"min": 0, "max": 100, "step": "0.01"})
        self.fields["time_share"].help_text = _(
            "Part d'un temps plein consacrée au partenariat ; le total d'une personne, toutes "
            "affectations confondues sur une même période, ne dépasse pas 100 %."
        )


class DelegationForm(ModelForm):
    activities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Activités déléguées"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Delegation
        fields = [
            "delegate", "decision", "scope", "activities", "start_date", "end_date",
            "reporting_duty", "reporting_frequency",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "scope": forms.Textarea(attrs={"rows": 3}),
            "reporting_duty": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self, *args: Any, partnership: Any, decisions: Any, activities: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "delegate", forms.ModelChoiceField).queryset = party_organizations(
            partnership
        )
        field_of(self, "decision", forms.ModelChoiceField).queryset = decisions
        label_choices(
            field_of(self, "decision", forms.ModelChoiceField),
            lambda d: f"{d.number} — {d.title} ({d.decided_on:%d/%m/%Y})",
        )
        self.fields["decision"].help_text = _(
            "Une décision « Délégation de responsabilité » du conseil de ce partenariat."
        )
        field = field_of(self, "activities", forms.ModelChoiceField)
        field.queryset = Activity.objects.filter(pk__in=[a.pk for a in activities])
        label_choices(field, lambda a: f"{a.code} — {a.title}")
        if self.instance.pk:
            codes = {a.code for a in self.instance.activities.all()}
            self.initial["activities"] = [a.pk for a in activities if a.code in codes]


class AssetForm(ModelForm):
    class Meta:
        model = Asset
        fields = [
            "kind", "name", "reference", "description", "owner", "provided_by", "value",
            "location", "condition", "acquired_on",
        ]  # fmt: skip
        widgets = {"acquired_on": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = Organization.objects.order_by(
            "name"
        )
        field_of(self, "provided_by", forms.ModelChoiceField).queryset = party_organizations(
            partnership
        )
        self.fields["value"].widget.attrs.update({"min": 0, "step": "0.01"})


class DocumentForm(Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )


class AssetFilterForm(Form):
    kind = forms.ChoiceField(
        label=_("Nature"), choices=[("", _("Tous")), *AssetKind.choices], required=False
    )
