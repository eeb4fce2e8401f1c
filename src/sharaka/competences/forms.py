from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.competences.models import Competence, Level, TrainingSession
from sharaka.competences.selectors import budget_lines
from sharaka.core.forms import DateInput, Form, ModelForm, check_period, field_of, label_choices
from sharaka.directory.models import Person
from sharaka.structure.models import StaffRole


def _competences() -> Any:
    return Competence.objects.order_by("label_fr", "pk")


class HoldingForm(Form):
    """A key person's level in one competence (the catalogue of competences is short)."""

    person = forms.ChoiceField(label=_("personne"))
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("compétence"))
    level = forms.TypedChoiceField(label=_("niveau"), choices=Level.choices, coerce=int)
    evidence = forms.CharField(
        label=_("justificatif"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Diplôme, attestation, expérience : ce qui montre le niveau."),
    )  # fmt: skip

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        field_of(self, "person", forms.ChoiceField).choices = [(str(p.pk), str(p)) for p in people]
        field_of(self, "competence", forms.ModelChoiceField).queryset = _competences()

    def clean_person(self) -> Person:
        return self.people[self.cleaned_data["person"]]


class RequirementForm(Form):
    role = forms.ChoiceField(label=_("rôle"), choices=StaffRole.choices)
    competence = forms.ModelChoiceField(queryset=Competence.objects.none(), label=_("compétence"))
    level = forms.TypedChoiceField(
        label=_("niveau requis"), coerce=int,
        choices=[(0, _("0 — Non requis")), *Level.choices],
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "competence", forms.ModelChoiceField).queryset = _competences()


class SessionForm(ModelForm):
    competences = forms.ModelMultipleChoiceField(
        queryset=Competence.objects.none(), label=_("compétences visées"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    class Meta:
        model = TrainingSession
        fields = [
            "topic", "competences", "level_reached", "trainer", "start_date", "end_date", "cost",
            "budget_line",
        ]  # fmt: skip
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "competences", forms.ModelMultipleChoiceField).queryset = _competences()
        line = field_of(self, "budget_line", forms.ModelChoiceField)
        line.queryset = budget_lines(partnership=partnership)
        label_choices(line, lambda bl: f"{bl.activity.code} — {bl}")
        line.help_text = _("Facultatif : la ligne du plan d'action qui finance la session.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, data, _("La fin précède le début de la session."))
        return data


class ParticipantForm(Form):
    person = forms.ChoiceField(label=_("personne"))

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {str(p.pk): p for p in people}
        field_of(self, "person", forms.ChoiceField).choices = [(str(p.pk), str(p)) for p in people]

    def clean_person(self) -> Person:
        return self.people[self.cleaned_data["person"]]


class CompleteForm(Form):
    attended = forms.MultipleChoiceField(
        label=_("présent·es"), widget=forms.CheckboxSelectMultiple, required=False
    )
    completed_on = forms.DateField(label=_("terminée le"), widget=DateInput())

    def __init__(self, *args: Any, participants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "attended", forms.MultipleChoiceField).choices = [
            (str(p.pk), str(p.person)) for p in participants
        ]


__all__ = ["CompleteForm", "HoldingForm", "ParticipantForm", "RequirementForm", "SessionForm"]
