"""Forms of the audit plan: one audit (status, due date, engagement), a sample draw, the
engagement's work papers and findings, recommendations and their follow-up."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.audit.lookups import AUDITORS, OWNERS
from sharaka.audit.models import Audit, AuditStatus, RecommendationStatus, SampleMethod, Severity
from sharaka.core.forms import DateInput, Form, field_of
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.partnerships.models import Party


class AuditForm(Form):
    status = forms.ChoiceField(label=_("État"), choices=AuditStatus.choices)
    due_on = forms.DateField(label=_("Rapport attendu le"), widget=DateInput())
    scope = forms.CharField(
        label=_("Étendue"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    auditor = LookupField(
        lookup=AUDITORS,
        label=_("Auditeur"),
        required=False,
        placeholder=_("Tapez un nom…"),
        help_text=_(
            "Il lira le partenariat, sans le modifier, du premier au dernier jour de la "
            "mission seulement."
        ),
    )
    starts_on = forms.DateField(label=_("Mission du"), required=False, widget=DateInput())
    ends_on = forms.DateField(label=_("Mission au"), required=False, widget=DateInput())

    def __init__(self, *args: Any, audit: Audit, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": audit.status,
                "due_on": audit.due_on,
                "scope": audit.scope,
                "auditor": audit.auditor,
                "starts_on": audit.starts_on,
                "ends_on": audit.ends_on,
            },
        )
        super().__init__(*args, **kwargs)
        field_of(self, "auditor", LookupField).scope_to(user, partnership=audit.partnership.slug)


class SampleForm(Form):
    method = forms.ChoiceField(label=_("Méthode"), choices=SampleMethod.choices)
    size = forms.IntegerField(label=_("Taille de l'échantillon"), min_value=1)
    seed = forms.IntegerField(
        label=_("Graine"),
        required=False,
        min_value=0,
        help_text=_(
            "Laissez vide pour une nouvelle graine ; la graine stockée re-tire le même échantillon."
        ),
    )


class PaperForm(Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )


class FindingForm(Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    severity = forms.ChoiceField(label=_("Gravité"), choices=Severity.choices)
    criterion = forms.CharField(
        label=_("Critère"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("La règle, la clause ou la norme attendue."),
    )
    condition = forms.CharField(
        label=_("Constat"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce qui a été observé."),
    )
    cause = forms.CharField(
        label=_("Cause"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    effect = forms.CharField(
        label=_("Effet"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    responsible = forms.CharField(label=_("Partie responsable"), max_length=200, required=False)
    expenses = forms.TypedMultipleChoiceField(
        label=_("Dépenses de l'échantillon concernées"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "expenses", forms.TypedMultipleChoiceField).choices = choices


# --- Recommendations and their follow-up (ADR 0047, ADR 0051) ---------------------------------


class RecommendationForm(Form):
    text = forms.CharField(label=_("Recommandation"), widget=forms.Textarea(attrs={"rows": 4}))
    owner_party = forms.ModelChoiceField(
        label=_("Partie responsable"), queryset=Party.objects.none(), empty_label="—"
    )
    owner_person = LookupField(
        lookup=OWNERS,
        label=_("Personne responsable"),
        required=False,
        placeholder=_("Tapez un nom…"),
        help_text=_("Facultatif : une personne de la partie responsable."),
    )
    due_on = forms.DateField(label=_("Échéance"), widget=DateInput())

    def __init__(self, *args: Any, audit: Audit, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parties = Party.objects.filter(partnership_id=audit.partnership_id)
        field_of(self, "owner_party", forms.ModelChoiceField).queryset = parties.select_related(
            "organization"
        ).order_by("organization__name", "id")
        field_of(self, "owner_person", LookupField).scope_to(
            user, partnership=audit.partnership.slug
        )


def _evidence_field() -> forms.FileField:
    return forms.FileField(
        label=_("Preuve de mise en œuvre"),
        required=False,
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
    )


class FollowUpForm(Form):
    status = forms.ChoiceField(
        label=_("État"),
        choices=[c for c in RecommendationStatus.choices if c[0] != RecommendationStatus.VERIFIED],
    )
    text = forms.CharField(
        label=_("Réponse de la direction"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = _evidence_field()


class VerifyForm(Form):
    outcome = forms.ChoiceField(
        label=_("Conclusion"),
        widget=forms.RadioSelect,
        choices=[
            ("verified", _("Vérifiée : la mise en œuvre est établie")),
            ("in_progress", _("Non vérifiée : la recommandation reste à mettre en œuvre")),
        ],
    )
    text = forms.CharField(
        label=_("Travaux de vérification"), widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = _evidence_field()
