"""Conflicts of interest (law 113-14 art. 65, ADR 0030): reads in a fixed number of queries,
and the declaration, which applies the meetings' recusal.

An elected member (``Councillor``) of an authority who sits on the bureau
(``BureauMember``) of an association, while the authority and the association are parties
to one same partnership (not terminated), is in conflict (``rules.conflicts``); they declare
it (``ConflictDeclaration``) before any vote concerning that association. The partnership,
board and meeting pages read the conflicts through ``partnerships.ports``."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.core.access import Perm, signed_in
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.todo import TodoItem, Urgency, todo_label
from sharaka.core.types import Actor
from sharaka.directory.models import AUTHORITY_KINDS, Organization, OrganizationKind, Person
from sharaka.governance.models import Mandate
from sharaka.meetings import rules as meeting_rules
from sharaka.meetings.models import AgendaItem, Ballot, Motion, Recusal
from sharaka.partners import access, rules
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import BureauMember, ConflictDeclaration, Councillor
from sharaka.partnerships.models import Partnership, Party, StatusChoice
from sharaka.partnerships.ports import ConflictLine

#: A meeting whose items a declaration still recuses the member from.
_BEFORE_VOTE = (
    meeting_rules.MeetingStatus.PLANNED,
    meeting_rules.MeetingStatus.CONVENED,
    meeting_rules.MeetingStatus.HELD,
)


def _sitting(on: dt.date) -> Q:
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


def conflicts_find(
    *, authority_id: int | None = None, association_id: int | None = None,
    person_id: int | None = None, partnership: Partnership | None = None,
    on: dt.date | None = None,
) -> list[ConflictLine]:  # fmt: skip
    """The conflicts of interest within the given bounds, declared or not, in a stable
    order. 4 queries at most, whatever the data: the sitting councillors, their bureau
    seats, the partnerships linking them, the declarations."""
    on = on or timezone.localdate()
    councillors = Councillor.objects.filter(_sitting(on))
    bureau = BureauMember.objects.filter(_sitting(on))
    links = Party.objects.exclude(partnership__status=StatusChoice.TERMINATED)
    if authority_id is not None:
        councillors = councillors.filter(authority_id=authority_id)
    if association_id is not None:
        bureau = bureau.filter(association_id=association_id)
    if person_id is not None:
        councillors = councillors.filter(person_id=person_id)
    if partnership is not None:
        parties = partnership.parties.values("organization_id")
        councillors = councillors.filter(authority_id__in=parties)
        bureau = bureau.filter(association_id__in=parties)
        links = links.filter(partnership=partnership)
    seats = list(councillors.select_related("person", "authority"))
    if not seats:
        return []
    members = list(
        bureau.filter(person_id__in={s.person_id for s in seats}).select_related("association")
    )
    if not members:
        return []
    authority_ids = {s.authority_id for s in seats}
    association_ids = {m.association_id for m in members}
    pairs = set(
        links.filter(
            organization_id__in=association_ids,
            partnership__parties__organization_id__in=authority_ids,
        ).values_list("partnership__parties__organization_id", "organization_id")
    )
    found = rules.conflicts(
        [(s.person_id, s.authority_id) for s in seats],
        [(m.person_id, m.association_id) for m in members],
        pairs,
    )
    if not found:
        return []
    declared = {
        (d.person_id, d.authority_id, d.association_id): d.declared_at
        for d in ConflictDeclaration.objects.filter(
            person_id__in={c.person for c in found}, authority_id__in=authority_ids,
            association_id__in=association_ids,
        ).only("person_id", "authority_id", "association_id", "declared_at")
    }  # fmt: skip
    people = {s.person_id: s.person for s in seats}
    authorities = {s.authority_id: s.authority for s in seats}
    associations = {m.association_id: m.association for m in members}
    return [
        ConflictLine(
            person_id=c.person,
            person=str(people[c.person]),
            authority_id=c.authority,
            authority=authorities[c.authority].name,
            association_id=c.association,
            association=associations[c.association].name,
            declared_at=declared.get((c.person, c.authority, c.association)),
        )
        for c in sorted(found)
    ]


def partnership_conflicts(partnership: Partnership) -> list[ConflictLine]:
    """The port ``partnerships.ports.conflicts_of_interest``. 4 queries at most."""
    return conflicts_find(partnership=partnership)


# --- The declaration ----------------------------------------------------------------------------


def _may_declare(by: Actor | None, authority_id: int, person: Person) -> None:
    """The member themself, or an officer of the authority (404 to anyone else)."""
    if person.pk is not None and getattr(by, "person_id", None) == person.pk:
        return
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority_id)


def declaration_subject_get(
    *, user: Actor | None, authority_id: int, association_id: int, person_id: int
) -> tuple[Organization, Organization, Person]:
    """The authority, association and member of a declaration ``user`` may record (the
    member, or an officer of the authority); 404 otherwise. 2 queries."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    _may_declare(user, authority_id, person)
    organizations = Organization.objects.in_bulk([authority_id, association_id])
    if authority_id not in organizations or association_id not in organizations:
        raise NotFound()
    return organizations[authority_id], organizations[association_id], person


@transaction.atomic
def conflict_declare(
    *, by: Actor, authority: Organization, association: Organization, person: Person,
    text: str, on: dt.date | None = None,
) -> ConflictDeclaration:  # fmt: skip
    """Record an elected member's declaration of their interest in ``association`` (by the
    member, or by an officer of the authority for them), then recuse the member from every
    agenda item concerning the association in the authority's partnerships' meetings not
    yet voted on (``meetings.Recusal``). A refusal changes nothing."""
    _may_declare(by, authority.pk, person)
    on = on or timezone.localdate()
    if authority.kind not in AUTHORITY_KINDS or association.kind != OrganizationKind.ASSOCIATION:
        raise DomainError(
            Code.NO_CONFLICT, gettext("Une déclaration lie une collectivité et une association."),
            field="association",
        )  # fmt: skip
    if not text.strip():
        raise DomainError(
            Code.TEXT_REQUIRED, gettext("Écrivez la déclaration : quel intérêt, depuis quand."),
            field="text",
        )  # fmt: skip
    sits = Councillor.objects.filter(_sitting(on), authority=authority, person=person).exists()
    member = BureauMember.objects.filter(_sitting(on), association=association, person=person)
    if not (sits and member.exists()):
        raise DomainError(
            Code.NO_CONFLICT,
            gettext("%(person)s n'est pas à la fois élu·e de %(authority)s et membre du bureau "
                    "de %(association)s.")
            % {"person": person, "authority": authority.name, "association": association.name},
            field="person",
        )  # fmt: skip
    if ConflictDeclaration.objects.filter(
        authority=authority, association=association, person=person
    ).exists():
        raise DomainError(
            Code.ALREADY_DECLARED,
            gettext("%(person)s a déjà déclaré cet intérêt.") % {"person": person},
            field="person",
        )
    declaration = ConflictDeclaration.objects.create(
        authority=authority, association=association, person=person, text=text.strip(),
        declared_by=signed_in(by),
    )  # fmt: skip
    recusals_apply(declaration)
    return declaration


def recusals_apply(declaration: ConflictDeclaration) -> list[Recusal]:
    """Recuse the declaring member from the items concerning the association, in the
    meetings (not yet past their session) of the partnerships where the authority is a
    party, where they hold a voting seat; an item already voted on, or with a vote open,
    is left as it is (the meetings' rule: a conflict is declared before the vote)."""
    items = list(
        AgendaItem.objects.filter(
            association_id=declaration.association_id,
            meeting__status__in=[str(s) for s in _BEFORE_VOTE],
            meeting__partnership__parties__organization_id=declaration.authority_id,
        )
        .exclude(recusals__mandate__person_id=declaration.person_id)
        .select_related("meeting")
        .distinct()
    )
    if not items:
        return []
    mandates = list(
        Mandate.objects.filter(
            person_id=declaration.person_id, seat__voting=True,
            seat__board__partnership_id__in={i.meeting.partnership_id for i in items},
        ).select_related("seat__board")
    )  # fmt: skip
    voted = set(Motion.objects.filter(item__in=items).values_list("item_id", flat=True)) | set(
        Ballot.objects.filter(motion__item__in=items).values_list("motion__item_id", flat=True)
    )
    created = []
    for item in items:
        if item.pk in voted:
            continue
        day = item.meeting.day
        for mandate in mandates:
            if mandate.seat.board.partnership_id == item.meeting.partnership_id and (
                mandate.active_on(day)
            ):
                created.append(
                    Recusal.objects.create(
                        item=item,
                        mandate=mandate,
                        declared_by=declaration.declared_by,
                        reason=gettext("Intérêt déclaré (loi 113-14, art. 65) : %(text)s")
                        % {"text": declaration.text[:200]},
                    )
                )
    return created


# --- The to-do list (``core.todo``) ------------------------------------------------------------


def declare_url(line: ConflictLine) -> str:
    return reverse(
        "partners:conflict_declare",
        kwargs={"authority": line.authority_id, "association": line.association_id,
                "person": line.person_id},
    )  # fmt: skip


def todo_missing_declarations(user: Actor, today: dt.date) -> list[TodoItem]:
    """Missing conflict declarations: for an officer, those of their authority's elected
    members; for an elected member, their own. 8 queries at most."""
    lines: dict[tuple[int, int, int], ConflictLine] = {}
    authority_id = getattr(user, "organization_id", None)
    if authority_id is not None and Perm.ADMISSIBILITY_CHANGE in access.capabilities(
        user, authority_id
    ):
        for line in conflicts_find(authority_id=authority_id, on=today):
            lines[(line.person_id, line.authority_id, line.association_id)] = line
    person_id = getattr(user, "person_id", None)
    if person_id is not None:
        for line in conflicts_find(person_id=person_id, on=today):
            lines[(line.person_id, line.authority_id, line.association_id)] = line
    return [
        TodoItem(
            label=todo_label(
                gettext(
                    "Déclarer le conflit d'intérêts : %(person)s, élu·e de %(authority)s, "
                    "au bureau de %(association)s"
                ),
                {
                    "person": line.person,
                    "authority": line.authority,
                    "association": line.association,
                },
            ),
            url=declare_url(line),
            urgency=Urgency.SOON,
        )
        for _key, line in sorted(lines.items())
        if not line.declared
    ]
