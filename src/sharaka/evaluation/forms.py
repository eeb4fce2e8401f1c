from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.forms import DateInput, Form, ModelForm, field_of, label_choices
from sharaka.core.uploads import upload_help
from sharaka.evaluation.models import (
    GENDER_QUESTION,
    Constraint,
    Evaluation,
    GenderMarker,
    Indicator,
    Measure,
    Measurement,
    Recommendation,
    Result,
    Score,
    Target,
)

_TEXT = forms.Textarea(attrs={"rows": 3})


class GenderMarkerForm(ModelForm):
    class Meta:
        model = GenderMarker
        fields = ["significance", "justification"]
        widgets = {"significance": forms.RadioSelect, "justification": _TEXT}


class ConstraintForm(ModelForm):
    class Meta:
        model = Constraint
        fields = ["year", "kind", "description", "effect", "response"]
        widgets = {"description": _TEXT, "effect": _TEXT, "response": _TEXT}


class ResultForm(ModelForm):
    class Meta:
        model = Result
        fields = [
            "kind", "title", "title_ar", "title_en", "description", "description_ar",
            "description_en", "order",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "description": _TEXT,
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "description_en": _TEXT,
        }


class IndicatorForm(ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "result", "title", "title_ar", "title_en", "description", "description_ar",
            "description_en", "measure", "direction", "unit_label", "baseline_value",
            "baseline_date", "reference", "by_sex", "activities", "order",
        ]  # fmt: skip
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "description": _TEXT,
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "description_en": _TEXT,
            "measure": forms.RadioSelect,
            "direction": forms.RadioSelect,
            "baseline_date": DateInput(),
            "activities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, results: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "result", forms.ModelChoiceField).queryset = results
        field = field_of(self, "activities", forms.ModelChoiceField)
        field.queryset = activities
        label_choices(field, lambda a: f"{a.code} — {a.title}")
        self.fields["baseline_value"].help_text = _(
            "Vide pour un indicateur qualitatif ; au plus 100 pour un pourcentage."
        )


class TargetForm(ModelForm):
    class Meta:
        model = Target
        fields = ["period_start", "period_end", "value", "text"]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator.measure == Measure.QUALITATIVE:
            del self.fields["value"]
        else:
            del self.fields["text"]
            self.fields["value"].required = True
            if indicator.unit_label:
                self.fields["value"].help_text = indicator.unit_label


class MeasurementForm(ModelForm):
    evidence = forms.FileField(
        label=_("Justificatif"), required=False,
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )  # fmt: skip

    class Meta:
        model = Measurement
        fields = [
            "period_start", "period_end", "measured_on", "value", "women", "men", "text",
            "source", "comment",
        ]  # fmt: skip
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "measured_on": DateInput(),
            "text": _TEXT,
            "comment": _TEXT,
        }

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if indicator.measure == Measure.QUALITATIVE:
            for name in ("value", "women", "men"):
                del self.fields[name]
            self.fields["text"].required = True
        else:
            del self.fields["text"]
            self.fields["value"].required = True
            self.fields["value"].label = _("Valeur (total)") if indicator.by_sex else _("Valeur")
            if indicator.unit_label:
                self.fields["value"].help_text = indicator.unit_label
            if not indicator.by_sex:
                del self.fields["women"]
                del self.fields["men"]

    def clean(self) -> dict[str, Any]:
        """Parts that do not add up are refused on the men's field (before the model's own
        constraint, which would name no field)."""
        data = super().clean() or {}
        value, women, men = data.get("value"), data.get("women"), data.get("men")
        if value is not None and women is not None and men is not None and women + men != value:
            self.add_error("men", str(_("Femmes et hommes doivent faire le total indiqué.")))
        return data


class ImportForm(Form):
    file = forms.FileField(
        label=_("Fichier XLSX ou CSV"),
        help_text=_(
            "Première ligne : les colonnes indicateur, debut, fin, date, valeur, femmes, "
            "hommes, appreciation, source, commentaire. Toutes les lignes sont importées, ou "
            "aucune."
        ),
    )


class EvaluationForm(ModelForm):
    terms = forms.FileField(
        label=_("Termes de référence"), required=False,
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )  # fmt: skip

    class Meta:
        model = Evaluation
        fields = [
            "kind", "title", "evaluator_kind", "evaluator", "period_start", "period_end",
            "planned_on", "started_on", "findings", "gender_answer", "board_decision",
        ]  # fmt: skip
        widgets = {
            "kind": forms.RadioSelect,
            "evaluator_kind": forms.RadioSelect,
            "period_start": DateInput(),
            "period_end": DateInput(),
            "planned_on": DateInput(),
            "started_on": DateInput(),
            "findings": forms.Textarea(attrs={"rows": 6}),
            "gender_answer": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "board_decision", forms.ModelChoiceField)
        field.queryset = decisions
        label_choices(field, lambda d: f"{d.number} — {d.title}")
        self.fields["gender_answer"].help_text = GENDER_QUESTION
        self.fields["evaluator"].help_text = _("Le service ou le cabinet qui évalue.")


class JudgementForm(Form):
    score = forms.TypedChoiceField(
        label=_("Appréciation"), choices=Score.choices, coerce=int, widget=forms.RadioSelect
    )
    justification = forms.CharField(label=_("Justification"), widget=forms.Textarea)


class CompleteForm(Form):
    completed_on = forms.DateField(label=_("Achevée le"), widget=DateInput())


class RecommendationForm(ModelForm):
    class Meta:
        model = Recommendation
        fields = ["text", "owner", "due_on", "status", "follow_up"]
        widgets = {
            "text": _TEXT,
            "due_on": DateInput(),
            "follow_up": forms.Textarea(attrs={"rows": 4}),
        }
