"""Forms of partner selection, profiles, calls and the public application (first
validation; the services decide)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.forms import DateInput, Form, field_of, label_choices
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.directory.lookups import ORGANIZATIONS
from sharaka.partners.selection_models import ChoiceDecision, Competence, Level

_DOCUMENT_HELP = upload_help(gettext_noop("PDF, PNG ou JPEG, %(max)s Mo au plus."))


class CandidateSearchForm(Form):
    q = forms.CharField(label=_("Organisation"), max_length=100, required=False)


class ChoiceForm(Form):
    decision = forms.ChoiceField(label=_("Choix"), choices=ChoiceDecision.choices,
                                 widget=forms.RadioSelect)  # fmt: skip
    reason = forms.CharField(label=_("Motif"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))  # fmt: skip


class ProfileOpenForm(Form):
    organization = LookupField(
        lookup=ORGANIZATIONS, label=_("Organisation"), placeholder=_("Tapez un nom…")
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organization", LookupField).scope_to(user)


class ProfileLineForm(Form):
    competence = forms.ModelChoiceField(label=_("Compétence"), queryset=Competence.objects.all())
    level = forms.TypedChoiceField(label=_("Niveau"), choices=Level.choices, coerce=int)
    reference = forms.CharField(
        label=_("Référence"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui l'atteste : réalisation, convention, diplôme, attestation…"),
    )  # fmt: skip
    document = forms.FileField(label=_("Justificatif"), required=False, help_text=_DOCUMENT_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "competence", forms.ModelChoiceField)
        field.queryset = Competence.objects.order_by("position", "pk")
        label_choices(field, lambda c: c.label)


class CallForm(Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    text = forms.CharField(
        label=_("Texte de l'appel"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("L'objet, ce qui est attendu des associations, les pièces à joindre."),
    )  # fmt: skip
    opens_on = forms.DateField(label=_("Ouvert le"), widget=DateInput())
    closes_on = forms.DateField(label=_("Clos le"), widget=DateInput(),
                                help_text=_("Dernier jour pour candidater."))  # fmt: skip


class ApplicationForm(Form):
    """The public form: an association applies to a call, with its documents."""

    name = forms.CharField(label=_("Nom de l'association"), max_length=200)
    city = forms.CharField(label=_("Ville"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("Personne à contacter"), max_length=200)
    contact_email = forms.EmailField(label=_("Courriel"))
    message = forms.CharField(
        label=_("Motivation"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce que l'association apporterait au partenariat : expérience, "
                    "compétences, moyens."),
    )  # fmt: skip
    statutes = forms.FileField(label=_("Statuts"), help_text=_DOCUMENT_HELP)
    receipt = forms.FileField(label=_("Récépissé de dépôt du dossier"), required=False,
                              help_text=_DOCUMENT_HELP)  # fmt: skip
    bureau_list = forms.FileField(label=_("Liste des membres du bureau"), required=False,
                                  help_text=_DOCUMENT_HELP)  # fmt: skip
    competences = forms.ModelMultipleChoiceField(
        label=_("Compétences de l'association"), queryset=Competence.objects.none(),
        required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Celles que l'association apporte. Elles entrent dans son profil comme "
                    "« déclarées, non justifiées » si son dossier est déclaré recevable."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "competences", forms.ModelMultipleChoiceField)
        field.queryset = Competence.objects.order_by("position", "pk")  # the small catalogue
        label_choices(field, lambda c: c.label)
