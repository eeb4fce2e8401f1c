"""Completeness and consistency: what a convention still lacks or contradicts before it can be
signed. Pure: no Django import, like the whole package."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sharaka.conventions.catalogue import (
    BY_CODE,
    LANGS,
    ClauseSpec,
    I18n,
    Param,
    T,
    mandatory_codes,
    spec_for,
)
from sharaka.conventions.rules.text import format_money, format_percent
from sharaka.conventions.rules.validation import _empty
from sharaka.conventions.rules.values import (
    ClauseData,
    Problem,
    Severity,
    _fmt,
    fraction_text,
    parse_fraction,
)

# ---------------------------------------------------------------------------- completeness

_P = {
    "clause_missing": T("La clause obligatoire « {clause} » manque.",
                        "البند الإلزامي «{clause}» غير موجود.",
                        "The mandatory clause “{clause}” is missing."),
    "clause_duplicate": T("La clause « {clause} » figure plusieurs fois.",
                          "البند «{clause}» مكرر.", "The clause “{clause}” appears more than "
                          "once."),
    "param_missing": T("Clause « {clause} » : « {param} » n'est pas renseigné.",
                       "البند «{clause}»: «{param}» غير محدد.",
                       "Clause “{clause}”: “{param}” is not filled in."),
    "threshold_out_of_range": T(
        "Clause « {clause} » : le seuil de majorité qualifiée ({value}) doit être supérieur à "
        "1/2 et au plus égal à 1.",
        "البند «{clause}»: يجب أن تكون عتبة الأغلبية الموصوفة ({value}) أكبر من 1/2 ولا تتجاوز 1.",
        "Clause “{clause}”: the qualified majority threshold ({value}) must be above 1/2 and at "
        "most 1."),
    "quorum_out_of_range": T(
        "Clause « {clause} » : « {param} » ({value}) doit être supérieur à 0 et au plus égal "
        "à 1.",
        "البند «{clause}»: يجب أن يكون «{param}» ({value}) أكبر من 0 ولا يتجاوز 1.",
        "Clause “{clause}”: “{param}” ({value}) must be above 0 and at most 1."),
    "share_out_of_range": T(
        "Clause « {clause} » : « {param} » ({value}) doit être compris entre 0 et 1.",
        "البند «{clause}»: يجب أن يكون «{param}» ({value}) بين 0 و1.",
        "Clause “{clause}”: “{param}” ({value}) must be between 0 and 1."),
    "renewal_years_missing": T(
        "Clause « {clause} » : la convention est renouvelable mais la durée du renouvellement "
        "n'est pas fixée.",
        "البند «{clause}»: الاتفاقية قابلة للتجديد لكن مدة التجديد غير محددة.",
        "Clause “{clause}”: the convention is renewable but the renewal period is not set."),
    "schedule_total_mismatch": T(
        "Clause « {clause} » : l'échéancier totalise {schedule}, le montant global est de "
        "{total}.",
        "البند «{clause}»: مجموع الجدولة {schedule} بينما المبلغ الإجمالي {total}.",
        "Clause “{clause}”: the schedule totals {schedule} but the total amount is {total}."),
    "board_no_voting": T(
        "Clause « {clause} » : le conseil n'a aucun siège avec voix délibérative.",
        "البند «{clause}»: لا يتوفر المجلس على أي مقعد بصوت تقريري.",
        "Clause “{clause}”: the board has no voting seat."),
    "women_exceed_seats": T(
        "Clause « {clause} » : {organization} a plus de sièges réservés aux femmes que de "
        "sièges.",
        "البند «{clause}»: لدى {organization} مقاعد مخصصة للنساء أكثر من عدد مقاعدها.",
        "Clause “{clause}”: {organization} has more seats held by women than seats."),
    "board_balance": T("Composition du conseil : {message}", "تركيبة المجلس: {message}",
                       "Board composition: {message}"),
    "board_check_unavailable": T(
        "La composition du conseil n'a pas pu être vérifiée : corrigez d'abord la règle de "
        "décision.",
        "تعذر التحقق من تركيبة المجلس: صححوا أولا قاعدة اتخاذ القرار.",
        "The board composition could not be checked: fix the decision rule first."),
    "action_plan_not_mandatory": T(
        "Clause « {clause} » : le plan d'action doit être obligatoire (M15).",
        "البند «{clause}»: يجب أن تكون خطة العمل إلزامية.",
        "Clause “{clause}”: the action plan must be compulsory (M15)."),
    "action_plan_not_adopted_by_board": T(
        "Clause « {clause} » : le plan d'action doit être adopté par le conseil.",
        "البند «{clause}»: يجب أن يصادق المجلس على خطة العمل.",
        "Clause “{clause}”: the action plan must be adopted by the board."),
    "director_missing": T(
        "Clause « {clause} » : une équipe de projet suppose un directeur.",
        "البند «{clause}»: يقتضي فريق المشروع تعيين مدير.",
        "Clause “{clause}”: a project team needs a director."),
    "sharing_key_missing": T(
        "Clause « {clause} » : une répartition « selon la clé » est prévue mais la clé de "
        "répartition est vide.",
        "البند «{clause}»: ينص على التوزيع «وفق المفتاح» لكن مفتاح التوزيع فارغ.",
        "Clause “{clause}”: sharing “by the key” is provided for but the sharing key is empty."),
    "sharing_key_total": T(
        "Clause « {clause} » : la clé de répartition totalise {total} au lieu de 100 %.",
        "البند «{clause}»: مجموع مفتاح التوزيع {total} بدل 100%.",
        "Clause “{clause}”: the sharing key totals {total} instead of 100%."),
}  # fmt: skip

BalanceFn = Callable[[list[dict[str, Any]], dict[str, Any], dict[str, Any], str],
                     tuple[list[tuple[str, str]], list[tuple[str, str]]]]  # fmt: skip


def _problem(code: str, clause: ClauseData | ClauseSpec | None = None, *, param: Param | None =
             None, severity: Severity = Severity.ERROR, template: str | None = None,
             **values: I18n | str | int) -> Problem:  # fmt: skip
    spec = clause.spec if isinstance(clause, ClauseData) else clause
    key = clause.key if isinstance(clause, ClauseData) else (clause.code if clause else None)
    filled: dict[str, I18n | str | int] = dict(values)
    if spec is not None:
        filled.setdefault("clause", spec.title)
    if param is not None:
        filled.setdefault("param", param.label)
    return Problem(
        code=code,
        message=_fmt(_P[template or code], **filled),
        clause=key,
        param=param.name if param else None,
        severity=severity,
    )


def _missing(clause: ClauseData, param: Param) -> Problem:
    if param.missing_code and param.missing_message:
        return Problem(param.missing_code, param.missing_message, clause.key, param.name)
    return _problem("param_missing", clause, param=param)


def _share(clause: ClauseData, name: str, *, low_open: bool, code: str) -> Problem | None:
    value = clause.params.get(name)
    if _empty(value):
        return None
    try:
        fraction = parse_fraction(value)
    except (ValueError, ZeroDivisionError):  # pragma: no cover - validated on input
        return None
    if (fraction > 0 if low_open else fraction >= 0) and fraction <= 1:
        return None
    return _problem(code, clause, param=clause.spec.param(name), value=fraction_text(fraction))


def completeness(
    clauses: Sequence[ClauseData],
    *,
    partnership_kind: str = "management",
    balance_fn: BalanceFn | None = None,
) -> list[Problem]:
    """Every problem that keeps this set of clauses from being signed (errors) or that
    deserves attention (warnings), in a stable order."""
    problems: list[Problem] = []
    by_code: dict[str, list[ClauseData]] = {}
    for clause in clauses:
        by_code.setdefault(clause.code, []).append(clause)
    for code in mandatory_codes(partnership_kind):
        if code not in by_code:
            problems.append(_problem("clause_missing", spec_for(code)))
    for code, found in by_code.items():
        if len(found) > 1 and not spec_for(code).repeatable:
            problems.append(_problem("clause_duplicate", found[0]))
    for clause in sorted(clauses, key=lambda c: (c.order, c.key)):
        for param in clause.spec.params:
            if param.required and _empty(clause.params.get(param.name)):
                problems.append(_missing(clause, param))
        check = _CHECKS.get(clause.code)
        if check is not None:
            problems.extend(check(clause, by_code, balance_fn))
    return problems


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity is Severity.ERROR]


def _check_duration(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    if p.get("renewal") in {"tacit", "express"} and _empty(p.get("renewal_years")):
        return [_problem("renewal_years_missing", clause,
                         param=clause.spec.param("renewal_years"))]  # fmt: skip
    return []


def _check_funding(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    schedule = p.get("schedule") or []
    if not schedule or _empty(p.get("total_amount")):
        return []
    total = str(p["total_amount"])
    scheduled = sum((Decimal(str(row.get("amount") or 0)) for row in schedule), Decimal(0))
    if scheduled != Decimal(total):
        return [_problem(
            "schedule_total_mismatch", clause, param=clause.spec.param("schedule"),
            schedule=I18n(*(format_money(scheduled, lang) for lang in ("fr", "ar", "en"))),
            total=I18n(*(format_money(total, lang) for lang in ("fr", "ar", "en"))),
        )]  # fmt: skip
    return []


def _check_deliberations(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    spec = clause.spec
    problems: list[Problem] = []
    for method_name, threshold_name in (
        ("method", "threshold"),
        ("fallback_method", "fallback_threshold"),
    ):
        if p.get(method_name) != "qualified":
            continue
        threshold = p.get(threshold_name)
        if _empty(threshold):
            problems.append(_missing(clause, spec.param(threshold_name)))
            continue
        value = parse_fraction(threshold)
        if not Fraction(1, 2) < value <= 1:
            problems.append(_problem("threshold_out_of_range", clause,
                                     param=spec.param(threshold_name),
                                     value=fraction_text(value)))  # fmt: skip
    for name in ("quorum", "quorum_per_college", "second_convocation_quorum"):
        found = _share(clause, name, low_open=True, code="quorum_out_of_range")
        if found:
            problems.append(found)
    return problems


def _composition_members(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Board seats as rules-engine members: one member per seat; the first ``women`` seats
    of a row are held by women, the others' gender is unstated."""
    members = []
    for index, row in enumerate(rows):
        women = int(row.get("women") or 0)
        for seat in range(int(row.get("seats") or 0)):
            members.append({
                "id": f"r{index + 1}s{seat + 1}",
                "organization": str(row.get("organization") or f"#{index + 1}"),
                "college": str(row.get("college") or "experts"),
                "voting": bool(row.get("voting")),
                "gender": "f" if seat < women else "x",
            })  # fmt: skip
    return members


def decision_rule_json(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The deliberations clause as a rules-engine rule (contracts/rules-cli.md)."""
    p = dict(params) if params is not None else BY_CODE["deliberations"].defaults()
    rule: dict[str, Any] = {
        "method": p.get("method") or "consensus",
        "base": p.get("base") or "present",
        "quorum": {"fraction": p.get("quorum") or "1/2",
                   "per_college": p.get("quorum_per_college")},
        "max_proxies_per_member": p.get("max_proxies", 1),
        "tie_break": p.get("tie_break") or "none",
    }  # fmt: skip
    if p.get("threshold") and rule["method"] == "qualified":
        rule["threshold"] = p["threshold"]
    if p.get("double_majority") in {"all", "majority"}:
        rule["colleges"] = {"method": "simple", "base": "cast", "required": p["double_majority"]}
    fallback = p.get("fallback_method")
    if fallback:
        inner: dict[str, Any] = {"method": fallback, "base": p.get("fallback_base") or "present"}
        if fallback == "qualified" and p.get("fallback_threshold"):
            inner["threshold"] = p["fallback_threshold"]
        rule["fallback"] = {"from_round": p.get("fallback_from_round") or 2, "rule": inner}
    return rule


def policy_json(
    board: Mapping[str, Any] | None, gender: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The board and gender clauses as a rules-engine balance policy."""
    b = dict(board) if board is not None else BY_CODE["board"].defaults()
    g = dict(gender) if gender is not None else BY_CODE["gender"].defaults()
    return {
        "max_seat_share_per_organization": b.get("max_seat_share") or "1/2",
        "min_women_share": g.get("women_target") or "1/3",
        "required_colleges": list(b.get("required_colleges") or []),
        "max_non_voting": b.get("max_non_voting"),
        "no_dictator": bool(b.get("no_dictator", True)),
        "warn_veto": bool(b.get("warn_veto", False)),
    }


def members_json(board: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    b = dict(board) if board is not None else BY_CODE["board"].defaults()
    return _composition_members(b.get("composition") or [])


def _params_of(by_code: Mapping[str, list[ClauseData]], code: str) -> Mapping[str, Any] | None:
    found = by_code.get(code)
    return found[0].params if found else None


def _check_board(
    clause: ClauseData, by_code: Mapping[str, list[ClauseData]], balance_fn: BalanceFn | None
) -> list[Problem]:
    p = clause.params
    spec = clause.spec
    problems: list[Problem] = []
    rows = p.get("composition") or []
    for row in rows:
        if int(row.get("women") or 0) > int(row.get("seats") or 0):
            problems.append(_problem("women_exceed_seats", clause,
                                     param=spec.param("composition"),
                                     organization=str(row.get("organization"))))  # fmt: skip
    share = _share(clause, "max_seat_share", low_open=True, code="quorum_out_of_range")
    if share:
        problems.append(share)
    if rows and not any(row.get("voting") for row in rows):
        problems.append(_problem("board_no_voting", clause, param=spec.param("composition")))
    if problems or not rows or balance_fn is None:
        return problems
    deliberations = _params_of(by_code, "deliberations")
    gender = _params_of(by_code, "gender")
    policy = policy_json(p, gender)
    try:
        policy_ok = parse_fraction(policy["min_women_share"]) <= 1
    except ValueError:  # pragma: no cover
        policy_ok = False
    if not policy_ok:
        return problems
    results = {}
    try:
        for lang in LANGS:
            results[lang] = balance_fn(members_json(p), decision_rule_json(deliberations),
                                       policy, lang)  # fmt: skip
    except ValueError:
        return [_problem("board_check_unavailable", clause, severity=Severity.WARNING)]
    for kind_index, severity in ((0, Severity.ERROR), (1, Severity.WARNING)):
        findings = {lang: results[lang][kind_index] for lang in LANGS}
        for position, (code, _message) in enumerate(findings["fr"]):
            message = I18n(*(findings[lang][position][1] for lang in ("fr", "ar", "en")))
            problems.append(Problem(
                code=f"board_{code}", message=_fmt(_P["board_balance"], message=message),
                clause=clause.key, param="composition", severity=severity,
            ))  # fmt: skip
    return problems


def _check_action_plan(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    problems = []
    if p.get("mandatory") is not True:
        problems.append(_problem("action_plan_not_mandatory", clause,
                                 param=clause.spec.param("mandatory")))  # fmt: skip
    if p.get("adopted_by_board") is not True:
        problems.append(_problem("action_plan_not_adopted_by_board", clause,
                                 param=clause.spec.param("adopted_by_board")))  # fmt: skip
    return problems


def _check_structure(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    if p.get("structure") == "project_team" and not p.get("director"):
        return [_problem("director_missing", clause, param=clause.spec.param("director"))]
    return []


def _check_audit(clause: ClauseData, *_: Any) -> list[Problem]:
    found = _share(clause, "expense_tolerance", low_open=False, code="share_out_of_range")
    return [found] if found else []


def _check_gender(clause: ClauseData, *_: Any) -> list[Problem]:
    found = _share(clause, "women_target", low_open=True, code="quorum_out_of_range")
    return [found] if found else []


def _check_termination(clause: ClauseData, *_: Any) -> list[Problem]:
    p = clause.params
    by_key = any(p.get(name) == "by_key" for name in
                 ("assets_disposition", "surplus_disposition", "deficit_disposition"))  # fmt: skip
    key = p.get("sharing_key") or []
    param = clause.spec.param("sharing_key")
    if by_key and not key:
        return [_problem("sharing_key_missing", clause, param=param)]
    if key:
        total = sum((parse_fraction(row.get("share") or 0) for row in key), Fraction(0))
        if total != 1:
            return [_problem("sharing_key_total", clause, param=param,
                             total=I18n(*(format_percent(total, lang)
                                          for lang in ("fr", "ar", "en"))))]  # fmt: skip
    return []


_CHECKS: dict[str, Callable[..., list[Problem]]] = {
    "duration": _check_duration,
    "funding": _check_funding,
    "deliberations": _check_deliberations,
    "board": _check_board,
    "action_plan": _check_action_plan,
    "management_structure": _check_structure,
    "audit": _check_audit,
    "gender": _check_gender,
    "termination": _check_termination,
}


def catalogue_defaults(partnership_kind: str = "management") -> list[ClauseData]:
    """Every mandatory clause with its catalogue defaults: a complete starting draft."""
    return [
        ClauseData(key=code, code=code, order=(index + 1) * 10, params=spec_for(code).defaults())
        for index, code in enumerate(mandatory_codes(partnership_kind))
    ]
