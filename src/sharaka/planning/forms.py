from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import DateInput, Form, ModelForm, field_of, label_choices
from sharaka.directory.models import Organization, Person
from sharaka.meetings.models import Decision
from sharaka.planning.models import ActionPlan, Activity, ActivityStatus, BudgetCategory, Objective


class PlanForm(ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "period_start", "period_end"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}


class PlanCreateForm(PlanForm):
    note = forms.CharField(
        label=_("Objet de la première version"), required=False, widget=forms.Textarea
    )


class ObjectiveForm(ModelForm):
    class Meta:
        model = Objective
        fields = ["code", "title", "position"]


class ActivityForm(ModelForm):
    class Meta:
        model = Activity
        fields = [
            "objective", "code", "title", "description", "responsible_organization",
            "responsible_person", "start_date", "end_date", "deliverables", "status",
            "progress",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "deliverables": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        objectives: Any,
        organizations: Any,
        people: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "objective", forms.ModelChoiceField).queryset = objectives
        field_of(self, "responsible_organization", forms.ModelChoiceField).queryset = organizations
        field_of(self, "responsible_person", forms.ModelChoiceField).queryset = people
        self.fields["code"].help_text = _("Par exemple A1.2 ; unique dans cette version.")
        self.fields["responsible_person"].help_text = _(
            "Une organisation ou un membre du registre du personnel, pas les deux."
        )
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})


class ProgressForm(Form):
    status = forms.ChoiceField(label=_("État"), choices=ActivityStatus.choices)
    progress = forms.IntegerField(label=_("Avancement (%)"), min_value=0, max_value=100)


class BudgetLineForm(Form):
    category = forms.ChoiceField(label=_("Catégorie"), choices=BudgetCategory.choices)
    label = forms.CharField(label=_("Libellé"), max_length=200, required=False)

    def __init__(self, *args: Any, years: list[int], currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.years = years
        for year in years:
            self.fields[f"amount_{year}"] = forms.DecimalField(
                label=_("Montant %(year)s (%(currency)s)") % {"year": year, "currency": currency},
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
            )

    def amounts(self) -> dict[int, Any]:
        return {year: self.cleaned_data.get(f"amount_{year}") for year in self.years}

    def fields_data(self) -> dict[str, Any]:
        return {"category": self.cleaned_data["category"], "label": self.cleaned_data["label"]}


class AdoptForm(Form):
    decision = forms.ModelChoiceField(
        label=_("Décision du conseil"),
        queryset=Decision.objects.none(),
        help_text=_("Une décision « Adoption du plan d'action » du conseil de ce partenariat."),
    )

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "decision", forms.ModelChoiceField).queryset = decisions
        label_choices(
            field_of(self, "decision", forms.ModelChoiceField),
            lambda d: f"{d.number} — {d.title} ({d.decided_on:%d/%m/%Y})",
        )


class ReviseForm(Form):
    note = forms.CharField(
        label=_("Objet de la révision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


def party_organizations(partnership: Any) -> Any:
    return Organization.objects.filter(parties__partnership=partnership).distinct().order_by("name")


def staff_people(partnership: Any) -> Any:
    return (
        Person.objects.filter(staff_assignments__structure__partnership=partnership)
        .distinct()
        .order_by("last_name", "first_name")
    )
