"""Forms of the admissibility pages (first validation; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.bounds import date_bounds_message, date_in_bounds
from sharaka.core.forms import DateInput, Form, field_of, label_choices
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.partners.lookups import ASSOCIATIONS, GRANT_ASSOCIATIONS
from sharaka.partners.models import CheckStatus, Criterion, Decision


class SearchForm(Form):
    q = forms.CharField(label=_("Association"), max_length=100, required=False)


class FileOpenForm(Form):
    # Searched among the associations without a file with this authority (issue 19).
    association = LookupField(
        lookup=ASSOCIATIONS, label=_("Association"), placeholder=_("Tapez un nom…")
    )
    previously_funded = forms.BooleanField(
        label=_("Déjà subventionnée par la collectivité"), required=False
    )

    def __init__(self, *args: Any, user: Any, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "association", LookupField).scope_to(user, authority=authority_id)


_YES_NO = [("", "—"), ("yes", _("Oui")), ("no", _("Non"))]


class EvidenceForm(Form):
    criterion = forms.ModelChoiceField(label=_("Critère"), queryset=Criterion.objects.none())
    document = forms.FileField(
        label=_("Document"), required=False,
        help_text=upload_help(gettext_noop("PDF, PNG ou JPEG, %(max)s Mo au plus.")),
    )  # fmt: skip
    issued_on = forms.DateField(label=_("Délivré le"), required=False, widget=DateInput())
    expires_on = forms.DateField(
        label=_("Expire le"), required=False, widget=DateInput(),
        help_text=_("Premier jour où la pièce ne compte plus."),
    )  # fmt: skip
    provisional = forms.BooleanField(label=_("Document provisoire"), required=False)
    value = forms.ChoiceField(label=_("Réponse (fait oui/non)"), choices=_YES_NO, required=False)
    score = forms.IntegerField(label=_("Note (appréciation)"), required=False, min_value=0,
                               max_value=100)  # fmt: skip

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "criterion", forms.ModelChoiceField)
        field.queryset = Criterion.objects.filter(pk__in=[c.pk for c in criteria]).order_by(
            "position", "pk"
        )
        label_choices(field, lambda c: f"{c.label} ({c.get_kind_display()})")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("issued_on", "expires_on"):
            if not date_in_bounds(data.get(name)):
                self.add_error(name, date_bounds_message())
        return data

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        value = {"yes": True, "no": False}.get(data.get("value") or "")
        return {
            "criterion": data["criterion"], "document": data.get("document"),
            "issued_on": data.get("issued_on"), "expires_on": data.get("expires_on"),
            "provisional": bool(data.get("provisional")), "value": value,
            "score": data.get("score"),
        }  # fmt: skip


class CheckForm(Form):
    status = forms.ChoiceField(
        label=_("Vérification"),
        choices=[(CheckStatus.ACCEPTED, _("Acceptée")), (CheckStatus.REJECTED, _("Refusée"))],
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class DecideForm(Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            (Decision.ADMISSIBLE, _("Recevable")),
            (Decision.NOT_ADMISSIBLE, _("Non recevable")),
        ],
    )
    reason = forms.CharField(
        label=_("Motif"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


class DeclarationForm(Form):
    text = forms.CharField(
        label=_("Déclaration d'intérêts"), max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Quel intérêt (fonction au bureau), depuis quand. L'élu·e se retire des "
                    "délibérations et votes concernant l'association (loi 113-14, art. 65)."),
    )  # fmt: skip


class GrantForm(Form):
    association = LookupField(
        lookup=GRANT_ASSOCIATIONS, label=_("Association"), placeholder=_("Tapez un nom…")
    )
    purpose = forms.CharField(label=_("Objet"), max_length=300)
    amount = forms.DecimalField(label=_("Montant (DH)"), max_digits=14, decimal_places=2)
    achievements = forms.CharField(
        label=_("Réalisations"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    remarks = forms.CharField(
        label=_("Observations"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, authority_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "association", LookupField).scope_to(user, authority=authority_id)
