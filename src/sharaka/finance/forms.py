from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.forms import DateInput, Form, ModelForm, field_of
from sharaka.core.uploads import upload_help
from sharaka.finance.models import Contribution, ContributionKind, Expense, ExpenseStatus

_MONEY = {"min_value": 0, "max_digits": 14, "decimal_places": 2}


class ContributionForm(ModelForm):
    class Meta:
        model = Contribution
        fields = [
            "organization", "year", "kind", "in_kind_type", "description", "pledged",
            "received", "currency", "valuation_method", "valuation_note",
        ]  # fmt: skip
        widgets = {"valuation_note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "in_kind_type": _("Pour un apport en nature : ce qu'il fournit."),
            "valuation_method": _("Pour un apport en nature : comment sa valeur est calculée."),
        }

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organization", forms.ModelChoiceField).queryset = organizations

    def clean(self) -> dict[str, Any]:
        """An in-kind contribution says what it provides and how its value is reckoned; a
        cash one has neither (the table's check, said on the fields before saving)."""
        data = super().clean() or {}
        if data.get("kind") == ContributionKind.IN_KIND:
            if not data.get("in_kind_type"):
                self.add_error(
                    "in_kind_type", _("Pour un apport en nature, dites ce qu'il fournit.")
                )
            if not data.get("valuation_method"):
                self.add_error(
                    "valuation_method",
                    _("Pour un apport en nature, dites comment sa valeur est calculée."),
                )
        elif data.get("kind") == ContributionKind.CASH:
            data["in_kind_type"] = data["valuation_method"] = ""
        return data


class ExpenseForm(Form):
    #: The activity is chosen with its line: a refusal naming it goes on the line.
    error_fields = {"activity": "line"}

    date = forms.DateField(label=_("Date"), widget=DateInput())
    amount = forms.DecimalField(label=_("Montant"), min_value=0, max_digits=14, decimal_places=2)
    currency = forms.CharField(label=_("Devise"), max_length=3, initial=settings.SHARAKA_CURRENCY)
    supplier = forms.CharField(label=_("Fournisseur"), max_length=200)
    reference = forms.CharField(label=_("Référence (facture)"), max_length=100, required=False)
    line = forms.TypedChoiceField(label=_("Activité et ligne budgétaire"), coerce=int)
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    document = forms.FileField(
        label=_("Pièce justificative"), required=False,
        help_text=upload_help(
            gettext_noop("Facture ou reçu : PDF, JPEG ou PNG, %(max)s Mo au plus.")
        ),
    )  # fmt: skip
    confirm_duplicate = forms.BooleanField(
        label=_("Ce n'est pas un doublon"), required=False,
        help_text=_("À cocher seulement si une dépense du même fournisseur, de même référence "
                    "et de même montant est déjà enregistrée et qu'il s'agit bien d'une autre."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        choices: list[tuple[Any, list[Any]]],
        expense: Expense | None = None,
        **kwargs: Any,
    ) -> None:
        if expense is not None:
            kwargs.setdefault("initial", expense_initial(expense))
        super().__init__(*args, **kwargs)
        grouped: list[tuple[str, list[tuple[int, str]]]] = [
            (str(activity), [(line.pk, str(line)) for line in lines])
            for activity, lines in choices
            if lines
        ]
        field = field_of(self, "line", forms.ChoiceField)
        field.choices = [("", "—"), *grouped]
        self.lines = {line.pk: (activity, line) for activity, lines in choices for line in lines}
        if expense is not None and expense.document:
            self.fields["document"].help_text = _(
                "Laissez vide pour garder la pièce jointe ; un nouveau fichier la remplace."
            )

    def expense_fields(self) -> dict[str, Any]:
        """The services' ``fields`` (the line chosen gives the activity and the line)."""
        data = self.cleaned_data
        activity, line = self.lines[data["line"]]
        return {name: data[name] for name in EXPENSE_OWN_FIELDS} | {
            "activity": activity,
            "line": line,
        }

    def service_args(self) -> dict[str, Any]:
        """``fields``, ``document`` and ``confirm_duplicate`` for the services."""
        data = self.cleaned_data
        return {
            "fields": self.expense_fields(),
            "document": data.get("document"),
            "confirm_duplicate": bool(data.get("confirm_duplicate")),
        }


#: The fields of an expense the form edits as they are (the line gives the activity).
EXPENSE_OWN_FIELDS = ("date", "amount", "currency", "supplier", "reference", "description")


def expense_initial(expense: Expense) -> dict[str, Any]:
    return {name: getattr(expense, name) for name in EXPENSE_OWN_FIELDS} | {"line": expense.line_id}


class ExpenseFilterForm(Form):
    q = forms.CharField(label=_("Recherche"), required=False)
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *ExpenseStatus.choices]
    )
    activity = forms.CharField(label=_("Activité (code)"), required=False, max_length=16)
    year = forms.IntegerField(label=_("Exercice"), required=False, min_value=1900, max_value=2999)
    missing = forms.BooleanField(label=_("Sans pièce justificative"), required=False)


class ReasonForm(Form):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=300)


class DocumentForm(Form):
    document = forms.FileField(
        label=_("Pièce justificative"),
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )


class OverrunForm(Form):
    line = forms.TypedChoiceField(label=_("Ligne budgétaire"), coerce=int)
    decision: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Décision du conseil"), queryset=None
    )
    amount = forms.DecimalField(label=_("Dépassement autorisé"), **_MONEY)  # type: ignore[arg-type]
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, lines: list[tuple[int, str]], decisions: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field_of(self, "line", forms.ChoiceField).choices = lines
        field_of(self, "decision", forms.ModelChoiceField).queryset = decisions


class ImportForm(Form):
    file = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_("Colonnes : date, amount, currency, supplier, reference, activity_code, "
                    "line, description (et id pour mettre à jour une dépense exportée). "
                    "Téléchargez le modèle pour un exemple."),
    )  # fmt: skip
    allow_duplicates = forms.BooleanField(
        label=_("Importer quand même ce fichier"), required=False,
        help_text=_("À cocher seulement pour importer une seconde fois un fichier déjà "
                    "importé, ou des dépenses qui en répètent d'autres (même fournisseur, "
                    "même référence, même montant)."),
    )  # fmt: skip
