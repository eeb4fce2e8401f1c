from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from sharaka.accounts import services
from sharaka.accounts.models import ApiTokenScope
from sharaka.core.forms import Form, TextGuardMixin


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
    scope = forms.ChoiceField(
        label=_("Portée"),
        choices=ApiTokenScope.choices,
        initial=ApiTokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_("Lecture seule suffit pour lire ou exporter : préférez-la."),
    )
    days = forms.IntegerField(label=_("Durée de validité (jours)"), min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        maximum = settings.SHARAKA_API_TOKEN_MAX_DAYS
        days = self.fields["days"]
        assert isinstance(days, forms.IntegerField)
        days.initial = settings.SHARAKA_API_TOKEN_DAYS
        days.max_value = maximum
        days.validators.append(MaxValueValidator(maximum))
        days.widget.attrs.update({"min": 1, "max": maximum})
        days.help_text = _("De 1 à %(max)s jours.") % {"max": maximum}


class ThrottledPasswordResetForm(TextGuardMixin, PasswordResetForm):
    """Django's reset form, sending at most ``SHARAKA_PASSWORD_RESET_PER_ACCOUNT`` e-mails an
    hour to one account; beyond, it quietly sends nothing (the page is the same)."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in super().get_users(email):
            if services.password_reset_account_allowed(user=user):
                yield user
