"""Convention forms. The clause form is built from the catalogue: one typed field per
parameter (three for a translated text), one row of fields per line of a table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.conventions import catalogue, rules
from sharaka.conventions.catalogue import ClauseSpec, Param, PType
from sharaka.conventions.models import (
    Clause,
    ConventionVersion,
    Deliberation,
    OversightOutcome,
    VersionStatus,
    VisaOutcome,
)
from sharaka.conventions.services import APPROVABLE, active_lang
from sharaka.core.bounds import POSITION_MAX
from sharaka.core.forms import DateInput, Form, field_of
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.directory.lookups import PEOPLE
from sharaka.directory.models import Organization

LANG_NAMES = {"fr": _("français"), "ar": _("arabe"), "en": _("anglais")}
BLANK_ROWS = 2


def _field_for(param: Param, lang: str, *, in_table: bool = False) -> forms.Field:
    label = param.label.get(lang)
    help_text = param.help.get(lang) if param.help else ""
    kind = param.type
    field: forms.Field
    if kind is PType.INT:
        field = forms.IntegerField(label=label, required=False, min_value=param.minimum,
                                   max_value=param.maximum)  # fmt: skip
    elif kind is PType.BOOL:
        field = forms.BooleanField(label=label, required=False)
    elif kind is PType.CHOICE:
        field = forms.ChoiceField(
            label=label, required=False,
            choices=[("", "—"), *[(code, text.get(lang)) for code, text in param.choices]],
        )  # fmt: skip
    elif kind is PType.MULTI:
        field = forms.MultipleChoiceField(
            label=label, required=False, widget=forms.CheckboxSelectMultiple,
            choices=[(code, text.get(lang)) for code, text in param.choices],
        )  # fmt: skip
    elif kind in (PType.FRACTION, PType.PERCENT):
        field = forms.CharField(label=label, required=False, max_length=24)
        field.widget.attrs["placeholder"] = "10 %" if kind is PType.PERCENT else "2/3"
        if not help_text and not in_table:
            help_text = str(_("Une fraction (2/3), un nombre décimal (0,5) ou un pourcentage "
                              "(50 %)."))  # fmt: skip
    elif kind is PType.MONEY:
        field = forms.CharField(label=label, required=False, max_length=24)
        field.widget.attrs["inputmode"] = "decimal"
    else:
        field = forms.CharField(label=label, required=False, max_length=300)
    field.help_text = help_text
    return field


def _initial(param: Param, value: Any) -> Any:
    if value is None:
        return None
    if param.type is PType.PERCENT:
        return rules.format_percent(rules.parse_fraction(value), "fr").replace("\u00a0", " ")
    if param.type is PType.MONEY:
        return str(value).replace(".", ",")
    return value


class ClauseForm(Form):
    """Parameters, optional texts and position of one clause."""

    def __init__(self, *args: Any, spec: ClauseSpec, clause: Clause | None = None,
                 starting: Mapping[str, Any] | None = None, **kwargs: Any) -> None:  # fmt: skip
        """``clause``: the clause edited; ``starting``: the parameters a clause not yet added
        starts with (``services.starting_params``)."""
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.lang = active_lang()
        params = (clause.params if clause else starting) or {}
        self.layout: list[dict[str, Any]] = []
        for param in spec.params:
            value = params.get(param.name)
            if param.type in (PType.TEXT, PType.LIST):
                names = []
                for lang in catalogue.LANGS:
                    name = f"{param.name}__{lang}"
                    field = forms.CharField(
                        label=f"{param.label.get(self.lang)} ({LANG_NAMES[lang]})",
                        required=False, widget=forms.Textarea(attrs={"rows": 3, "lang": lang,
                                                                     "dir": "auto"}),
                    )  # fmt: skip
                    if param.type is PType.LIST:
                        field.help_text = str(_("Un élément par ligne."))
                        field.initial = "\n".join((value or {}).get(lang, []))
                    else:
                        field.initial = (value or {}).get(lang, "")
                    self.fields[name] = field
                    names.append(name)
                self.layout.append({"kind": "i18n", "param": param, "names": names,
                                    "label": param.label.get(self.lang)})  # fmt: skip
            elif param.type is PType.TABLE:
                rows = list(value or [])
                count = len(rows) + BLANK_ROWS
                if self.is_bound:
                    count = max(count, self._bound_rows(param))
                grid = []
                for index in range(count):
                    row = rows[index] if index < len(rows) else {}
                    names = []
                    cell: forms.Field
                    for column in param.columns:
                        name = f"{param.name}__{index}__{column.name}"
                        cell = _field_for(column, self.lang, in_table=True)
                        cell.initial = _initial(column, row.get(column.name))
                        self.fields[name] = cell
                        names.append(name)
                    grid.append(names)
                self.layout.append({
                    "kind": "table", "param": param, "label": param.label.get(self.lang),
                    "headers": [c.label.get(self.lang) for c in param.columns], "rows": grid,
                })  # fmt: skip
            else:
                single = _field_for(param, self.lang)
                single.initial = _initial(param, value)
                self.fields[param.name] = single
                self.layout.append({"kind": "field", "param": param, "names": [param.name],
                                    "label": param.label.get(self.lang)})  # fmt: skip
        for kind in ("title", "text"):
            for lang in catalogue.LANGS:
                name = f"{kind}_{lang}"
                if kind == "title":
                    title = _("Titre (%(lang)s)") % {"lang": LANG_NAMES[lang]}
                    field = forms.CharField(label=title,
                                            required=False, max_length=200)  # fmt: skip
                else:
                    field = forms.CharField(
                        label=_("Texte (%(lang)s)") % {"lang": LANG_NAMES[lang]}, required=False,
                        widget=forms.Textarea(attrs={"rows": 4, "lang": lang, "dir": "auto"}),
                    )  # fmt: skip
                field.initial = getattr(clause, name, "") if clause else ""
                field.widget.attrs.setdefault("lang", lang)
                self.fields[name] = field
        self.fields["order"] = forms.IntegerField(
            label=_("Position"), required=False, min_value=0, max_value=POSITION_MAX,
            initial=clause.order if clause else None,
            help_text=_("Les articles sont numérotés dans l'ordre croissant des positions."),
        )  # fmt: skip
        self.error_fields = self._error_fields()

    def _bound_rows(self, param: Param) -> int:
        prefix = f"{param.name}__"
        indexes = [
            int(k[len(prefix) :].split("__", 1)[0])
            for k in self.data
            if k.startswith(prefix) and k[len(prefix) :].split("__", 1)[0].isdigit()
        ]
        return min(max(indexes, default=-1) + 1, 200)  # fmt: skip

    def params(self) -> dict[str, Any]:
        """The raw parameters for the service (which checks them against the schema)."""
        data = self.cleaned_data
        raw: dict[str, Any] = {}
        for item in self.layout:
            param: Param = item["param"]
            if item["kind"] == "i18n":
                values = {name.rsplit("__", 1)[1]: data.get(name) or "" for name in item["names"]}
                if param.type is PType.LIST:
                    raw[param.name] = {lang: text.splitlines() for lang, text in values.items()}
                else:
                    raw[param.name] = values
            elif item["kind"] == "table":
                rows = []
                for names in item["rows"]:
                    row = {}
                    for name, column in zip(names, param.columns, strict=True):
                        row[column.name] = data.get(name)
                    rows.append(row)
                raw[param.name] = rows
            else:
                value = data.get(param.name)
                raw[param.name] = value
        return raw

    def texts(self) -> dict[str, str]:
        return {f"{kind}_{lang}": self.cleaned_data.get(f"{kind}_{lang}") or ""
                for kind in ("title", "text") for lang in catalogue.LANGS}  # fmt: skip

    def _error_fields(self) -> dict[str, str]:
        """Where a service's refusal about a parameter goes (``core.forms.apply_domain_error``
        reads it): ``composition.2.seats`` is the field ``composition__2__seats``, and a
        translated text goes on its French field."""
        names = {name.replace("__", "."): name for name in self.fields if "__" in name}
        for item in self.layout:
            if item["kind"] == "i18n":
                names[item["param"].name] = f"{item['param'].name}__fr"
        return names

    def add_error(self, field: str | None, error: Any) -> None:
        """As Django's, but a message already shown on that field is not repeated."""
        if isinstance(error, str) and error in self.errors.get(field or NON_FIELD_ERRORS, []):
            return
        super().add_error(field, error)

    def content(self) -> dict[str, Any]:
        """The clause as the services take it: its ``params``, ``texts`` and ``order``."""
        return {"params": self.params(), "texts": self.texts(),
                "order": self.cleaned_data.get("order")}  # fmt: skip

    def error_lines(self) -> list[str]:
        """The form's errors as lines naming their field (``Label : message``)."""
        return [
            f"{self.fields[name].label} : {message}" if name in self.fields else str(message)
            for name, messages in self.errors.items()
            for message in messages
        ]

    def bound_layout(self) -> list[dict[str, Any]]:
        """The layout with bound fields, for the template."""
        result = []
        for item in self.layout:
            entry = dict(item)
            if item["kind"] == "table":
                entry["rows"] = [[self[name] for name in names] for names in item["rows"]]
            else:
                entry["fields"] = [self[name] for name in item["names"]]
            result.append(entry)
        return result


class AddClauseForm(Form):
    code = forms.ChoiceField(label=_("Clause du catalogue"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "code", forms.ChoiceField).choices = choices


class SignatoryForm(Form):
    organization = forms.ModelChoiceField(label=_("Organisation"),
                                          queryset=Organization.objects.none())  # fmt: skip
    # Searched in the directory as the user types, never listed whole (issue 19).
    person = LookupField(lookup=PEOPLE, label=_("Signataire"),
                         placeholder=_("Nom, prénom ou organisation…"))  # fmt: skip
    capacity = forms.CharField(label=_("Qualité"), max_length=200)
    mandate_reference = forms.CharField(
        label=_("Mandat"), max_length=300, required=False,
        help_text=_("Délibération, délégation de signature… qui l'habilite à signer."),
    )  # fmt: skip
    signed_on = forms.DateField(label=_("Signé le"), required=False, widget=DateInput())

    def __init__(self, *args: Any, partnership: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org_ids = {partnership.lead_authority_id,
                   *partnership.parties.values_list("organization_id", flat=True)}  # fmt: skip
        field_of(
            self, "organization", forms.ModelChoiceField
        ).queryset = Organization.objects.filter(pk__in=org_ids).order_by("name")
        field_of(self, "person", LookupField).scope_to(user)


class VersionTransitionForm(Form):
    to_status = forms.ChoiceField(label=_("Nouveau statut"))
    on = forms.DateField(label=_("Date de signature"), required=False, widget=DateInput(),
                         help_text=_("Pour les signataires dont la date n'est pas saisie ; "
                                     "aujourd'hui si vide."))  # fmt: skip
    effective_date = forms.DateField(
        label=_("Date d'effet"), required=False, widget=DateInput(),
        help_text=_("Obligatoire pour l'entrée en vigueur ; pour un avenant, postérieure à celle "
                    "de la version modifiée."),
    )  # fmt: skip
    confirm = forms.BooleanField(label=_("Je confirme ce changement."), required=True)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "to_status", forms.ChoiceField).choices = choices

    @property
    def signing(self) -> bool:
        return self.data.get("to_status") == VersionStatus.SIGNED or (
            self.initial.get("to_status") == VersionStatus.SIGNED
        )


class AmendmentForm(Form):
    purpose = forms.CharField(label=_("Objet de l'avenant"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip


class SignedCopyForm(Form):
    signed_copy = forms.FileField(
        label=_("Copie signée numérisée"),
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DeliberationForm(Form):
    """A public party's council deliberation and its oversight (record and edit)."""

    version: forms.ModelChoiceField[ConventionVersion] = forms.ModelChoiceField(
        label=_("Version approuvée"), queryset=ConventionVersion.objects.none()
    )
    number = forms.CharField(label=_("Numéro de la délibération"), max_length=100)
    session_date = forms.DateField(label=_("Date de la séance"), widget=DateInput())
    document = forms.FileField(
        label=_("Délibération (document)"), required=False,
        help_text=upload_help(gettext_noop("PDF, JPEG ou PNG, %(max)s Mo au plus.")),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )  # fmt: skip
    transmitted_on = forms.DateField(
        label=_("Transmise au gouverneur le"), required=False, widget=DateInput(),
        help_text=_("Dans les 15 jours ouvrables de la séance (loi organique 113-14, art. 116)."),
    )  # fmt: skip
    oversight = forms.ChoiceField(
        label=_("Contrôle de tutelle"), choices=OversightOutcome.choices,
        help_text=_("Opposition possible dans les 3 jours ouvrables de la réception (art. 117)."),
    )  # fmt: skip
    objection_follow_up = forms.CharField(
        label=_("Suite donnée à l'opposition"), required=False, widget=forms.Textarea(
            attrs={"rows": 2}), max_length=2000,
    )  # fmt: skip
    financial_effect = forms.BooleanField(
        label=_("Incidence financière (visa requis)"), required=False,
        help_text=_("Visa dans les 20 jours ; sans réponse, il est réputé accordé (art. 118)."),
    )  # fmt: skip
    visa = forms.ChoiceField(label=_("Visa"), choices=VisaOutcome.choices)

    def __init__(
        self, *args: Any, partnership: Any, instance: Deliberation | None = None, **kwargs: Any
    ) -> None:
        if instance is not None and not args:
            kwargs.setdefault("initial", {
                name: getattr(instance, name) for name in (
                    "version", "number", "session_date", "transmitted_on", "oversight",
                    "objection_follow_up", "financial_effect", "visa")
            })  # fmt: skip
        super().__init__(*args, **kwargs)
        field_of(
            self, "version", forms.ModelChoiceField
        ).queryset = ConventionVersion.objects.filter(
            convention__partnership=partnership, status__in=APPROVABLE
        ).order_by("-number")
