"""The closure report: history, parties, termination, wind-down, final accounts and their
sharing, decisions, plan completion, results and audit status (``closure.report_sections``);
in French, Arabic or English, as PDF via WeasyPrint (like the convention and the minutes)
or as DOCX via python-docx (the convention's writer), from one view model.
The DOCX uses the same French source labels as the PDF's template, so the same catalogue
entries translate both."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sharaka.closure import selectors
from sharaka.closure.models import Termination, WindDownItem
from sharaka.closure.report_sections import (
    AuditSection,
    IndicatorLine,
    PlanCompletion,
    audit_status_get,
    plan_completion_get,
    results_get,
    sections_day,
)
from sharaka.closure.selectors import AccountsView
from sharaka.conventions.renderers.docx import DocxWriter
from sharaka.core.locale import span
from sharaka.core.pdf import write_pdf
from sharaka.meetings.models import Decision
from sharaka.partnerships.models import Partnership, Party, StatusTransition

LANGS = ("fr", "ar", "en")
FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Report:
    lang: str
    partnership: Partnership
    parties: list[Party]
    transitions: list[StatusTransition]
    termination: Termination | None
    items: list[WindDownItem]
    accounts: AccountsView | None
    decisions: list[Decision]
    generated: date
    plan: PlanCompletion | None = None
    results: tuple[IndicatorLine, ...] = ()
    audit: AuditSection | None = None

    @property
    def rtl(self) -> bool:
        return self.lang == "ar"


def report_get(*, partnership: Partnership, lang: str) -> Report:
    with translation.override(lang):  # the labels computed here (the sharing key's) too
        return _report(partnership, lang)


def _report(partnership: Partnership, lang: str) -> Report:
    termination = selectors.termination_of(partnership=partnership)
    return Report(
        lang=lang,
        partnership=partnership,
        parties=list(
            Party.objects.filter(partnership=partnership)
            .select_related("organization")
            .order_by("role", "organization__name", "pk")
        ),
        transitions=list(
            StatusTransition.objects.filter(partnership=partnership)
            .select_related("by")
            .order_by("at", "pk")
        ),
        termination=termination,
        items=selectors.items_of(partnership=partnership),
        accounts=selectors.accounts_get(partnership=partnership) if termination else None,
        decisions=list(
            Decision.objects.filter(partnership=partnership).order_by("year", "sequence")
        ),
        generated=timezone.localdate(),
        plan=plan_completion_get(partnership=partnership, at=sections_day(termination)),
        results=results_get(partnership=partnership),
        audit=audit_status_get(partnership=partnership),
    )


def render_html(report: Report) -> str:
    with translation.override(report.lang):
        context: dict[str, Any] = {"doc": report}
        return render_to_string("closure/report/report.html", context)


def render_pdf(report: Report) -> bytes:
    return write_pdf(render_html(report), lang=report.lang, author=report.partnership.title)


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else "—"


def _money(value: Any, currency: str) -> str:
    return f"{floatformat(value, '2g')} {currency}"


def render_docx(report: Report) -> bytes:
    """The report as DOCX: one heading per section, tables like the PDF's."""
    with translation.override(report.lang):
        return _docx(report)


def _number(value: Decimal | None, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{floatformat(value, '-2g')} {unit}".strip()


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value} %"


def _docx_plan(out: DocxWriter, plan: PlanCompletion | None) -> None:
    out.heading(_("Exécution du plan d'action"), 1)
    if plan is None:
        out.para(_("Aucun plan d'action adopté en vigueur."))
        return
    adopted = _day(plan.adopted_on) + (f" — {plan.decision}" if plan.decision else "")
    out.facts([
        [_("Plan d'action"), plan.plan],
        [_("Adopté le"), adopted],
        [_("Activités réalisées"), f"{plan.done} / {len(plan.activities)}"],
        [_("Prévu"), _money(plan.planned, plan.currency)],
        [_("Dépensé"), _money(plan.spent, plan.currency)],
        [_("Taux d'exécution"), _percent(plan.spent_percent)],
    ])  # fmt: skip
    out.table(
        [_("Code"), _("Activité"), _("État"), _("Avancement"), _("Prévu"), _("Dépensé")],
        [[a.code, a.title, a.status, f"{a.progress} %", _money(a.planned, plan.currency),
          _money(a.spent, plan.currency)] for a in plan.activities] or [["—"]],
    )  # fmt: skip


def _docx_results(out: DocxWriter, results: tuple[IndicatorLine, ...]) -> None:
    out.heading(_("Résultats"), 1)
    out.table(
        [_("Résultat"), _("Indicateur"), _("Référence"), _("Cible"),
         _("Dernière valeur validée"), _("Situation")],
        [[i.result, i.name, f"{_number(i.baseline, i.unit)} ({_day(i.baseline_date)})",
          f"{_number(i.target, i.unit)} ({_day(i.target_date)})",
          f"{_number(i.last, i.unit)} ({_day(i.last_date)})" if i.last_date else "—",
          i.standing] for i in results] or [["—"]],
    )  # fmt: skip


def _docx_audit(out: DocxWriter, audit: AuditSection | None) -> None:
    out.heading(_("Situation des audits"), 1)
    if audit is None:
        out.para("—")
        return
    rows = [[label, str(n)] for label, n in audit.by_status]
    rows += [
        [_("Constats d'audit"), str(audit.findings)],
        [_("Constats ouverts"), str(audit.open_findings)],
        [_("Recommandations ouvertes"), str(audit.open_recommendations)],
    ]
    if audit.last_run:
        rows.append([_("Derniers contrôles automatiques"),
                     f"{_day(timezone.localtime(audit.last_run.started_at).date())} — "
                     f"{audit.last_run.finding_count}"])  # fmt: skip
    out.facts(rows)
    out.table(
        [_("N°"), _("Recommandation"), _("Responsable"), _("Échéance"), _("État")],
        [[str(r.number), r.text, r.owner, _day(r.due_on), r.get_status_display()]
         for r in audit.recommendations] or [["—"]],
    )  # fmt: skip


def _docx(doc: Report) -> bytes:
    partnership = doc.partnership
    out = DocxWriter(
        rtl=doc.rtl, lang=doc.lang, title=f"{_('Rapport de clôture')} — {partnership.title}",
        author=partnership.title,
    )  # fmt: skip
    out.para(_("Rapport de clôture"), "Title")
    out.para(f"{partnership.title} · {partnership.lead_authority.name} · "
             f"{_('établi le')} {_day(doc.generated)}")  # fmt: skip
    out.heading(_("Parties"), 1)
    out.table([_("Organisation"), _("Rôle")],
              [[p.organization.name, p.get_role_display()] for p in doc.parties])  # fmt: skip
    out.heading(_("Historique"), 1)
    out.table(
        [_("Date"), _("Statut"), _("Par"), _("Motif")],
        [[_day(timezone.localtime(t.at).date()),
          span(t.get_from_status_display(), t.get_to_status_display()),
          str(t.by) if t.by else "Sharaka", t.note] for t in doc.transitions] or [["—"]],
    )  # fmt: skip
    out.heading(_("Fin du partenariat"), 1)
    t = doc.termination
    if t is None:
        out.para(_("Aucune fin enregistrée."))
    else:
        rows = [
            [_("Motif de fin"), f"{t.get_ground_display()} ({t.spec.legal})"],
            [_("Date de départ"), _day(t.notice_on)],
            [_("Préavis (jours)"), str(t.notice_days)],
            [_("Date d'effet"), _day(t.effective_date)],
        ]
        if t.decision:
            rows.append([_("Décision du conseil"), f"{t.decision.number} — {t.decision.title}"])
        rows.append([_("Motif détaillé"), t.reason])
        out.facts(rows)
    out.heading(_("Liste de liquidation"), 1)
    out.table(
        ["#", _("Objet"), _("Responsable"), _("État"), _("Sort")],
        [[str(i.position), f"{i.get_kind_display()} — {i.subject}",
          i.owner.name if i.owner else "—", i.get_status_display(),
          i.disposition_label or "—"] for i in doc.items] or [["—"]],
    )  # fmt: skip
    out.heading(_("Comptes de clôture"), 1)
    a = doc.accounts
    if a is None:
        out.para("—")
    else:
        approved = _("non approuvés")
        if a.approved:
            approved = _day(timezone.localtime(a.approved.approved_at).date())
            if a.approved.decision:
                approved += f" — {a.approved.decision.number}"
        out.facts([
            [_("Contributions reçues"), _money(a.received, a.currency)],
            [_("Dépenses"), _money(a.spent, a.currency)],
            [_("Solde"), _money(a.balance, a.currency)],
            [_("Clé"), a.key_label],
            [_("Approbation"), approved],
        ])  # fmt: skip
        out.table(
            [_("Partie"), _("Clé"), _("Part")],
            [*([s.name, f"{floatformat(s.percent, 2)} %", _money(s.amount, a.currency)]
               for s in a.shares),
             [_("Total"), "", _money(a.total, a.currency)]],
        )  # fmt: skip
        if a.associations:
            out.para(f"{', '.join(a.associations)} — {a.association_note} "
                     f"({a.association_legal})")  # fmt: skip
    out.heading(_("Décisions du conseil"), 1)
    out.table(
        [_("Numéro"), _("Date"), _("Objet")],
        [[d.number, _day(d.decided_on), d.title] for d in doc.decisions] or [["—"]],
    )
    _docx_plan(out, doc.plan)
    _docx_results(out, doc.results)
    _docx_audit(out, doc.audit)
    return out.save()
