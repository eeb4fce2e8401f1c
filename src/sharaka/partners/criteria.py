"""The admissibility criteria an authority asks, edited by its officers (issue 13): the
list (its own set, or the default set it inherits), adopting its own set (a copy of the
default one), adding, changing and removing a criterion of its own set.

The default set (no authority) is never changed here: it is data loaded by migration
``partners/0002`` and edited in the admin only. A criterion that evidence already refers to
is not removed (the evidence would lose its criterion); ``simple_history`` keeps every
change, a removal included. An authority's officers (``ADMISSIBILITY_CHANGE``) write; its
readers read; anyone else gets 404 (``partners.access``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext, ngettext

from sharaka.core.access import Capabilities, Perm
from sharaka.core.errors import DomainError, NotFound
from sharaka.core.types import Actor
from sharaka.directory.models import Organization
from sharaka.partners import access, selectors
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import Condition, CriteriaSet, Criterion, CriterionKind, Evidence

MAX_SMALL = 32767  # PositiveSmallIntegerField


@dataclass(frozen=True)
class CriterionData:
    """What an officer types for one criterion."""

    code: str
    label_fr: str
    kind: str
    label_ar: str = ""
    label_en: str = ""
    reference: str = ""
    weight: int = 1
    max_score: int = 1
    eliminatory: bool = False
    condition: str = Condition.ALWAYS
    provisional_wait_days: int | None = None


# --- Rules of a criterion --------------------------------------------------------------------


def _range(value: int | None, low: int, field: str, message: str) -> None:
    if value is not None and not low <= value <= MAX_SMALL:
        raise DomainError(Code.CRITERION_RANGE, message, field=field)


def _clean(data: CriterionData, criteria_set: CriteriaSet, pk: int | None) -> CriterionData:
    """The data, trimmed and checked field by field (each refusal names its field)."""
    code = data.code.strip()
    try:
        validate_slug(code)
    except ValidationError:
        raise DomainError(
            Code.CRITERION_CODE,
            gettext("Code : lettres sans accent, chiffres, « - » et « _ » seulement."),
            field="code",
        ) from None
    if len(code) > 60:
        raise DomainError(Code.CRITERION_CODE, gettext("Code : 60 caractères au plus."),
                          field="code")  # fmt: skip
    if not data.label_fr.strip():
        raise DomainError(Code.CRITERION_LABEL, gettext("Libellé (français) : obligatoire."),
                          field="label_fr")  # fmt: skip
    if data.kind not in CriterionKind.values:
        raise DomainError(Code.CRITERION_CHOICE, gettext("Nature : choix inconnu."),
                          field="kind")  # fmt: skip
    if data.condition not in Condition.values:
        raise DomainError(Code.CRITERION_CHOICE, gettext("S'applique : choix inconnu."),
                          field="condition")  # fmt: skip
    _range(data.weight, 0, "weight", gettext("Poids : un entier positif ou nul."))
    max_score = data.max_score if data.kind == CriterionKind.SCORED else 1
    _range(max_score, 1, "max_score",
           gettext("Note maximale : au moins 1 pour une appréciation notée."))  # fmt: skip
    _range(data.provisional_wait_days, 0, "provisional_wait_days",
           gettext("Délai : un nombre de jours positif ou nul."))  # fmt: skip
    taken = Criterion.objects.filter(criteria_set=criteria_set, code=code)
    if pk is not None:
        taken = taken.exclude(pk=pk)
    if taken.exists():
        raise DomainError(
            Code.CRITERION_CODE_TAKEN,
            gettext("Code : « %(code)s » est déjà un critère de ce jeu.") % {"code": code},
            field="code",
        )
    return CriterionData(
        code=code, label_fr=data.label_fr.strip(), label_ar=data.label_ar.strip(),
        label_en=data.label_en.strip(), reference=data.reference.strip(), kind=data.kind,
        weight=data.weight, max_score=max_score, eliminatory=data.eliminatory,
        condition=data.condition, provisional_wait_days=data.provisional_wait_days,
    )  # fmt: skip


def _refuse_default() -> DomainError:
    return DomainError(
        Code.CRITERIA_DEFAULT,
        gettext("Ces critères sont ceux du jeu par défaut, commun à toutes les collectivités : "
                "adoptez d'abord votre propre jeu pour les modifier."),
    )  # fmt: skip


def _own_set_locked(authority_id: int) -> CriteriaSet:
    own = CriteriaSet.objects.select_for_update().filter(authority_id=authority_id).first()
    if own is None:
        raise _refuse_default()
    return own


# --- Services --------------------------------------------------------------------------------


@transaction.atomic
def criteria_set_adopt(*, by: Actor, authority: Organization) -> CriteriaSet:
    """Give ``authority`` its own set: a copy of the default set, criterion by criterion (with
    their history). Refused when it already has one. A refusal changes nothing."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    Organization.objects.select_for_update().filter(pk=authority.pk).first()
    if CriteriaSet.objects.filter(authority=authority).exists():
        raise DomainError(
            Code.CRITERIA_OWN_EXISTS,
            gettext("Cette collectivité a déjà son propre jeu de critères."),
        )
    default = selectors.criteria_set_get(authority_id=authority.pk)
    if default is None:
        raise DomainError(Code.NO_CRITERIA, gettext("Aucun jeu de critères par défaut."))
    own = CriteriaSet.objects.create(authority=authority, name=authority.name[:200])
    for criterion in default.criteria.order_by("position", "pk"):
        criterion.pk = None
        criterion.id = None
        criterion.criteria_set = own
        criterion._state.adding = True
        criterion.save()
    return own


@transaction.atomic
def criterion_add(*, by: Actor, authority: Organization, data: CriterionData) -> Criterion:
    """Add a criterion at the end of the authority's own set (refused on the default set)."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    own = _own_set_locked(authority.pk)
    clean = _clean(data, own, None)
    last = own.criteria.aggregate(last=Max("position"))["last"]
    return Criterion.objects.create(
        criteria_set=own, position=min((last or 0) + 1, MAX_SMALL), **asdict(clean)
    )


def _own_criterion_locked(
    by: Actor, authority: Organization, criterion: Criterion
) -> tuple[CriteriaSet, Criterion]:
    """Rights on ``authority`` first; then the criterion must be of its own set (one of the
    default set is refused with a clear message; one of another authority is not found)."""
    access.require(by, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    authority_id = criterion.criteria_set.authority_id
    if authority_id is None:
        raise _refuse_default()
    if authority_id != authority.pk:
        raise NotFound()
    own = _own_set_locked(authority_id)
    locked = Criterion.objects.select_for_update().filter(pk=criterion.pk).first()
    if locked is None or locked.criteria_set_id != own.pk:
        raise NotFound()
    return own, locked


@transaction.atomic
def criterion_change(
    *, by: Actor, authority: Organization, criterion: Criterion, data: CriterionData
) -> Criterion:
    """Change a criterion of the authority's own set (refused on the default set)."""
    own, locked = _own_criterion_locked(by, authority, criterion)
    clean = _clean(data, own, locked.pk)
    for name, value in asdict(clean).items():
        setattr(locked, name, value)
    locked.save()
    return locked


@transaction.atomic
def criterion_remove(*, by: Actor, authority: Organization, criterion: Criterion) -> None:
    """Remove a criterion of the authority's own set, unless evidence refers to it (refused
    on the default set). The history keeps it."""
    _own, locked = _own_criterion_locked(by, authority, criterion)
    count = Evidence.objects.filter(criterion=locked).count()
    if count:
        raise DomainError(
            Code.CRITERION_IN_USE,
            ngettext(
                "%(count)s pièce d'un dossier se rapporte à ce critère : il ne peut être retiré.",
                "%(count)s pièces des dossiers se rapportent à ce critère : il ne peut être "
                "retiré.",
                count,
            ) % {"count": count},
        )  # fmt: skip
    locked.delete()


# --- Selectors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriteriaView:
    authority: Organization
    criteria_set: CriteriaSet | None
    own: bool  # the authority's own set (False: the default set it inherits)
    criteria: list[Criterion]
    can: Capabilities


def criteria_view_get(*, user: Actor | None, authority: Organization) -> CriteriaView:
    """The criteria the authority asks, in order: 2 queries (the set, its criteria — a set
    holds tens, not thousands, so it is not paged), plus the rights asked once."""
    access.require(user, Perm.ADMISSIBILITY_VIEW, authority.pk)
    criteria_set = selectors.criteria_set_get(authority_id=authority.pk)
    criteria: list[Criterion] = []
    if criteria_set is not None:
        criteria = list(criteria_set.criteria.order_by("position", "pk"))
    return CriteriaView(
        authority=authority, criteria_set=criteria_set,
        own=criteria_set is not None and criteria_set.authority_id == authority.pk,
        criteria=criteria,
        can=access.capabilities(user, authority.pk),
    )  # fmt: skip


def criterion_get(*, user: Actor | None, authority: Organization, pk: int) -> Criterion:
    """One criterion the authority asks (of its own set or of the default set it inherits;
    404 otherwise; 403 to a reader). 2 queries."""
    access.require(user, Perm.ADMISSIBILITY_CHANGE, authority.pk)
    criteria_set = selectors.criteria_set_get(authority_id=authority.pk)
    criterion = (
        Criterion.objects.select_related("criteria_set").filter(pk=pk, criteria_set=criteria_set)
        .first()
    )  # fmt: skip
    if criteria_set is None or criterion is None:
        raise NotFound()
    return criterion
