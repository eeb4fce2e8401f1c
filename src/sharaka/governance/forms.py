from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sharaka.core.forms import DateInput, Form, ModelForm, check_period, field_of, label_choices
from sharaka.core.lookups import LookupField
from sharaka.directory.lookups import PEOPLE
from sharaka.directory.models import Organization
from sharaka.governance.board_templates import EXPERTS, TEMPLATES, ProposedRow
from sharaka.governance.composition import Group, counts_of
from sharaka.governance.fractions import validate_share
from sharaka.governance.models import (
    Base,
    BoardCollege,
    Expertise,
    FallbackMethod,
    GovernanceSettings,
    Mandate,
    Method,
    OfficerRole,
)
from sharaka.governance.rules.values import Rule
from sharaka.governance.selectors import Composition, rule_from_fields
from sharaka.governance.services import SETTINGS_FIELDS

MAX_SEATS_PER_ROW = 40


def _count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_SEATS_PER_ROW,
        initial=0,
        widget=forms.NumberInput(attrs={"class": "count"}),
    )


# --- Board creation from a template ------------------------------------------------------------


class BoardCreateForm(Form):
    """The new board's name and date, with its seats (``formset``, one row per group):
    valid when both are."""

    template = forms.ChoiceField(
        label=_("Modèle proposé"), choices=[(t.code, t.label) for t in TEMPLATES.values()]
    )
    name = forms.CharField(
        label=_("Nom du conseil"), max_length=150, initial="Conseil d'administration"
    )
    established_on = forms.DateField(
        label=_("Date d'installation"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args: Any, formset: BaseCompositionFormSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.formset = formset

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return self.formset.is_valid() and valid


#: The organisation choice meaning "independent experts" (seats without an organisation).
INDEPENDENT = "experts"


def organization_choice(organization_id: int | None) -> str:
    return INDEPENDENT if organization_id is None else str(organization_id)


def proposal_initial(rows: Sequence[ProposedRow]) -> list[dict[str, Any]]:
    """The rows a board template proposes, as the composition formset's initial data."""
    return [
        {
            "include": r.include,
            "organization": organization_choice(r.organization_id),
            "college": r.college,
            "voting": r.voting,
            "advisory": r.advisory,
        }
        for r in rows
    ]


def composition_initial(comp: Composition) -> list[dict[str, Any]]:
    """The board's seats today, one row per organisation and college (voting and advisory
    seats side by side), in the order of the colleges: the simulator's initial data."""
    counts = counts_of(comp.seat_states)
    order = {block.college.code: i for i, block in enumerate(comp.colleges)}
    rows: dict[tuple[int | None, str], dict[str, Any]] = {}
    for group, count in counts.items():
        row = rows.setdefault(
            (group.organization_id, group.college),
            {
                "organization": organization_choice(group.organization_id),
                "college": group.college,
                "voting": 0,
                "advisory": 0,
            },
        )
        row["voting" if group.voting else "advisory"] += count
    return [
        rows[key]
        for key in sorted(rows, key=lambda k: (order.get(k[1], 99), k[0] is None, k[0] or 0))
    ]


class CompositionRowForm(Form):
    """One group of seats: an organisation (or independent experts) in a college.

    A row with no seat is ignored, so an empty row can be left at the end for additions.
    ``cleaned_data["organization_id"]`` is the organisation's id, ``None`` for experts.
    """

    include = forms.BooleanField(label=_("Retenir"), required=False, initial=True)
    organization = forms.ChoiceField(label=_("Organisation"), required=False)
    college = forms.ChoiceField(label=_("Collège"), required=False)
    voting = _count_field(_("Sièges votants"))
    advisory = _count_field(_("Sièges consultatifs"))

    def __init__(
        self,
        *args: Any,
        organizations: Sequence[tuple[int, str]] = (),
        colleges: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organization", forms.ChoiceField).choices = [
            ("", _("— choisir —")),
            (INDEPENDENT, _("Experts indépendants")),
            *((str(pk), name) for pk, name in organizations),
        ]
        field_of(self, "college", forms.ChoiceField).choices = [("", "—"), *colleges]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        voting, advisory = data.get("voting") or 0, data.get("advisory") or 0
        if not data.get("include", True) or not (voting or advisory):
            return data  # a row that asks for no seat counts for nothing
        organization = data.get("organization") or ""
        if not organization:
            self.add_error("organization", _("Choisissez une organisation."))
        if not data.get("college"):
            self.add_error("college", _("Choisissez un collège."))
        if voting and organization == INDEPENDENT:
            self.add_error(
                "voting", _("Des experts indépendants siègent avec voix consultative seulement.")
            )
        if voting and data.get("college") == EXPERTS:
            self.add_error("voting", _("Le collège des experts est consultatif."))
        if organization and organization != INDEPENDENT:
            data["organization_id"] = int(organization)
        elif organization:
            data["organization_id"] = None
        return data


class BaseCompositionFormSet(forms.BaseFormSet[CompositionRowForm]):
    def __init__(
        self,
        *args: Any,
        organizations: Sequence[tuple[int, str]] = (),
        colleges: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        self.organizations, self.colleges = organizations, colleges
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {"organizations": self.organizations, "colleges": self.colleges}

    def target(self) -> dict[Group, int]:
        """Seats per group asked by the valid rows (rows not retained count for nothing)."""
        target: dict[Group, int] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data.get("include", True) or "organization_id" not in data:
                continue
            organization = data["organization_id"]
            for voting, count in (
                (True, data.get("voting") or 0),
                (False, data.get("advisory") or 0),
            ):
                if count:
                    group = Group(organization, data["college"], voting)
                    target[group] = target.get(group, 0) + count
        return target

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(g.voting for g in self.target()):
            raise forms.ValidationError(_("Le conseil doit compter au moins un siège votant."))


class SimulationRowForm(CompositionRowForm):
    """A row of the simulator: every row counts (no "retain" box; 0 seats removes a group)."""

    include = None  # type: ignore[assignment]


CompositionFormSet = cast(
    type[BaseCompositionFormSet],
    forms.formset_factory(
        CompositionRowForm,
        formset=BaseCompositionFormSet,
        extra=0,
        max_num=60,
        validate_max=True,
    ),
)
SimulationFormSet = cast(
    type[BaseCompositionFormSet],
    forms.formset_factory(
        SimulationRowForm,
        formset=BaseCompositionFormSet,
        extra=1,
        max_num=60,
        validate_max=True,
    ),
)


# --- What-if simulator: the decision rule ------------------------------------------------------


class RuleForm(Form):
    method = forms.ChoiceField(label=_("Mode de décision"), choices=Method.choices)
    threshold = forms.CharField(label=_("Seuil"), max_length=20, validators=[validate_share])
    base = forms.ChoiceField(label=_("Base"), choices=Base.choices)
    quorum = forms.CharField(label=_("Quorum"), max_length=20, validators=[validate_share])
    fallback_method = forms.ChoiceField(
        label=_("Repli"), choices=FallbackMethod.choices, required=False
    )
    fallback_threshold = forms.CharField(
        label=_("Seuil du repli"), max_length=20, validators=[validate_share]
    )
    fallback_base = forms.ChoiceField(label=_("Base du repli"), choices=Base.choices)
    fallback_from_round = forms.IntegerField(
        label=_("Repli à partir du tour"), min_value=2, max_value=9
    )

    @staticmethod
    def initial_for(rule: Rule) -> dict[str, Any]:
        """The form's values for ``rule`` (the rule in force, for the simulator)."""
        fallback = rule.fallback
        return {
            "method": rule.method.value,
            "threshold": str(rule.threshold or "2/3"),
            "base": rule.base.value,
            "quorum": str(rule.effective_quorum.fraction),
            "fallback_method": fallback.rule.method.value if fallback else "",
            "fallback_threshold": str((fallback.rule.threshold if fallback else None) or "2/3"),
            "fallback_base": fallback.rule.base.value if fallback else "present",
            "fallback_from_round": fallback.from_round if fallback else 2,
        }

    def rule(self, *, base: Rule) -> Rule | None:
        """The rule the (valid) form describes, on the rule in force ``base``; ``None`` with
        the engine's reason on the form if the engine refuses it."""
        try:
            return rule_from_fields(self.cleaned_data, base=base)
        except ValueError as error:
            self.add_error(None, str(error))
            return None

    def changed_fields(self) -> dict[str, Any] | None:
        """All the rule's fields (blank for none) when the user changed any, else ``None``."""
        data = self.cleaned_data
        if all(str(self.initial.get(k)) == str(v) for k, v in data.items()):
            return None
        return {k: (v if v is not None else "") for k, v in data.items()}


class SimulationApplyForm(Form):
    """Confirms applying a simulation: bound only when the user confirmed (``confirm=1``),
    so the first request shows what would change."""

    confirm = forms.CharField(widget=forms.HiddenInput, initial="1")


# --- Seats, mandates, officers ---------------------------------------------------------------


class SeatForm(Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation représentée"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("— (expert indépendant)"),
    )
    college = forms.ModelChoiceField(label=_("Collège"), queryset=BoardCollege.objects.none())
    voting = forms.BooleanField(label=_("Voix délibérative"), required=False, initial=True)
    expertise = forms.ChoiceField(
        label=_("Expertise (sièges consultatifs)"), choices=Expertise.choices, required=False
    )
    label = forms.CharField(label=_("Libellé"), max_length=150, required=False)

    def __init__(self, *args: Any, organizations: Any, colleges: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "organization", forms.ModelChoiceField).queryset = organizations
        field_of(self, "college", forms.ModelChoiceField).queryset = colleges


class SeatCreateForm(SeatForm):
    established_on = forms.DateField(
        label=_("Créé le"), widget=DateInput(), initial=timezone.localdate
    )


class MandateForm(Form):
    # Anyone of the directory may be seated (an independent expert belongs to no party):
    # searched as the user types, never listed whole (issue 19).
    person = LookupField(lookup=PEOPLE, label=_("Personne"),
                         placeholder=_("Nom, prénom ou organisation…"))  # fmt: skip
    on_behalf_of = forms.ModelChoiceField(
        label=_("Au nom de"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Par défaut : l'organisation du siège."),
    )
    start_date = forms.DateField(label=_("Début"), widget=DateInput(), initial=timezone.localdate)
    end_date = forms.DateField(
        label=_("Fin (dernier jour)"),
        widget=DateInput(),
        required=False,
        help_text=_("Laisser vide si la fin n'est pas encore connue."),
    )

    def __init__(self, *args: Any, user: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", LookupField).scope_to(user)
        field_of(self, "on_behalf_of", forms.ModelChoiceField).queryset = organizations

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_period(self, data, _("La fin du mandat précède son début."))
        return data


class OfficerEndForm(Form):
    """The end of an office: its last day."""

    end_date = forms.DateField(
        label=_("Dernier jour"), widget=DateInput(), initial=timezone.localdate
    )


class EndForm(OfficerEndForm):
    """The end of a mandate: its last day and why."""

    reason = forms.CharField(label=_("Motif"), max_length=200, required=False)


class OfficerForm(Form):
    role = forms.ChoiceField(label=_("Fonction"), choices=OfficerRole.choices)
    mandate = forms.ModelChoiceField(label=_("Membre du conseil"), queryset=Mandate.objects.none())
    start_date = forms.DateField(label=_("Début"), widget=DateInput(), initial=timezone.localdate)
    appointment_note = forms.CharField(
        label=_("Nomination"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : élu·e par le conseil du 12 janvier 2025."),
    )

    def __init__(self, *args: Any, mandates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = field_of(self, "mandate", forms.ModelChoiceField)
        field.queryset = mandates
        label_choices(field, lambda m: f"{m.person} — {m.seat}")


# --- Settings and colleges -------------------------------------------------------------------


class GovernanceSettingsForm(ModelForm[GovernanceSettings]):
    required_colleges = forms.MultipleChoiceField(
        label=_("Collèges obligatoires"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chacun doit avoir au moins un siège votant."),
    )

    class Meta:
        model = GovernanceSettings
        fields = SETTINGS_FIELDS

    def __init__(self, *args: Any, colleges: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "required_colleges", forms.ChoiceField).choices = list(colleges)


class CollegeForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=32)
    label = forms.CharField(label=_("Libellé"), max_length=100)
    order = forms.IntegerField(label=_("Ordre"), min_value=0, max_value=999, initial=100)


class CollegeEditForm(Form):
    label = forms.CharField(label=_("Libellé"), max_length=100)
    order = forms.IntegerField(label=_("Ordre"), min_value=0, max_value=999)


class CollegeDeleteForm(Form):
    """Asks to delete a college (its edit address also renames it)."""

    delete = forms.CharField(widget=forms.HiddenInput, initial="1")
