from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from sharaka.core.forms import Form, ModelForm, field_of
from sharaka.core.lookups import LookupField
from sharaka.core.uploads import upload_help
from sharaka.directory.lookups import ASSOCIATIONS
from sharaka.governance.models import OfficerRole
from sharaka.meetings import rules, uploads
from sharaka.meetings.models import (
    AgendaItem,
    Choice,
    DecisionKindChoice,
    ItemKindChoice,
    Meeting,
    Minutes,
    PresenceChoice,
    SignatureRole,
    VotingModeChoice,
)
from sharaka.meetings.selectors import Roll


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(ModelForm[Meeting]):
    video_link = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = ("title", "kind", "starts_at", "ends_at", "place", "video_link")
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        help_texts = {
            "title": _("Facultatif, par exemple « Session ordinaire de printemps »."),
            "place": _("Le lieu, ou laissez vide pour une réunion en visioconférence."),
        }


class ItemForm(ModelForm[AgendaItem]):
    association = LookupField(
        lookup=ASSOCIATIONS, label=_("Association concernée"), required=False,
        placeholder=_("Tapez un nom…"),
        help_text=_("Un point qui concerne une association : un élu membre de son bureau doit "
                    "déclarer son intérêt avant le vote (loi 113-14, art. 65)."),
    )  # fmt: skip

    class Meta:
        model = AgendaItem
        fields = ("kind", "title", "description", "minutes_to_approve", "association")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: Any, minutes_choices: Any = None, user: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "association", LookupField).scope_to(user)
        field = self.fields["minutes_to_approve"]
        field.queryset = minutes_choices if minutes_choices is not None else Minutes.objects.none()  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: str(m.meeting)  # type: ignore[attr-defined]
        field.help_text = _("Pour un point « approbation du procès-verbal précédent ».")


class DocumentForm(Form):
    title = forms.CharField(label=_("Titre"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=upload_help(
            gettext_noop("%(formats)s ; %(max)s Mo au plus."), uploads.ALLOWED_LABEL
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg"}),
    )
    item = forms.ModelChoiceField(
        label=_("Point de l'ordre du jour"), queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = AgendaItem.objects.filter(meeting=meeting).order_by(  # type: ignore[attr-defined]
            "position"
        )


class ReconveneForm(Form):
    starts_at = forms.DateTimeField(
        label=_("Date et heure de la seconde réunion"), widget=DateTimeInput()
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    video_link = forms.URLField(
        label=_("Lien de visioconférence"), required=False, assume_scheme="https"
    )


class AttendanceForm(Form):
    """One row per board member: presence, and for a proxy its holder and written reference."""

    def __init__(self, *args: Any, roll: Roll, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.roll = roll
        holders = [("", "—")] + [(str(r.mandate.pk), r.name) for r in roll.voting]
        for row in roll.members:
            record = roll.attendance.get(row.mandate.pk)
            prefix = f"m{row.mandate.pk}"
            choices = (
                PresenceChoice.choices
                if row.voting
                else [c for c in PresenceChoice.choices if c[0] != PresenceChoice.PROXY]
            )
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=_("Présence de %(name)s") % {"name": row.name},
                choices=[("", "—"), *choices],
                required=False,
                initial=record.status if record else "",
            )
            if row.voting:
                self.fields[f"{prefix}_holder"] = forms.ChoiceField(
                    label=_("Pouvoir donné à"),
                    required=False,
                    choices=[h for h in holders if h[0] != str(row.mandate.pk)],
                    initial=str(record.proxy_holder_id)
                    if record and record.proxy_holder_id
                    else "",
                )
                self.fields[f"{prefix}_reference"] = forms.CharField(
                    label=_("Référence du pouvoir écrit"),
                    max_length=200,
                    required=False,
                    initial=record.proxy_reference if record else "",
                )

    def rows(self) -> list[dict[str, Any]]:
        result = []
        for row in self.roll.members:
            prefix = f"m{row.mandate.pk}"
            result.append(
                {
                    "member": row,
                    "status": self[f"{prefix}_status"],
                    "holder": self[f"{prefix}_holder"] if row.voting else None,
                    "reference": self[f"{prefix}_reference"] if row.voting else None,
                }
            )
        return result

    def entries(self) -> dict[int, tuple[str, int | None, str]]:
        """(status, holder mandate id, reference) for each member whose presence is set."""
        result = {}
        for row in self.roll.members:
            prefix = f"m{row.mandate.pk}"
            status = self.cleaned_data.get(f"{prefix}_status") or ""
            if not status:
                continue
            holder = self.cleaned_data.get(f"{prefix}_holder") or ""
            reference = self.cleaned_data.get(f"{prefix}_reference") or ""
            result[row.mandate.pk] = (status, int(holder) if holder else None, reference)
        return result


class RecusalForm(Form):
    mandate = forms.TypedChoiceField(label=_("Membre"), coerce=int, required=False)
    reason = forms.CharField(label=_("Motif (facultatif)"), max_length=300, required=False)

    def __init__(
        self, *args: Any, roll: Roll, own_mandate: int | None, manage: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if manage:
            self.fields["mandate"].choices = [(r.mandate.pk, r.name) for r in roll.voting]  # type: ignore[attr-defined]
            self.fields["mandate"].required = True
            if own_mandate:
                self.fields["mandate"].initial = own_mandate
        else:
            del self.fields["mandate"]


class MotionForm(Form):
    text = forms.CharField(
        label=_("Texte soumis au vote"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que le conseil décide s'il adopte la motion."),
    )
    voting_mode = forms.ChoiceField(
        label=_("Mode de scrutin"),
        choices=VotingModeChoice.choices,
        initial=VotingModeChoice.SHOW_OF_HANDS,
    )
    decision_kind = forms.ChoiceField(
        label=_("Nature de la décision"), choices=DecisionKindChoice.choices
    )
    appoint_role = forms.ChoiceField(
        label=_("Fonction à pourvoir"),
        required=False,
        choices=[("", _("— aucune —")), *OfficerRole.choices],
        help_text=_("Pour une nomination au bureau : la fonction et le membre proposé."),
    )
    appoint_mandate = forms.TypedChoiceField(
        label=_("Membre proposé"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, roll: Roll, item: AgendaItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision_kind"].initial = rules.default_decision_kind(
            rules.ItemKind(item.kind)
        ).value
        self.fields["appoint_mandate"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (r.mandate.pk, r.name) for r in roll.voting
        ]
        if not self.is_bound:
            self.fields["text"].initial = item.title
        if item.kind != ItemKindChoice.ELECTION:
            del self.fields["appoint_role"]
            del self.fields["appoint_mandate"]


class CastForm(Form):
    choice = forms.ChoiceField(
        label=_("Votre vote"), choices=Choice.choices, widget=forms.RadioSelect
    )
    for_mandate = forms.TypedChoiceField(
        coerce=int, required=False, empty_value=None, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, for_mandate: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["for_mandate"].choices = [("", "")] + (  # type: ignore[attr-defined]
            [(for_mandate, str(for_mandate))] if for_mandate else []
        )
        self.fields["for_mandate"].initial = for_mandate
        if for_mandate:
            self.prefix = f"p{for_mandate}"


class RecordForm(Form):
    """The secretary's sheet for a show of hands: one choice per member not yet recorded."""

    def __init__(self, *args: Any, voters: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.voters = voters
        for row in voters:
            self.fields[f"m{row.mandate.pk}"] = forms.ChoiceField(
                label=row.name, required=False, choices=[("", "—"), *Choice.choices]
            )

    def choices(self) -> dict[int, str]:
        return {
            row.mandate.pk: self.cleaned_data.get(f"m{row.mandate.pk}") or "" for row in self.voters
        }


class MinutesForm(Form):
    opening_text = forms.CharField(
        label=_("Ouverture de la séance"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closing_text = forms.CharField(
        label=_("Clôture de la séance"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, minutes: Minutes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.minutes = minutes
        notes = minutes.item_notes or {}
        self.fields["opening_text"].initial = minutes.opening_text
        self.fields["closing_text"].initial = minutes.closing_text
        for item in minutes.content.get("items", []):
            position = str(item["position"])
            self.fields[f"item_{position}"] = forms.CharField(
                label=_("Point %(n)s — %(title)s") % {"n": position, "title": item["title"]},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=notes.get(position, ""),
            )

        # the debates of each item between the opening and the closing of the session
        self.order_fields(["opening_text", *self.item_names(), "closing_text"])

    def item_names(self) -> list[str]:
        return [name for name in self.fields if name.startswith("item_")]

    def item_notes(self) -> dict[str, str]:
        return {
            name.removeprefix("item_"): self.cleaned_data.get(name) or ""
            for name in self.item_names()
        }


class MoveForm(Form):
    """Move an agenda item up or down (the buttons of the meeting page post it)."""

    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")], required=False, widget=forms.HiddenInput
    )


class SignForm(Form):
    role = forms.ChoiceField(label=_("Signer en qualité de"), choices=SignatureRole.choices)


class ErratumForm(Form):
    text = forms.CharField(
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Le procès-verbal signé ne change pas : l'erratum y renvoie et s'affiche avec lui."
        ),
    )


class DecisionFilterForm(Form):
    q = forms.CharField(label=_("Rechercher"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Année"), coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Nature"), required=False, choices=[("", _("Toutes")), *DecisionKindChoice.choices]
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Toutes")), *((y, str(y)) for y in years)]  # type: ignore[attr-defined]
