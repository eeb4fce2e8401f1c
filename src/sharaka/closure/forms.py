from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from sharaka.closure import rules, selectors
from sharaka.closure.models import Ground, ItemStatus, WindDownItem
from sharaka.core.forms import DateInput, Form, field_of, label_choices
from sharaka.core.uploads import upload_help
from sharaka.partnerships.models import Partnership

_UPLOAD_HELP = upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus."))


class TerminationForm(Form):
    ground = forms.ChoiceField(
        label=_("Motif de fin"), choices=Ground.choices, widget=forms.RadioSelect
    )
    notice_on = forms.DateField(
        label=_("Date de départ"), widget=DateInput(),
        help_text=_("Réception du préavis ou de la mise en demeure, ou date convenue de la fin. "
                    "La date d'effet est calculée avec le préavis de la convention."),
    )  # fmt: skip
    party: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Partie à l'origine"), queryset=None, required=False
    )
    decision: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Décision du conseil"), queryset=None, required=False,
        help_text=_("Requise sauf pour l'expiration."),
    )  # fmt: skip
    reason = forms.CharField(label=_("Motif détaillé"), widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Document"), required=False, help_text=_UPLOAD_HELP)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"notice_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field_of(self, "party", forms.ModelChoiceField).queryset = selectors.party_choices(
            partnership=partnership
        )
        decision = field_of(self, "decision", forms.ModelChoiceField)
        decision.queryset = selectors.decision_choices(partnership=partnership)
        label_choices(decision, lambda d: f"{d.number} — {d.title}")
        field_of(self, "ground", forms.ChoiceField).choices = [
            (code.value, f"{gettext(spec.label)} ({spec.legal})")
            for code, spec in rules.GROUNDS.items()
        ]


class ItemForm(Form):
    owner: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Responsable"), queryset=None, required=False
    )
    status = forms.ChoiceField(label=_("État"), choices=ItemStatus.choices)
    disposition = forms.ChoiceField(label=_("Sort"), required=False)
    notes = forms.CharField(
        label=_("Observations"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    evidence_title = forms.CharField(label=_("Titre de la pièce"), max_length=200, required=False)
    evidence = forms.FileField(label=_("Pièce justificative"), required=False,
                               help_text=_UPLOAD_HELP)  # fmt: skip

    def __init__(self, *args: Any, item: WindDownItem, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"owner": item.owner_id, "status": item.status, "disposition": item.disposition,
             "notes": item.notes},
        )  # fmt: skip
        super().__init__(*args, **kwargs)
        field_of(self, "owner", forms.ModelChoiceField).queryset = selectors.party_choices(
            partnership=item.partnership
        )
        field_of(self, "disposition", forms.ChoiceField).choices = [
            ("", "—"),
            *((code, gettext(label)) for code, label in item.spec.dispositions),
        ]


class ApproveForm(Form):
    decision: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Décision du conseil approuvant les comptes"), queryset=None, required=False
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        decision = field_of(self, "decision", forms.ModelChoiceField)
        decision.queryset = selectors.decision_choices(partnership=partnership)
        label_choices(decision, lambda d: f"{d.number} — {d.title}")
