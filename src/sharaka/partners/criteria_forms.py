"""Form of the criteria page (first validation; ``partners.criteria`` decides)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import Form
from sharaka.partners.models import Condition, CriterionKind


class CriterionForm(Form):
    code = forms.SlugField(
        label=_("Code"), max_length=60,
        help_text=_("Unique dans le jeu : lettres sans accent, chiffres, « - » et « _ »."),
    )  # fmt: skip
    label_fr = forms.CharField(label=_("Libellé (français)"), max_length=300)
    label_ar = forms.CharField(
        label=_("Libellé (arabe)"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )  # fmt: skip
    label_en = forms.CharField(
        label=_("Libellé (anglais)"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"lang": "en"}),
    )  # fmt: skip
    reference = forms.CharField(label=_("Référence juridique"), max_length=300, required=False,
                                help_text=_("Par exemple : dahir de 1958, art. 5."))  # fmt: skip
    kind = forms.ChoiceField(label=_("Nature"), choices=CriterionKind.choices)
    weight = forms.IntegerField(label=_("Poids"), min_value=0, max_value=32767, initial=1)
    max_score = forms.IntegerField(
        label=_("Note maximale"), min_value=1, max_value=32767, initial=1,
        help_text=_("Pour une appréciation notée de 0 à n (ignorée sinon)."),
    )  # fmt: skip
    eliminatory = forms.BooleanField(
        label=_("Éliminatoire"), required=False,
        help_text=_("Absent ou expiré, ce critère rend le dossier non recevable."),
    )  # fmt: skip
    condition = forms.ChoiceField(label=_("S'applique"), choices=Condition.choices,
                                  initial=Condition.ALWAYS)  # fmt: skip
    provisional_wait_days = forms.IntegerField(
        label=_("Délai d'un document provisoire (jours)"), min_value=0, max_value=32767,
        required=False,
        help_text=_("Un document provisoire compte passé ce délai (dahir de 1958, art. 5 : 60 "
                    "jours). Vide : un document provisoire ne compte pas."),
    )  # fmt: skip
