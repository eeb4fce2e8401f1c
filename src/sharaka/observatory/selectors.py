"""Reads of the observatory (issue 19, ADR 0037): only the snapshot tables, a fixed number
of queries per page whatever the size of the territory."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from sharaka.core.access import Perm, Role, require, roles_for
from sharaka.core.errors import NotFound
from sharaka.core.types import Actor
from sharaka.observatory.measures import LABELS
from sharaka.observatory.models import AuthorityScore, PartnershipScore, Refresh, TerritoryScore
from sharaka.observatory.rules import MEASURES, Score
from sharaka.partnerships.models import Sector, StatusChoice

PAGE_SIZE = 50


@dataclass(frozen=True)
class ScoreLine:
    code: str
    label: str
    reference: str
    score: Score


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Row:
    """One line of a drill-down list: a province, an authority or a partnership."""

    pk: int  # the snapshot row: the key of the next page
    name: str
    url: str
    partnerships: int | None
    overall: Score
    scores: Sequence[Score]
    status: str = ""


@dataclass(frozen=True)
class ObservatoryPage:
    level: str  # "country", "province", "authority"
    name: str
    province: tuple[int, str] | None  # the province above an authority (breadcrumb)
    refreshed_at: datetime | None
    partnerships: int
    overall: Score
    scores: Sequence[ScoreLine]
    by_sector: Sequence[Count]
    by_status: Sequence[Count]
    rows: Sequence[Row]
    next_after: int | None
    measures: Sequence[ScoreLine]  # the columns of the rows' scores (label, reference)
    export_query: str
    summaries: Sequence[tuple[str, str, str]] = ()  # (language, its own name, PDF URL)


#: The PDF summary's languages, each named in itself.
SUMMARY_LANGS = (("fr", "français"), ("ar", "العربية"), ("en", "English"))


def _summaries(name: str, *args: int) -> list[tuple[str, str, str]]:
    return [
        (lang, label, reverse(f"observatory:{name}", args=[*args, lang]))
        for lang, label in SUMMARY_LANGS
    ]


def supervised_province(user: Actor | None) -> int | None:
    """The province ``user`` supervises, ``None`` for the whole country (404 / 403 first)."""
    require(user, Perm.OBSERVATORY_VIEW)
    if Role.PLATFORM_ADMIN in roles_for(user) or user is None or not user.is_authenticated:
        return None
    return user.territory_id


def _lines(scores: Mapping[str, Score]) -> list[ScoreLine]:
    return [
        ScoreLine(m.code.value, str(LABELS[m.code]), m.reference, scores.get(m.code.value))
        for m in MEASURES
    ]


def _counts(data: Mapping[str, int], labels: Mapping[Any, Any]) -> list[Count]:
    return [
        Count(key, str(labels.get(key, key)), data.get(key, 0)) for key in labels if data.get(key)
    ]


def _refreshed() -> datetime | None:
    last = Refresh.objects.order_by("-finished_at", "-id").values_list("finished_at", flat=True)
    return last.first()


def _keyset(
    rows: QuerySet[Any], order: str, after: int | None, size: int = PAGE_SIZE
) -> tuple[list[Any], int | None]:
    """A page of ``size`` rows ordered by ``(order, id)`` after the row ``after`` (by key)."""
    if after is not None:
        key = rows.filter(pk=after).values_list(order, flat=True).first()
        if key is not None:
            rows = rows.filter(Q(**{f"{order}__gt": key}) | Q(**{order: key, "pk__gt": after}))
    page = list(rows.order_by(order, "pk")[: size + 1])
    more = len(page) > size
    return page[:size], page[size - 1].pk if more else None


def _page(territory: TerritoryScore | None, **fields: Any) -> ObservatoryPage:
    scores = territory.scores if territory else {}
    return ObservatoryPage(
        refreshed_at=_refreshed(),
        partnerships=territory.partnerships if territory else 0,
        overall=territory.overall if territory else None,
        scores=_lines(scores),
        by_sector=_counts(territory.by_sector if territory else {}, dict(Sector.choices)),
        by_status=_counts(territory.by_status if territory else {}, dict(StatusChoice.choices)),
        measures=_lines({}),
        **fields,
    )


def _row(obj: Any, url: str, partnerships: int | None, **extra: Any) -> Row:
    scores = [obj.scores.get(m.code.value) for m in MEASURES]
    return Row(obj.pk, obj.name, url, partnerships, obj.overall, scores, **extra)


def country_view_get(
    *, user: Actor | None, after: int | None, size: int = PAGE_SIZE
) -> ObservatoryPage:
    if supervised_province(user) is not None:
        raise NotFound()
    country = TerritoryScore.objects.filter(province__isnull=True).first()
    provinces, next_after = _keyset(
        TerritoryScore.objects.filter(province__isnull=False), "name", after, size
    )
    rows = [
        _row(p, reverse("observatory:province", args=[p.province_id]), p.partnerships)
        for p in provinces
    ]
    return _page(
        country, level="country", name="", province=None, rows=rows,
        next_after=next_after, export_query="", summaries=_summaries("country_summary"),
    )  # fmt: skip


def province_view_get(
    *, user: Actor | None, pk: int, after: int | None, size: int = PAGE_SIZE
) -> ObservatoryPage:
    own = supervised_province(user)
    if own is not None and own != pk:
        raise NotFound()
    territory = TerritoryScore.objects.filter(province_id=pk).first()
    if territory is None:
        raise NotFound()
    authorities, next_after = _keyset(
        AuthorityScore.objects.filter(province_id=pk), "name", after, size
    )
    rows = [
        _row(a, reverse("observatory:authority", args=[a.authority_id]), a.partnerships)
        for a in authorities
    ]
    return _page(
        territory, level="province", name=territory.name, province=None, rows=rows,
        next_after=next_after, export_query=f"province={pk}",
        summaries=_summaries("province_summary", pk),
    )  # fmt: skip


def authority_view_get(
    *, user: Actor | None, pk: int, after: int | None, size: int = PAGE_SIZE
) -> ObservatoryPage:
    own = supervised_province(user)
    authority = AuthorityScore.objects.filter(authority_id=pk).first()
    if authority is None or (own is not None and authority.province_id != own):
        raise NotFound()
    partnerships, next_after = _keyset(
        PartnershipScore.objects.filter(authority_id=pk), "title", after, size
    )
    statuses = dict(StatusChoice.choices)
    rows = [
        Row(p.pk, p.title, reverse("partnerships:detail", args=[p.slug]), None, p.overall,
            [p.scores.get(m.code.value) for m in MEASURES], str(statuses.get(p.status, "")))
        for p in partnerships
    ]  # fmt: skip
    counts = TerritoryScore(
        partnerships=authority.partnerships, scores=authority.scores, overall=authority.overall,
        by_sector={}, by_status={},
    )  # fmt: skip
    province = (authority.province_id, authority.province_name) if authority.province_id else None
    return _page(
        counts, level="authority", name=authority.name, province=province, rows=rows,
        next_after=next_after, export_query=f"authority={pk}",
        summaries=_summaries("authority_summary", pk),
    )  # fmt: skip


def export_rows(
    *, user: Actor | None, province: int | None, authority: int | None
) -> tuple[list[str], list[list[object]]]:
    """The partnerships of the territory asked (within the user's) with their scores."""
    own = supervised_province(user)
    rows = PartnershipScore.objects.all()
    if own is not None:
        if province is not None and province != own:
            raise NotFound()
        province = own
    if province is not None:
        rows = rows.filter(province_id=province)
    if authority is not None:
        rows = rows.filter(authority_id=authority)
    labels = dict(Sector.choices), dict(StatusChoice.choices)
    headers = [
        str(h) for h in (_("Partenariat"), _("Collectivité"), _("Province"), _("Secteur"),
                         _("Statut"), _("Score global"))
    ] + [str(LABELS[m.code]) for m in MEASURES]  # fmt: skip
    values = rows.order_by("title", "pk").values_list(
        "title", "authority__name", "province__name", "sector", "status", "overall", "scores"
    )
    data = [
        [t, a, p or "", str(labels[0].get(s, s)), str(labels[1].get(st, st)), o,
         *[sc.get(m.code.value) for m in MEASURES]]
        for t, a, p, s, st, o, sc in values.iterator(2000)
    ]  # fmt: skip
    return headers, data
