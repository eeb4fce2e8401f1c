"""The one access policy of Sharaka.

Every view, API route and service asks this module who may read or change what. The table
``POLICY`` (role -> permissions) is pure data; the functions below work out which roles a
user holds, globally or on one partnership, and answer yes or no.

Roles:
    platform admin      everything
    authority officer   the partnerships whose lead authority is the officer's organisation
    coordinator, board member, treasurer, auditor
                        granted per partnership (``partnerships.PartnershipRole``)
    supervisor          read-only, every partnership led in a territory: a province (the
                        province and its communes) or, with no territory, the whole country
                        (issue 19, the observatory; ``User.territory``)
    user                any signed-in person: reads the directory (names and organisations)
    public              anonymous: only the public portal (published partnerships)

Directory entries are scoped too (issue 21, least privilege). ``ORGANIZATION_CHANGE``,
``PERSON_CHANGE`` and ``PERSON_CONTACT_VIEW`` are asked of one organisation or one person
through ``can_on_organization`` / ``can_on_person``, never globally:

    an organisation     is changed by its own officers (authority officers whose
                        organisation it is) and the platform admin;
    a person            is changed by the platform admin, the officers of the person's own
                        organisation, and the officers of the lead authority of a partnership
                        where the person currently holds a board mandate or a staff
                        assignment (they convene that board and run that structure);
    a person's e-mail   and phone are read by those same users and by everyone holding a
    and phone           role (coordinator, board member, treasurer, auditor) on such a
                        partnership; any other signed-in user reads the name, position and
                        organisation only.

``DIRECTORY_CHANGE`` is the right to *add* an organisation or a person.

Refusing to *read* a partnership answers 404 rather than 403, so that a user of
partnership A cannot even learn that partnership B exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from sharaka.core.errors import AccessDenied, NotFound
from sharaka.core.ports import Port
from sharaka.core.types import Actor, SignedIn


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    AUTHORITY_OFFICER = "authority_officer"
    COORDINATOR = "coordinator"
    BOARD_MEMBER = "board_member"
    TREASURER = "treasurer"
    AUDITOR = "auditor"
    SUPERVISOR = "supervisor"
    USER = "user"
    PUBLIC = "public"
    # Officer roles: held on one board, read from the board's officers on a meeting's date
    # by the caller (``meetings.access``) and supplied to ``permissions_for`` — board data,
    # never a grant. They add rights only to a user who already sees the meetings.
    BOARD_CHAIR = "board_chair"
    BOARD_SECRETARY = "board_secretary"


class Perm(StrEnum):
    DIRECTORY_VIEW = "directory.view"
    DIRECTORY_CHANGE = "directory.change"  # add organisations and people
    ORGANIZATION_CHANGE = "organization.change"  # scoped: can_on_organization
    PERSON_CHANGE = "person.change"  # scoped: can_on_person
    PERSON_CONTACT_VIEW = "person.contact_view"  # scoped: can_on_person
    PARTNERSHIP_CREATE = "partnership.create"
    PARTNERSHIP_VIEW = "partnership.view"
    PARTNERSHIP_CHANGE = "partnership.change"
    PARTNERSHIP_TRANSITION = "partnership.transition"
    PARTNERSHIP_HISTORY = "partnership.history"
    PARTNERSHIP_MANAGE_ACCESS = "partnership.manage_access"
    PUBLIC_VIEW = "public.view"
    BOARD_VIEW = "board.view"
    BOARD_CHANGE = "board.change"
    GOVERNANCE_SETTINGS_CHANGE = "governance_settings.change"
    CONVENTION_VIEW = "convention.view"
    CONVENTION_CHANGE = "convention.change"
    CONVENTION_SIGN = "convention.sign"
    MEETING_VIEW = "meeting.view"
    MEETING_MANAGE = "meeting.manage"
    BALLOT_RECORD = "ballot.record"
    BALLOT_CAST_OWN = "ballot.cast_own"
    MINUTES_SIGN = "minutes.sign"
    DECISION_VIEW = "decision.view"
    PLAN_VIEW = "plan.view"
    PLAN_CHANGE = "plan.change"
    STRUCTURE_VIEW = "structure.view"
    STRUCTURE_CHANGE = "structure.change"
    FINANCE_VIEW = "finance.view"
    CONTRIBUTION_CHANGE = "contribution.change"
    EXPENSE_RECORD = "expense.record"
    EXPENSE_CHECK = "expense.check"
    EXPENSE_APPROVE = "expense.approve"
    EXPENSE_PAY = "expense.pay"
    FINANCE_EXPORT = "finance.export"
    # The end of a partnership (issue 17): termination, wind-down, final accounts, archive.
    CLOSURE_VIEW = "closure.view"
    CLOSURE_CHANGE = "closure.change"
    # Admissibility of associations (issue 13, M3): held over one authority's files, asked
    # through ``partners.access`` (``can_on_organization`` with the file's authority).
    ADMISSIBILITY_VIEW = "admissibility.view"
    ADMISSIBILITY_CHANGE = "admissibility.change"
    ADMISSIBILITY_DECIDE = "admissibility.decide"
    # Results framework and measurements (issue 14, M14).
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_CHANGE = "evaluation.change"
    MEASUREMENT_VALIDATE = "measurement.validate"
    EVALUATION_RECORD = "evaluation.record"
    # Requests for access to information (law 31-13, ADR 0024): every role of a partnership
    # follows its requests (number, subject, dates, answer); the information officers (the
    # lead authority's officers and the coordinators) handle them and alone read the
    # requester's personal data. Not a write on the partnership: the authority must still
    # answer once the partnership has ended.
    REQUEST_VIEW = "request.view"
    REQUEST_MANAGE = "request.manage"
    # Pre-audit checks (issue 15): read the last run's findings; run the checks (which
    # changes no record but the stored findings, so it stays open on a terminated one).
    AUDIT_VIEW = "audit.view"
    AUDIT_RUN = "audit.run"
    # Audit plan and engagements (issue 15, ADR 0034): the officer and the coordinator
    # generate and edit the plan and name the auditor; the auditor (and they) draw samples.
    AUDIT_PLAN_CHANGE = "audit.plan_change"
    AUDIT_ENGAGE = "audit.engage"
    # The observatory (issue 19): counts and compliance scores of a territory.
    OBSERVATORY_VIEW = "observatory.view"


_READ = frozenset(
    {Perm.PARTNERSHIP_VIEW, Perm.PARTNERSHIP_HISTORY, Perm.DIRECTORY_VIEW, Perm.PERSON_CONTACT_VIEW}
)
# Meetings (issue 5). The board's own secretary and chair, whoever their grant, also manage
# a meeting of their board and the secretary records ballots: ``meetings.access`` adds that
# from the officers on the meeting date (an officer role is board data, not a grant).
_MEETING_READ = frozenset({Perm.MEETING_VIEW, Perm.DECISION_VIEW})
_MEETING_MANAGE = _MEETING_READ | {Perm.MEETING_MANAGE, Perm.BALLOT_RECORD}
_MEETING_MEMBER = _MEETING_READ | {Perm.BALLOT_CAST_OWN, Perm.MINUTES_SIGN}
# Action plan and management structure (issue 7): every role of a partnership reads them;
# the authority officer and the coordinator change them.
_PLAN_READ = frozenset({Perm.PLAN_VIEW, Perm.STRUCTURE_VIEW})
_PLAN_CHANGE = _PLAN_READ | {Perm.PLAN_CHANGE, Perm.STRUCTURE_CHANGE}
# Finance (issue 8): every role of a partnership reads the accounts and the auditor exports
# them; the treasurer approves (never an expense they recorded: ``finance.rules``) and pays,
# the officer and the coordinator record and check, the officer also pays.
_FINANCE_READ = frozenset({Perm.FINANCE_VIEW, Perm.FINANCE_EXPORT})
_FINANCE_RECORD = _FINANCE_READ | {Perm.CONTRIBUTION_CHANGE, Perm.EXPENSE_RECORD}
# Closure (issue 17): every role of a partnership reads it (and downloads its report and
# archive); the authority officer and the coordinator wind it down. ``CLOSURE_CHANGE`` is
# not in ``WRITE_PERMS``: once terminated, the closure records (notes and evidence of the
# wind-down items) may still be completed; ``closure.services`` refuses anything else.
_CLOSURE_READ = frozenset({Perm.CLOSURE_VIEW})
_CLOSURE_CHANGE = _CLOSURE_READ | {Perm.CLOSURE_CHANGE}
# Admissibility files (issue 13): the officers of the file's authority read, add and check
# evidence and decide; nobody else but the platform admin.
_ADMISSIBILITY = frozenset(
    {Perm.ADMISSIBILITY_VIEW, Perm.ADMISSIBILITY_CHANGE, Perm.ADMISSIBILITY_DECIDE}
)
# Results framework (issue 14): every role of a partnership reads it; the officer and the
# coordinator set it up and enter measurements; the auditor (the partnership's evaluator)
# and the officer validate them (never one they entered: ``evaluation.services``).
_EVALUATION_READ = frozenset({Perm.EVALUATION_VIEW})
_EVALUATION_CHANGE = _EVALUATION_READ | {Perm.EVALUATION_CHANGE}
_EVALUATION_VALIDATE = _EVALUATION_READ | {Perm.MEASUREMENT_VALIDATE}
# Evaluations (continuous, mid-term, annual, final): the evaluator (the auditor) and the
# officer record them, their DAC judgements and recommendations; everyone else reads them.
_EVALUATION_RECORD = _EVALUATION_READ | {Perm.EVALUATION_RECORD}

# Information requests (law 31-13): the information officers handle them and read the
# requester's personal data.
_REQUEST_MANAGE = frozenset({Perm.REQUEST_VIEW, Perm.REQUEST_MANAGE})
# Pre-audit checks (issue 15): the officer, the coordinator, the treasurer and the auditor
# read the findings; the treasurer, whose accounts they mostly concern, does not run them.
_AUDIT_RUN = frozenset({Perm.AUDIT_VIEW, Perm.AUDIT_RUN, Perm.AUDIT_ENGAGE})
_AUDIT_PLAN = _AUDIT_RUN | {Perm.AUDIT_PLAN_CHANGE}

# ── Supervision (issue 19, the observatory, ADR 0037) ──────────────────────────────────────
# A supervisor (``User.role == "supervisor"``) reads every partnership of its territory — a
# province: led by the province or by one of its communes (``User.territory``); none: the
# whole country — and its observatory; it changes nothing and reads no contact details.
_SUPERVISOR = frozenset(
    {Perm.PARTNERSHIP_VIEW, Perm.PARTNERSHIP_HISTORY, Perm.DIRECTORY_VIEW, Perm.BOARD_VIEW}
    | {Perm.CONVENTION_VIEW, Perm.FINANCE_VIEW, Perm.REQUEST_VIEW, Perm.AUDIT_VIEW}
    | _MEETING_READ
    | _PLAN_READ
    | _EVALUATION_READ
    | _CLOSURE_READ
    | {Perm.OBSERVATORY_VIEW}
)

#: The authorities of a province territory (the province and its communes), provided by
#: ``directory`` from its ``AppConfig.ready``: ``territory_authorities(province_id)``.
territory_authorities: Port[Callable[[int], frozenset[int]]] = Port("territory authorities")


def _territory(user: SignedIn) -> frozenset[int] | None:
    """The lead authorities a supervisor reads (``None``: all), one cached query."""
    if user.territory_id is None:
        return None
    cached: frozenset[int] | None = getattr(user, "_sharaka_territory", None)
    if cached is None:
        cached = territory_authorities.provider(user.territory_id)
        setattr(user, "_sharaka_territory", cached)  # noqa: B010 (a per-object cache)
    return cached


def _supervises(user: SignedIn, partnership: PartnershipLike | None) -> bool:
    if user.role != Role.SUPERVISOR:
        return False
    territory = None if partnership is None else _territory(user)
    return territory is None or partnership is None or partnership.lead_authority_id in territory


def _supervised_scope(user: SignedIn) -> Q:
    if user.territory_id is None:
        return Q(pk__isnull=False)  # the whole country (``Q()`` would vanish in an OR)
    territory = user.territory_id
    return Q(lead_authority_id=territory) | Q(lead_authority__province_id=territory)


# ────────────────────────────────────────────────────────────────────────────────────────────

POLICY: dict[Role, frozenset[Perm]] = {
    Role.PLATFORM_ADMIN: frozenset(Perm),
    Role.AUTHORITY_OFFICER: _READ
    | {
        Perm.DIRECTORY_CHANGE,
        Perm.ORGANIZATION_CHANGE,
        Perm.PERSON_CHANGE,
        Perm.PARTNERSHIP_CREATE,
        Perm.PARTNERSHIP_CHANGE,
        Perm.PARTNERSHIP_TRANSITION,
        Perm.PARTNERSHIP_MANAGE_ACCESS,
        Perm.BOARD_VIEW,
        Perm.BOARD_CHANGE,
        Perm.GOVERNANCE_SETTINGS_CHANGE,
        Perm.CONVENTION_VIEW,
        Perm.CONVENTION_CHANGE,
        Perm.CONVENTION_SIGN,
    }
    | _MEETING_MANAGE
    | _MEETING_MEMBER
    | _PLAN_CHANGE
    | _FINANCE_RECORD
    | {Perm.EXPENSE_CHECK, Perm.EXPENSE_PAY}
    | _ADMISSIBILITY
    | _REQUEST_MANAGE
    | _EVALUATION_CHANGE
    | _EVALUATION_VALIDATE
    | _EVALUATION_RECORD
    | _CLOSURE_CHANGE
    | _AUDIT_PLAN,
    Role.COORDINATOR: _READ
    | {Perm.DIRECTORY_CHANGE, Perm.PARTNERSHIP_CHANGE, Perm.BOARD_VIEW, Perm.BOARD_CHANGE}
    | {Perm.CONVENTION_VIEW, Perm.CONVENTION_CHANGE}
    | _MEETING_MANAGE
    | _MEETING_MEMBER
    | _PLAN_CHANGE
    | _FINANCE_RECORD
    | {Perm.EXPENSE_CHECK}
    | _REQUEST_MANAGE
    | _EVALUATION_CHANGE
    | _CLOSURE_CHANGE
    | _AUDIT_PLAN,
    Role.BOARD_MEMBER: _READ
    | {Perm.BOARD_VIEW, Perm.CONVENTION_VIEW}
    | _MEETING_MEMBER
    | _PLAN_READ
    | {Perm.FINANCE_VIEW, Perm.REQUEST_VIEW}
    | _EVALUATION_READ
    | _CLOSURE_READ,
    Role.TREASURER: _READ
    | {Perm.BOARD_VIEW, Perm.CONVENTION_VIEW}
    | _MEETING_MEMBER
    | _PLAN_READ
    | _FINANCE_RECORD
    | {Perm.EXPENSE_APPROVE, Perm.EXPENSE_PAY, Perm.REQUEST_VIEW}
    | _EVALUATION_READ
    | _CLOSURE_READ
    | {Perm.AUDIT_VIEW},
    Role.AUDITOR: _READ
    | {Perm.BOARD_VIEW, Perm.CONVENTION_VIEW}
    | _MEETING_READ
    | _PLAN_READ
    | _FINANCE_READ
    | {Perm.REQUEST_VIEW}
    | _EVALUATION_VALIDATE
    | _EVALUATION_RECORD
    | _CLOSURE_READ
    | _AUDIT_RUN,
    Role.SUPERVISOR: _SUPERVISOR,
    Role.USER: frozenset({Perm.DIRECTORY_VIEW, Perm.PUBLIC_VIEW}),
    Role.PUBLIC: frozenset({Perm.PUBLIC_VIEW}),
    # The chair and the secretary manage their board's meetings (convene, agenda,
    # attendance, minutes); the secretary records show-of-hands ballots.
    Role.BOARD_CHAIR: frozenset({Perm.MEETING_MANAGE}),
    Role.BOARD_SECRETARY: frozenset({Perm.MEETING_MANAGE, Perm.BALLOT_RECORD}),
}

#: The status of a terminated partnership (``partnerships.rules.Status.TERMINATED``; core
#: may not import it, ``tests/core/test_read_only.py`` checks they agree).
TERMINATED = "terminated"

#: Permissions that write on a partnership's data: refused on a terminated partnership,
#: whoever asks (issue 17, ADR 0018). Reads and exports stay, and so does granting access
#: (``PARTNERSHIP_MANAGE_ACCESS``), so that an auditor can still be let in to read it.
WRITE_PERMS = frozenset(
    {
        Perm.PARTNERSHIP_CHANGE, Perm.PARTNERSHIP_TRANSITION, Perm.BOARD_CHANGE,
        Perm.GOVERNANCE_SETTINGS_CHANGE, Perm.CONVENTION_CHANGE, Perm.CONVENTION_SIGN,
        Perm.MEETING_MANAGE, Perm.BALLOT_RECORD, Perm.BALLOT_CAST_OWN, Perm.MINUTES_SIGN,
        Perm.PLAN_CHANGE, Perm.STRUCTURE_CHANGE, Perm.CONTRIBUTION_CHANGE, Perm.EXPENSE_RECORD,
        Perm.EXPENSE_CHECK, Perm.EXPENSE_APPROVE, Perm.EXPENSE_PAY,
        Perm.EVALUATION_CHANGE, Perm.MEASUREMENT_VALIDATE, Perm.AUDIT_PLAN_CHANGE,
        Perm.AUDIT_ENGAGE, Perm.EVALUATION_RECORD,
    }
)  # fmt: skip

#: Roles supplied by the caller from board data rather than held by grant or account.
OFFICER_ROLES = frozenset({Role.BOARD_CHAIR, Role.BOARD_SECRETARY})

# Permissions held over one organisation or one person: only ``can_on_organization`` and
# ``can_on_person`` grant them; ``can``/``require`` without that object always refuse them.
SCOPED_PERMS = frozenset({Perm.ORGANIZATION_CHANGE, Perm.PERSON_CHANGE, Perm.PERSON_CONTACT_VIEW})

# Permissions whose refusal must not reveal that the object exists.
_HIDDEN_WHEN_REFUSED = frozenset({Perm.PARTNERSHIP_VIEW})

# Roles that come from a per-partnership grant (stored in partnerships.PartnershipRole).
GRANTED_ROLES = (Role.COORDINATOR, Role.BOARD_MEMBER, Role.TREASURER, Role.AUDITOR)


class PartnershipLike(Protocol):
    @property
    def pk(self) -> int: ...

    @property
    def lead_authority_id(self) -> int: ...


@dataclass(frozen=True)
class Workplace:
    """A partnership where a person currently sits on the board or works in the structure."""

    pk: int
    lead_authority_id: int


@dataclass(frozen=True)
class PersonScope:
    """What the policy needs to know of a directory person (``directory.selectors``)."""

    organization_id: int | None
    workplaces: frozenset[Workplace] = frozenset()


def grant_in_force(today: date) -> Q:
    """The grants that hold on ``today``: permanent ones, and time-bound ones (an auditor's
    engagement, ADR 0034) between their first and last day included."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _grants(user: SignedIn) -> dict[int, frozenset[Role]]:
    """The per-partnership grants of ``user`` in force today, loaded once per user object
    (one query). A time-bound grant past its last day gives nothing: 404 as for a stranger."""
    cached: dict[int, frozenset[Role]] | None = getattr(user, "_sharaka_grants", None)
    if cached is None:
        rows: dict[int, set[Role]] = {}
        in_force = user.partnership_roles.filter(grant_in_force(timezone.localdate()))
        for partnership_id, role in in_force.values_list("partnership_id", "role"):
            rows.setdefault(partnership_id, set()).add(Role(role))
        cached = {pid: frozenset(roles) for pid, roles in rows.items()}
        setattr(user, "_sharaka_grants", cached)  # noqa: B010 (a per-object cache)
    return cached


def forget_grants(user: SignedIn) -> None:
    """Drop the cached grants (after a grant was added or removed)."""
    if hasattr(user, "_sharaka_grants"):
        del user._sharaka_grants


def roles_for(user: Actor | None, partnership: PartnershipLike | None = None) -> frozenset[Role]:
    """The roles ``user`` holds on ``partnership`` (or globally when it is ``None``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset({Role.PUBLIC})
    roles: set[Role] = {Role.USER}
    if user.is_superuser or user.role == Role.PLATFORM_ADMIN:
        roles.add(Role.PLATFORM_ADMIN)
    grants = _grants(user)
    if _supervises(user, partnership):
        roles.add(Role.SUPERVISOR)
    if partnership is None:
        if user.role == Role.AUTHORITY_OFFICER:
            roles.add(Role.AUTHORITY_OFFICER)
        for granted in grants.values():
            roles |= granted
    else:
        if (
            user.role == Role.AUTHORITY_OFFICER
            and user.organization_id is not None
            and user.organization_id == partnership.lead_authority_id
        ):
            roles.add(Role.AUTHORITY_OFFICER)
        roles |= grants.get(partnership.pk, frozenset())
    return frozenset(roles)


def holders_filter(perm: Perm, partnership: PartnershipLike) -> Q:
    """A filter of users who hold ``perm`` on ``partnership`` through it (a grant in force
    today, or the lead authority's officers), the platform administrators aside: whom a page
    names as the people who may act ("who approves this expense?")."""
    granting = [role for role, perms in POLICY.items() if perm in perms]
    today = timezone.localdate()
    holders = (
        Q(partnership_roles__partnership_id=partnership.pk)
        & Q(partnership_roles__role__in=[str(role) for role in granting])
        & (Q(partnership_roles__valid_from__isnull=True)
           | Q(partnership_roles__valid_from__lte=today))
        & (Q(partnership_roles__valid_until__isnull=True)
           | Q(partnership_roles__valid_until__gte=today))
    )  # fmt: skip
    if Role.AUTHORITY_OFFICER in granting:
        holders |= Q(role=Role.AUTHORITY_OFFICER, organization_id=partnership.lead_authority_id)
    return Q(is_active=True) & holders


def permissions_for(
    user: Actor | None,
    partnership: PartnershipLike | None = None,
    *,
    officer_roles: Iterable[Role] = (),
) -> frozenset[Perm]:
    """What ``user`` may do on ``partnership``. ``officer_roles`` (``OFFICER_ROLES`` the
    user's person holds on the board concerned) count only for a user who sees meetings."""
    perms: set[Perm] = set()
    for role in roles_for(user, partnership):
        perms |= POLICY[role]
    if Perm.MEETING_VIEW in perms:
        for role in OFFICER_ROLES.intersection(officer_roles):
            perms |= POLICY[role]
    if is_read_only(partnership):
        perms -= WRITE_PERMS
    return frozenset(perms - SCOPED_PERMS)


def is_read_only(partnership: object) -> bool:
    """Whether ``partnership`` is terminated: read-only everywhere (pages, API, CLI)."""
    return getattr(partnership, "status", None) == TERMINATED


def require_open(partnership: object) -> None:
    """Refuse a write on a terminated partnership with a message that says why. ``require``
    calls it for every permission of ``WRITE_PERMS``; code that writes without a user (the
    command line) calls it directly."""
    if is_read_only(partnership):
        from django.utils.translation import gettext

        raise AccessDenied(
            gettext(
                "Ce partenariat est terminé : il ne peut plus être modifié ; ses données "
                "et ses archives restent consultables et exportables."
            )
        )


def can(
    user: Actor | None,
    perm: Perm,
    partnership: PartnershipLike | None = None,
    *,
    officer_roles: Iterable[Role] = (),
) -> bool:
    return perm in permissions_for(user, partnership, officer_roles=officer_roles)


class UnknownPermission(LookupError):
    """A template asked ``can.<name>`` for a name that is no permission (a typo): raised
    rather than answered ``False`` so that the mistake fails a test instead of hiding a
    button. (Django templates swallow ``KeyError`` but not this.)"""


@dataclass(frozen=True)
class Capabilities:
    """What one user may do on one partnership (or globally): the rights a page shows.

    Python asks ``Perm.X in caps``; a template asks ``{{ can.meeting_manage }}``, the
    permission's name in lower case. Computed only by ``capabilities`` below, from
    ``POLICY``, so the buttons a page shows and the rights a service enforces never drift.
    """

    perms: frozenset[Perm]

    def __contains__(self, perm: object) -> bool:
        return perm in self.perms

    def __getitem__(self, name: str) -> bool:
        try:
            perm = Perm[name.upper()]
        except KeyError:
            raise UnknownPermission(name) from None
        return perm in self.perms


def capabilities(
    user: Actor | None,
    partnership: PartnershipLike | None = None,
    *,
    officer_roles: Iterable[Role] = (),
) -> Capabilities:
    return Capabilities(permissions_for(user, partnership, officer_roles=officer_roles))


def require(
    user: Actor | None,
    perm: Perm,
    partnership: PartnershipLike | None = None,
    *,
    officer_roles: Iterable[Role] = (),
) -> None:
    """Raise ``NotFound`` or ``AccessDenied`` unless ``user`` holds ``perm``."""
    perms = permissions_for(user, partnership, officer_roles=officer_roles)
    if perm in perms:
        return
    if partnership is not None and (
        perm in _HIDDEN_WHEN_REFUSED or Perm.PARTNERSHIP_VIEW not in perms
    ):
        raise NotFound()
    if perm in WRITE_PERMS:
        require_open(partnership)
    raise AccessDenied()


def signed_in(user: Actor | None) -> SignedIn:
    """``user`` as the author a service records (``created_by=``, ``approved_by=``…).

    Services call ``require`` first, which refuses anyone not signed in; this refuses them
    again (``AccessDenied``) and tells the type checker that what remains is a ``User``."""
    if user is None or not user.is_authenticated:
        raise AccessDenied()
    return user


def _own_organization_roles(user: Actor | None, organization_id: int | None) -> set[Role]:
    """Platform admin, and authority officer when ``organization_id`` is the user's own."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles: set[Role] = set()
    if user.is_superuser or user.role == Role.PLATFORM_ADMIN:
        roles.add(Role.PLATFORM_ADMIN)
    if (
        user.role == Role.AUTHORITY_OFFICER
        and organization_id is not None
        and user.organization_id == organization_id
    ):
        roles.add(Role.AUTHORITY_OFFICER)
    return roles


def can_on_organization(user: Actor | None, perm: Perm, organization_id: int | None) -> bool:
    """May ``user`` do ``perm`` (``ORGANIZATION_CHANGE``) on that one organisation?"""
    return any(perm in POLICY[role] for role in _own_organization_roles(user, organization_id))


def person_roles(user: Actor | None, scope: PersonScope) -> frozenset[Role]:
    """The roles ``user`` holds over one person: as admin, as an officer of the person's
    organisation, or through a partnership where the person currently sits or works."""
    roles = _own_organization_roles(user, scope.organization_id)
    for workplace in scope.workplaces:
        roles |= roles_for(user, workplace) - {Role.USER, Role.PUBLIC}
    return frozenset(roles)


def can_on_person(user: Actor | None, perm: Perm, scope: PersonScope) -> bool:
    """May ``user`` do ``perm`` (``PERSON_CHANGE``, ``PERSON_CONTACT_VIEW``) on that person?"""
    return any(perm in POLICY[role] for role in person_roles(user, scope))


def require_on_organization(user: Actor | None, perm: Perm, organization_id: int | None) -> None:
    if not can_on_organization(user, perm, organization_id):
        raise AccessDenied()


def require_on_person(user: Actor | None, perm: Perm, scope: PersonScope) -> None:
    if not can_on_person(user, perm, scope):
        raise AccessDenied()


def partnership_scope(user: Actor | None) -> Q:
    """A filter on ``Partnership`` selecting the partnerships ``user`` may view."""
    roles = roles_for(user)
    if Role.PLATFORM_ADMIN in roles:
        return Q()
    if Role.PUBLIC in roles or user is None or not user.is_authenticated:
        return Q(pk__in=[])
    scope = Q(pk__in=list(_grants(user)))
    if Role.AUTHORITY_OFFICER in roles and user.organization_id is not None:
        scope |= Q(lead_authority_id=user.organization_id)
    if Role.SUPERVISOR in roles:
        scope |= _supervised_scope(user)
    return scope


def partnerships_where(user: Actor | None, perm: Perm) -> Q:
    """A filter on ``Partnership`` selecting those where ``user`` holds ``perm``: what a
    to-do provider (``core.todo``) lists, so that nobody is asked to do what they may not
    do. The same roles as ``permissions_for``, in the grants' one cached query; a write
    permission leaves out terminated partnerships (read-only)."""
    roles = roles_for(user)
    if Role.PUBLIC in roles or user is None or not user.is_authenticated:
        return Q(pk__in=[])
    if perm in POLICY[Role.PLATFORM_ADMIN] and Role.PLATFORM_ADMIN in roles:
        scope = Q()
    else:
        scope = Q(pk__in=[pid for pid, held in _grants(user).items()
                          if any(perm in POLICY[role] for role in held)])  # fmt: skip
        if (
            Role.AUTHORITY_OFFICER in roles
            and perm in POLICY[Role.AUTHORITY_OFFICER]
            and user.organization_id is not None
        ):
            scope |= Q(lead_authority_id=user.organization_id)
    if perm in WRITE_PERMS:
        scope &= ~Q(status=TERMINATED)
    return scope


# Roles that sign in with a second factor (a TOTP code) as well as their password: the
# platform's administrators and the treasurers of any partnership (DESIGN.md, security).
SECOND_FACTOR_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.TREASURER})


def second_factor_required(user: Actor | None) -> bool:
    """Must ``user`` confirm a TOTP code before using the site? (Grants: one cached query.)"""
    return bool(roles_for(user) & SECOND_FACTOR_ROLES)
