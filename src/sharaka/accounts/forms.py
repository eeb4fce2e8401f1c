from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import Form


class TotpForm(Form):
    token = forms.RegexField(
        label=_("Code à 6 chiffres"),
        regex=r"^\s*\d{6}\s*$",
        max_length=12,
        error_messages={"invalid": _("Saisissez les 6 chiffres affichés par l'application.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class ApiTokenForm(Form):
    name = forms.CharField(
        label=_("Nom du jeton"),
        max_length=100,
        help_text=_("Pour vous rappeler où il sert, par exemple « tableur du trésorier »."),
    )
