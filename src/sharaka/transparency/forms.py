from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import DateInput, Form, ModelForm
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.transparency.lookups import BUDGET_LINES
from sharaka.transparency.models import (
    LATER_STEPS,
    Channel,
    CommunicationAction,
    ComplaintOutcome,
    Format,
    Ground,
    Outcome,
    RegisterEntry,
)

#: Size limits of the public form (the model's columns, and a bound on the free text).
SOUGHT_MAX = 4000
TEXT_MAX = 4000
HONEYPOT = "website"

id_number = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9 -]{2,18}[A-Za-z0-9]$",
    _("Un numéro de 4 à 20 lettres et chiffres (carte nationale, carte de séjour…)."),
)


class RequestForm(Form):
    """What law 31-13 art. 14 asks of a request: name, address, identity number, the
    information sought; the preferred format and urgency (art. 17)."""

    requester_name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    requester_address = forms.CharField(label=_("Adresse"), max_length=300)
    requester_id_number = forms.CharField(
        label=_("Numéro de la carte nationale d'identité (ou de séjour)"), max_length=20,
        validators=[id_number],
    )  # fmt: skip
    requester_email = forms.EmailField(
        label=_("Courriel (facultatif)"), required=False, max_length=254,
        help_text=_("Pour recevoir la réponse et les avis par courriel."),
    )  # fmt: skip
    information_sought = forms.CharField(
        label=_("Information demandée"), max_length=SOUGHT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip
    preferred_format = forms.ChoiceField(
        label=_("Forme souhaitée"), choices=Format.choices, widget=forms.RadioSelect,
        initial=Format.ELECTRONIC,
    )  # fmt: skip
    urgent = forms.BooleanField(
        label=_("Urgence : la vie ou la liberté d'une personne en dépend (réponse sous 3 jours, "
                "art. 17)"), required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # interpolated here, in the request's language (a lazy text cannot take %)
        self.fields["information_sought"].help_text = gettext(
            "Décrivez l'information ou les documents souhaités (%(max)s caractères au plus)."
        ) % {"max": SOUGHT_MAX}

    def clean_requester_id_number(self) -> str:
        return str(self.cleaned_data["requester_id_number"]).upper()


class PublicRequestForm(RequestForm):
    """The portal's form: a honeypot field that people never see and robots fill in."""

    website = forms.CharField(label=_("Ne pas remplir ce champ"), required=False, max_length=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(HONEYPOT):
            raise ValidationError(_("Votre demande n'a pas pu être enregistrée."), code="spam")
        return data


class RecordForm(RequestForm):
    """A request received by letter or at the counter, recorded by an officer."""

    received_on = forms.DateField(label=_("Reçue le"), widget=DateInput())
    field_order = ["received_on"]


class ExtendForm(Form):
    extended_on = forms.DateField(
        label=_("Demandeur avisé le"), widget=DateInput(), initial=timezone.localdate
    )
    extension_notice = forms.CharField(
        label=_("Avis envoyé au demandeur (motif de la prorogation)"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}), required=False,
    )  # fmt: skip


class AnswerForm(Form):
    outcome = forms.ChoiceField(label=_("Réponse"), choices=Outcome.choices,
                                widget=forms.RadioSelect)  # fmt: skip
    answered_on = forms.DateField(
        label=_("Répondue le"), widget=DateInput(), initial=timezone.localdate
    )
    answer = forms.CharField(
        label=_("Information communiquée (résumé)"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    exempted_parts = forms.CharField(
        label=_("Parties non communiquées (accord partiel)"), required=False,
        max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    ground = forms.ChoiceField(label=_("Motif légal du refus (art. 7 à 9)"), required=False,
                               choices=[("", "—"), *Ground.choices])  # fmt: skip
    remedy = forms.CharField(
        label=_("Voies de recours indiquées au demandeur"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Réclamation au chef de l'organisme sous 20 jours ouvrables (art. 19), "
                    "puis la Commission (art. 20), puis le tribunal administratif (art. 21)."),
    )  # fmt: skip


class ComplaintForm(Form):
    complaint_filed_on = forms.DateField(
        label=_("Réclamation reçue le"), widget=DateInput(), initial=timezone.localdate
    )
    complaint = forms.CharField(
        label=_("Réclamation (résumé)"), max_length=TEXT_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class ComplaintAnswerForm(Form):
    complaint_answered_on = forms.DateField(
        label=_("Répondue le"), widget=DateInput(), initial=timezone.localdate
    )
    complaint_outcome = forms.ChoiceField(label=_("Suite"), choices=ComplaintOutcome.choices,
                                          widget=forms.RadioSelect)  # fmt: skip
    complaint_answer = forms.CharField(label=_("Réponse (résumé)"), required=False,
                                       max_length=TEXT_MAX,
                                       widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class LaterStepForm(Form):
    kind = forms.ChoiceField(
        label=_("Étape"), choices=[(k.value, k.label) for k in LATER_STEPS],
    )  # fmt: skip
    on = forms.DateField(label=_("Date"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class RegisterEntryForm(ModelForm):
    class Meta:
        model = RegisterEntry
        fields = ["direction", "kind", "on", "channel", "subject", "counterpart", "status",
                  "documents"]  # fmt: skip
        widgets = {
            "direction": forms.RadioSelect, "on": DateInput(),
            "documents": forms.Textarea(attrs={"rows": 3}),
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


_PROOF_HELP = upload_help(gettext_noop("Photo du tableau d'affichage ou copie de la page : "
                                       "PDF, JPEG ou PNG, %(max)s Mo au plus."))  # fmt: skip


class PostingForm(Form):
    posted_on = forms.DateField(label=_("Affichée le"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Support"), choices=Channel.choices,
                                initial=Channel.NOTICE_BOARD)  # fmt: skip
    place = forms.CharField(
        label=_("Lieu ou adresse"), max_length=300,
        help_text=_("Le tableau d'affichage (siège de la commune…) ou l'adresse de la page."),
    )  # fmt: skip
    note = forms.CharField(label=_("Observations"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    proof = forms.FileField(label=_("Preuve"), required=False, help_text=_PROOF_HELP)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["posted_on"].initial = timezone.localdate


_PUBLICATION_PROOF_HELP = upload_help(gettext_noop(
    "Copie du rapport publié, photo du tableau d'affichage ou de la page : PDF, JPEG ou PNG, "
    "%(max)s Mo au plus."))  # fmt: skip


class PublicationForm(Form):
    published_on = forms.DateField(label=_("Publiée le"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Support"), choices=Channel.choices,
                                initial=Channel.WEBSITE)  # fmt: skip
    place = forms.CharField(
        label=_("Où"), max_length=300,
        help_text=_("Le site de la commune, le tableau d'affichage du siège, le bulletin…"),
    )  # fmt: skip
    url = forms.URLField(label=_("Adresse de la publication"), max_length=500, required=False,
                         assume_scheme="https",
                         help_text=_("Obligatoire sans preuve jointe."))  # fmt: skip
    proof = forms.FileField(label=_("Preuve"), required=False, help_text=_PUBLICATION_PROOF_HELP)
    note = forms.CharField(label=_("Observations"), max_length=TEXT_MAX, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate


class ActionForm(ModelForm):
    budget_line = LookupField(
        lookup=BUDGET_LINES, required=False, label=_("Ligne budgétaire"),
        help_text=_("Une ligne du plan d'action en vigueur du partenariat, s'il y en a une."),
    )  # fmt: skip

    class Meta:
        model = CommunicationAction
        fields = ["audience", "channel", "message", "planned_on", "frequency", "owner",
                  "budget_line", "public"]  # fmt: skip
        widgets = {"planned_on": DateInput()}

    def __init__(self, *args: Any, owners: Any, user: Any = None, partnership: Any = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]
        if partnership is not None:
            self.fields["budget_line"].scope_to(user, partnership=partnership.slug)  # type: ignore[attr-defined]


class ActionDoneForm(Form):
    done_on = forms.DateField(label=_("Réalisée le"), widget=DateInput())
    evidence = forms.CharField(
        label=_("Ce qui a été fait, preuves"), max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Lieu, public touché, liens, photos ou documents conservés."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = timezone.localdate
