"""Convention reads: pages, completeness, differences, and the rules a convention puts in
force (``convention_rules_get``, provided to governance through
``governance.ports.convention_rules`` for ``rules_in_force_get``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from sharaka.conventions import catalogue, rules
from sharaka.conventions.deliberation_selectors import deliberation_data as deliberation_data
from sharaka.conventions.deliberation_selectors import deliberation_get as deliberation_get
from sharaka.conventions.deliberation_selectors import (
    deliberations_view_get as deliberations_view_get,
)
from sharaka.conventions.deliberation_selectors import (
    oversight_dashboard_get as oversight_dashboard_get,
)
from sharaka.conventions.deliberation_selectors import (
    oversight_waiting_get as oversight_waiting_get,
)
from sharaka.conventions.deliberation_selectors import (
    party_deliberations_get as party_deliberations_get,
)
from sharaka.conventions.deliberation_selectors import public_party_get as public_party_get
from sharaka.conventions.deliberation_selectors import waiting_data as waiting_data
from sharaka.conventions.engine import balance_findings, build_policy, build_rule
from sharaka.conventions.models import (
    LOCKED,
    Clause,
    Convention,
    ConventionVersion,
    Signatory,
    VersionStatus,
)
from sharaka.conventions.services import (
    active_lang,
    clause_data,
    version_hash,
    version_problems,
)
from sharaka.core.access import (
    Capabilities,
    Perm,
    capabilities,
)
from sharaka.core.errors import NotFound
from sharaka.core.querysets import found
from sharaka.governance.rules_in_force import RulesInForce
from sharaka.partnerships import selectors as partnership_selectors
from sharaka.partnerships.models import Partnership


def partnership_get(*, user: Any, slug: str, perm: Perm = Perm.CONVENTION_VIEW) -> Partnership:
    """The partnership, if ``user`` may view it (else 404) and holds ``perm`` (else 403)."""
    return partnership_selectors.partnership_get(user=user, slug=slug, perm=perm)


def convention_get(*, partnership: Partnership) -> Convention | None:
    return (
        Convention.objects.select_related("partnership__lead_authority")
        .filter(partnership=partnership)
        .first()
    )


def convention_require(*, partnership: Partnership) -> Convention:
    convention = convention_get(partnership=partnership)
    if convention is None:
        raise NotFound(gettext("Ce partenariat n'a pas encore de convention."))
    return convention


def versions_of(*, convention: Convention) -> list[ConventionVersion]:
    versions = list(convention.versions.select_related("based_on").order_by("number"))
    for version in versions:
        version.convention = convention  # no query per version for its partnership
    return versions


def version_get(*, convention: Convention, number: int) -> ConventionVersion:
    version = found(
        ConventionVersion.objects.select_related("based_on", "signed_by")
        .filter(convention=convention, number=number)
        .first(),
        gettext("Cette version de la convention n'existe pas."),
    )
    version.convention = convention
    return version


def in_force_filter(at: date) -> Q:
    """The filter on ``ConventionVersion`` of the versions in force on ``at``: signed, their
    date of effect come and not ended by then (several per partnership; take the latest)."""
    return (
        Q(status__in=[s.value for s in LOCKED], effective_date__isnull=False)
        & Q(effective_date__lte=at)
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=at))
    )


def version_in_force_get(*, partnership: Partnership, at: date) -> ConventionVersion | None:
    """The version whose text applies on ``at``: the latest signed version whose date of
    effect has come and that has not ended by then."""
    return (
        ConventionVersion.objects.filter(in_force_filter(at), convention__partnership=partnership)
        .select_related("convention")
        .order_by("-number")
        .first()
    )


def current_version(versions: list[ConventionVersion], *, today: date) -> ConventionVersion:
    """The version a page shows first: the one being prepared, else the one in force,
    else the latest."""
    for version in versions:
        if version.status in {VersionStatus.DRAFT, VersionStatus.UNDER_NEGOTIATION}:
            return version
    in_force = [
        v
        for v in versions
        if v.status in LOCKED
        and v.effective_date is not None
        and v.effective_date <= today
        and (v.ended_on is None or v.ended_on > today)
    ]
    return (in_force or versions)[-1]


def source_label(version: ConventionVersion) -> str:
    """ "Convention initiale (en vigueur)", "Convention, avenant n° 1 (en vigueur jusqu'au
    31/12/2025)"..."""
    if version.number == 0:
        name = gettext("Convention initiale")
    else:
        name = gettext("Convention, avenant n° %(number)s") % {"number": version.number}
    if version.ended_on is not None:
        last_day = version.ended_on - timedelta(days=1)
        return gettext("%(name)s (en vigueur jusqu'au %(date)s)") % {
            "name": name,
            "date": last_day.strftime("%d/%m/%Y"),
        }
    return gettext("%(name)s (en vigueur)") % {"name": name}


def convention_rules_get(*, partnership: Partnership, at: date) -> RulesInForce | None:
    """The typed governance rules of the convention version in force on ``at`` (two
    queries), or ``None`` when no version is in force then."""
    version = version_in_force_get(partnership=partnership, at=at)
    if version is None:
        return None
    clauses = [clause_data(c) for c in version.clauses.all()]
    mapped = rules.rules_json(clauses)
    return RulesInForce(
        decision_rule=build_rule(mapped.decision_rule),
        balance_policy=build_policy(mapped.balance_policy),
        notice_period_days=mapped.notice_period_days,
        second_convocation_quorum=mapped.second_convocation_quorum,
        gender_target=mapped.gender_target,
        expense_tolerance=mapped.expense_tolerance,
        plan_adoption_deadline_days=mapped.plan_adoption_deadline_days,
        audit_frequency_months=mapped.audit_frequency_months,
        evaluation_frequency_months=mapped.evaluation_frequency_months,
        source=f"convention:{version.pk}",
        source_label=source_label(version),
    )


def convention_terms_get(*, partnership: Partnership, at: date) -> rules.RulesJson | None:
    """Everything the version in force on ``at`` sets, termination dispositions included
    (for the termination workflow)."""
    version = version_in_force_get(partnership=partnership, at=at)
    if version is None:
        return None
    return rules.rules_json([clause_data(c) for c in version.clauses.all()])


# --- Pages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParamRow:
    name: str
    label: str
    value: str
    missing: bool


@dataclass(frozen=True)
class TableView:
    label: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class ClauseRow:
    clause: Clause
    number: int
    title: str
    kind: str
    mandatory: bool
    params: list[ParamRow] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)
    overridden: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class VersionDetail:
    version: ConventionVersion
    clauses: list[ClauseRow]
    errors: list[rules.Problem]
    warnings: list[rules.Problem]
    signatories: list[Signatory]
    hash_ok: bool | None  # None: not signed
    missing_codes: list[tuple[str, str]]  # catalogue clauses that can still be added
    lang: str

    @property
    def complete(self) -> bool:
        return not self.errors

    @property
    def problem_lists(self) -> dict[str, list[dict[str, Any]]]:
        keys = {row.clause.key for row in self.clauses}
        return problem_lists(self.version, self.errors + self.warnings, keys, self.lang)


def problem_lists(
    version: ConventionVersion, problems: list[rules.Problem], keys: set[str], lang: str
) -> dict[str, list[dict[str, Any]]]:
    """Problems as the completeness panel shows them: text in the user's language and a
    link to the clause to fix (or to add)."""
    slug = version.convention.partnership.slug

    def item(problem: rules.Problem) -> dict[str, Any]:
        url = ""
        if problem.clause in keys:
            url = reverse(
                "conventions:clause_edit",
                kwargs={"slug": slug, "number": version.number, "key": problem.clause},
            )
        elif problem.clause in catalogue.BY_CODE:
            url = reverse(
                "conventions:clause_new",
                kwargs={"slug": slug, "number": version.number, "code": problem.clause},
            )
        return {
            "code": problem.code,
            "text": problem.text(lang),
            "clause": problem.clause,
            "url": url,
            "editable": version.is_editable and bool(url),
        }

    return {
        "errors": [item(p) for p in problems if p.severity is rules.Severity.ERROR],
        "warnings": [item(p) for p in problems if p.severity is rules.Severity.WARNING],
    }  # fmt: skip


def preview_problems(
    version: ConventionVersion, replacement: rules.ClauseData, lang: str
) -> dict[str, list[dict[str, Any]]]:
    """The completeness check as it would be with ``replacement`` saved (nothing written)."""
    clauses = [clause_data(c) for c in version.clauses.all() if c.key != replacement.key]
    clauses.append(replacement)
    problems = rules.completeness(clauses, partnership_kind=version.convention.partnership.kind,
                                  balance_fn=balance_findings)  # fmt: skip
    return problem_lists(version, problems, {c.key for c in clauses}, lang)


def rules_summary(terms: rules.RulesJson, lang: str) -> dict[str, str]:
    """The rules in force in a few words, for the convention page."""
    rule = terms.decision_rule
    quorum = rules.parse_fraction(rule["quorum"]["fraction"])
    return {
        "decision": terms.decision_text.get(lang),
        "quorum": rules.fraction_text(quorum),
        "proxies": gettext("%(n)s par membre au plus") % {"n": rule["max_proxies_per_member"]},
        "gender_target": rules.fraction_text(terms.gender_target),
        "expense_tolerance": rules.format_percent(terms.expense_tolerance, lang),
        "audit": gettext("audit tous les %(audit)s mois, évaluation tous les %(evaluation)s "
                         "mois") % {"audit": terms.audit_frequency_months or "—",
                                    "evaluation": terms.evaluation_frequency_months or "—"},
    }  # fmt: skip


def clause_rows(clauses: list[Clause], lang: str) -> list[ClauseRow]:
    rows = []
    for number, clause in enumerate(clauses, start=1):
        spec = catalogue.spec_for(clause.code)
        data = clause_data(clause)
        row = ClauseRow(
            clause=clause,
            number=number,
            title=rules.clause_title(data, lang),
            kind=spec.kind.value,
            mandatory=spec.mandatory,
            overridden=any(clause.texts.values()),
        )
        for param in spec.params:
            value = data.params.get(param.name)
            if param.type is catalogue.PType.TABLE:
                headers, cells = rules.table_cells(param, value, lang)
                if cells:
                    row.tables.append(TableView(param.label.get(lang), headers, cells))
                    continue
            shown = rules.format_value(param, value, lang) if value is not None else ""
            row.params.append(ParamRow(param.name, param.label.get(lang), shown or "—",
                                       missing=param.required and not shown))  # fmt: skip
        rows.append(row)
    return rows


def version_detail_get(*, version: ConventionVersion, lang: str | None = None) -> VersionDetail:
    lang = lang or active_lang()
    clauses = list(version.clauses.order_by("order", "key"))
    problems = version_problems(version, clauses)
    rows = clause_rows(clauses, lang)
    by_key = {row.clause.key: row for row in rows}
    for problem in problems:
        if problem.clause in by_key:
            by_key[problem.clause].problems.append(problem.text(lang))
    signatories = list(
        version.signatories.select_related("organization", "person").order_by("order", "pk")
    )
    hash_ok = None
    if version.status in LOCKED:
        hash_ok = version_hash(version, clauses, signatories) == version.content_hash
    present = {c.code for c in clauses}
    addable = [
        (spec.code, spec.title.get(lang))
        for spec in catalogue.CATALOGUE
        if spec.repeatable or spec.code not in present
    ]
    return VersionDetail(
        version=version,
        clauses=rows,
        errors=[p for p in problems if p.severity is rules.Severity.ERROR],
        warnings=[p for p in problems if p.severity is rules.Severity.WARNING],
        signatories=signatories,
        hash_ok=hash_ok,
        missing_codes=addable,
        lang=lang,
    )


def clause_get(*, version: ConventionVersion, key: str) -> Clause:
    clause = found(
        Clause.objects.filter(version=version, key=key).first(),
        gettext("Cette clause n'existe pas dans cette version."),
    )
    clause.version = version
    return clause


def signatory_get(*, version: ConventionVersion, pk: int) -> Signatory:
    signatory = found(
        Signatory.objects.select_related("organization", "person")
        .filter(version=version, pk=pk)
        .first()
    )
    signatory.version = version
    return signatory


# --- Differences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    label: str
    change: str
    old: str
    new: str


@dataclass(frozen=True)
class ClauseDiffRow:
    key: str
    title: str
    change: str
    fields: list[FieldRow]


def diff_get(
    *, old: ConventionVersion, new: ConventionVersion, lang: str | None = None
) -> list[ClauseDiffRow]:
    """Clause by clause, parameter by parameter, what changes from ``old`` to ``new``."""
    lang = lang or active_lang()
    clauses = Clause.objects.filter(version__in=[old, new]).order_by("order", "key")
    before = [clause_data(c) for c in clauses if c.version_id == old.pk]
    after = [clause_data(c) for c in clauses if c.version_id == new.pk]
    rows = []
    for change in rules.diff(before, after):
        data = change.new or change.old
        assert data is not None
        fields = [
            FieldRow(
                label=rules.field_label(change.code, f.name, lang),
                change=f.change.value,
                old=rules.field_value(change.code, f.name, f.old, lang),
                new=rules.field_value(change.code, f.name, f.new, lang),
            )
            for f in change.fields
        ]
        rows.append(ClauseDiffRow(change.key, rules.clause_title(data, lang),
                                  change.change.value, fields))  # fmt: skip
    return rows


# --- Page view models ------------------------------------------------------------------------

_SIGN_TARGETS = frozenset({rules.Status.SIGNED, rules.Status.IN_FORCE, rules.Status.ENDED})


def status_choices(version: ConventionVersion, can: Capabilities) -> list[tuple[str, str]]:
    """The statuses ``version`` may move to that the user may give it, in lifecycle order
    (signing, entry into force and end need ``convention_sign``; the rest
    ``convention_change``)."""
    labels = dict(VersionStatus.choices)
    order = list(rules.Status)
    choices = []
    for target in sorted(rules.allowed_next(rules.Status(version.status)), key=order.index):
        needed = Perm.CONVENTION_SIGN if target in _SIGN_TARGETS else Perm.CONVENTION_CHANGE
        if needed in can:
            choices.append((target.value, str(labels[target.value])))
    return choices


@dataclass(frozen=True)
class VersionPage:
    """The convention page for one version: the versions, the text with its completeness,
    the rules in force today and what the user may do next."""

    convention: Convention
    versions: list[ConventionVersion]
    version: ConventionVersion
    detail: VersionDetail
    in_force: ConventionVersion | None
    rules: RulesInForce | None
    rules_text: dict[str, str]
    status_choices: list[tuple[str, str]]
    can_amend: bool


def version_page_view_get(
    *, user: Any, partnership: Partnership, convention: Convention, number: int | None = None
) -> VersionPage:
    """Version ``number``, else the one being prepared or in force (``current_version``)."""
    today = timezone.localdate()
    can = capabilities(user, partnership)
    versions = versions_of(convention=convention)
    if number is None:
        version = current_version(versions, today=today)
    else:
        found = next((v for v in versions if v.number == number), None)
        if found is None:
            raise NotFound(gettext("Cette version de la convention n'existe pas."))
        version = found
    in_force = version_in_force_get(partnership=partnership, at=today)
    detail = version_detail_get(version=version)
    terms = convention_terms_get(partnership=partnership, at=today) if in_force else None
    return VersionPage(
        convention=convention,
        versions=versions,
        version=version,
        detail=detail,
        in_force=in_force,
        rules=convention_rules_get(partnership=partnership, at=today) if in_force else None,
        rules_text=rules_summary(terms, detail.lang) if terms else {},
        status_choices=status_choices(version, can),
        can_amend=Perm.CONVENTION_CHANGE in can
        and in_force is not None
        and not any(v.is_editable for v in versions),
    )


@dataclass(frozen=True)
class ClauseCheck:
    """The completeness panel for a clause being edited: the values the catalogue refuses,
    else the problems the convention would have with them (nothing saved)."""

    param_errors: list[str] = field(default_factory=list)
    problems: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def clause_check_get(
    *,
    version: ConventionVersion,
    clause: Clause | None,
    code: str,
    params: dict[str, Any],
    texts: dict[str, str],
    order: int | None,
    lang: str,
) -> ClauseCheck:
    spec = catalogue.spec_for(code)
    try:
        valid = rules.validate_params(spec, params)
    except rules.ParamErrors as error:
        return ClauseCheck(param_errors=[m.get(lang) for ms in error.errors.values() for m in ms])
    if order is None:
        order = clause.order if clause else catalogue.DEFAULT_ORDER[code]
    data = rules.ClauseData(
        key=clause.key if clause else (code if not spec.repeatable else f"{code}-new"),
        code=code, order=order, params=valid,
        titles={lang_: texts[f"title_{lang_}"] for lang_ in catalogue.LANGS},
        texts={lang_: texts[f"text_{lang_}"] for lang_ in catalogue.LANGS},
    )  # fmt: skip
    return ClauseCheck(problems=preview_problems(version, data, lang))


@dataclass(frozen=True)
class DiffPage:
    """Two versions of the convention side by side (``rows`` is empty for the same one)."""

    convention: Convention
    versions: list[ConventionVersion]
    old: ConventionVersion
    new: ConventionVersion
    rows: list[ClauseDiffRow]


def diff_view_get(*, partnership: Partnership, old: str = "", new: str = "") -> DiffPage:
    """``new`` (a version number as typed in the address; the latest by default) against
    ``old`` (by default the version ``new`` amends, else the one before)."""
    convention = convention_require(partnership=partnership)
    versions = versions_of(convention=convention)
    by_number = {v.number: v for v in versions}

    def pick(raw: str, default: int) -> ConventionVersion:
        number = int(raw) if raw.isdigit() and int(raw) in by_number else default
        return by_number.get(number, versions[0])

    after = pick(new, versions[-1].number)
    before = pick(old, after.based_on.number if after.based_on else max(after.number - 1, 0))
    rows = diff_get(old=before, new=after) if before.pk != after.pk else []
    return DiffPage(convention=convention, versions=versions, old=before, new=after, rows=rows)
