from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sharaka.core.access import Role, roles_for
from sharaka.core.forms import DateInput, Form, ModelForm, check_period, field_of
from sharaka.core.lookups import LookupField
from sharaka.directory.lookups import AUTHORITIES, ORGANIZATIONS
from sharaka.partnerships import selectors
from sharaka.partnerships.models import (
    GrantRole,
    Partnership,
    PartyRole,
    Sector,
    StatusChoice,
)
from sharaka.partnerships.services import PARTNERSHIP_FIELDS


class PartnershipForm(ModelForm[Partnership]):
    class Meta:
        model = Partnership
        fields = PARTNERSHIP_FIELDS
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "slug": _("Lettres minuscules, chiffres et tirets ; laissé vide, il est tiré de "
                      "l'intitulé."),
        }  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        authorities = selectors.authority_choices()
        if Role.PLATFORM_ADMIN not in roles_for(user) and user.organization_id:
            authorities = authorities.filter(pk=user.organization_id)
        field_of(self, "lead_authority", forms.ModelChoiceField).queryset = authorities

    def clean_slug(self) -> str:
        """Left empty on an existing partnership, the slug stays as it is (its address is
        in links and on the public portal); on a new one it is derived from the title."""
        slug: str = self.cleaned_data.get("slug") or ""
        if not slug and self.instance.pk:
            return self.instance.slug
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, data, _("La date de fin doit suivre la date de début."))
        return data


class PartnershipFilterForm(Form):
    q = forms.CharField(label=_("Rechercher"), required=False)
    sector = forms.ChoiceField(
        label=_("Secteur"), required=False, choices=[("", _("Tous")), *Sector.choices]
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, choices=[("", _("Tous")), *StatusChoice.choices]
    )
    # A search among the authorities, not a list of all of them (issue 19: 1,500 communes).
    authority = LookupField(
        lookup=AUTHORITIES, label=_("Collectivité"), required=False,
        placeholder=_("Toutes — tapez un nom…"),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "authority", LookupField).scope_to(user)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": _("Intitulé…")})


class TransitionForm(Form):
    to_status = forms.ChoiceField(label=_("Nouveau statut"))
    note = forms.CharField(
        label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_status", forms.ChoiceField).choices = [
            (o.status, o.label) for o in selectors.transition_options(partnership)
        ]


class PartyForm(Form):
    # Any organisation of the directory may become a party: searched, never listed whole.
    organization = LookupField(
        lookup=ORGANIZATIONS, label=_("Organisation"), placeholder=_("Tapez un nom…")
    )
    role = forms.ChoiceField(
        label=_("Rôle"), choices=[c for c in PartyRole.choices if c[0] != PartyRole.LEAD]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organization", LookupField).scope_to(user)


class GrantForm(Form):
    username = forms.CharField(label=_("Identifiant de l'utilisateur"))
    role = forms.ChoiceField(label=_("Rôle"), choices=GrantRole.choices)

    def clean_username(self) -> Any:
        from django.contrib.auth import get_user_model

        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("Aucun utilisateur actif ne porte cet identifiant."))
        return user
