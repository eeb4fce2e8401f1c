"""The audit pages of a partnership (under the finance tab): the pre-audit checks, the plan,
an engagement's work, its recommendations and their follow-up."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sharaka.audit import engagements, plans, recommendations, report, selectors, tasks
from sharaka.audit.forms import (
    AuditForm,
    FindingForm,
    FollowUpForm,
    PaperForm,
    RecommendationForm,
    SampleForm,
    VerifyForm,
)
from sharaka.audit.models import Audit, CheckRun
from sharaka.core.access import Perm
from sharaka.core.htmx import HtmxHttpRequest
from sharaka.core.pages import Frame, confirm_page, form_page
from sharaka.core.uploads import document_response
from sharaka.partnerships.models import Partnership
from sharaka.partnerships.views import partnership_page

NAV = ("finance/partials/nav.html",)


@login_required
def checks(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.checks_view_get(partnership=partnership)
    context = partnership_page(request, partnership, "finance", section="audit", view=view)
    return render(request, "audit/pages/checks.html", context)


def _done(run: CheckRun | None) -> str:
    if run is None:
        return _("Contrôles lancés en tâche de fond : leurs constats apparaîtront ici.")
    return _("Contrôles exécutés : %(count)s constat(s).") % {"count": run.finding_count}


@login_required
@require_http_methods(["GET", "POST"])
def run(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug, perm=Perm.AUDIT_RUN)
    back = reverse("audit:checks", kwargs={"slug": slug})
    return confirm_page(
        request,
        act=lambda _data: tasks.check_run_request(by=request.user, partnership=partnership),
        success=_done,
        done=back,
        cancel=back,
        danger=False,
        frame=Frame(partnership_page(request, partnership, "finance", section="audit"), nav=NAV),
        question=_(
            "Lancer maintenant les contrôles pré-audit sur les données du partenariat ? "
            "Ils ne modifient aucun enregistrement."
        ),
        confirm_label=_("Lancer les contrôles"),
        title=_("Contrôles pré-audit"),
    )


# --- Audit plan and engagements (ADR 0034) --------------------------------------------------


def _frame(request: HtmxHttpRequest, partnership: Partnership) -> Frame:
    return Frame(partnership_page(request, partnership, "finance", section="plan"), nav=NAV)


@login_required
def plan(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(user=request.user, slug=slug)
    view = selectors.plan_view_get(partnership=partnership, today=timezone.localdate())
    context = partnership_page(request, partnership, "finance", section="plan", view=view)
    return render(request, "audit/pages/plan.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_generate(request: HtmxHttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.partnership_get(
        user=request.user, slug=slug, perm=Perm.AUDIT_PLAN_CHANGE
    )
    back = reverse("audit:plan", kwargs={"slug": slug})
    return confirm_page(
        request, act=lambda _data: plans.plan_generate(by=request.user, partnership=partnership),
        success=lambda n: _("%(count)s audit(s) ajouté(s) au plan.") % {"count": n},
        done=back, cancel=back, danger=False, frame=_frame(request, partnership),
        question=_("Établir le plan d'audit d'après la clause d'audit de la convention en "
                   "vigueur ? Les audits déjà au plan sont gardés tels quels."),
        confirm_label=_("Établir le plan"), title=_("Plan d'audit"),
    )  # fmt: skip


@login_required
def audit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.audit_get(user=request.user, slug=slug, pk=pk)
    view = selectors.engagement_view_get(audit=found, today=timezone.localdate(), user=request.user)
    context = partnership_page(request, found.partnership, "finance", section="plan", view=view)
    return render(request, "audit/pages/audit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def audit_edit(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.audit_get(user=request.user, slug=slug, pk=pk, perm=Perm.AUDIT_PLAN_CHANGE)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, AuditForm(request.POST or None, audit=found, user=request.user),
        save=lambda data: plans.audit_update(by=request.user, audit=found, fields=data),
        success=_("Audit mis à jour."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=str(found), submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def sample_draw(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = selectors.audit_get(user=request.user, slug=slug, pk=pk, perm=Perm.AUDIT_ENGAGE)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, SampleForm(request.POST or None),
        save=lambda data: plans.sample_draw(by=request.user, audit=found, **data),
        success=_("Échantillon tiré."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=_("Tirer l'échantillon de dépenses"),
        submit=_("Tirer"),
    )  # fmt: skip


# --- Work papers, findings and the report (ADR 0040) ----------------------------------------


def _engaged(request: HtmxHttpRequest, slug: str, pk: int) -> Audit:
    """The engagement, for its auditor during the engagement only (403 for the others who
    may read it, 404 for strangers)."""
    return selectors.engaged_audit_get(
        user=request.user, slug=slug, pk=pk, today=timezone.localdate()
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_add(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _engaged(request, slug, pk)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, PaperForm(request.POST or None, request.FILES or None),
        save=lambda data: engagements.paper_add(
            by=request.user, audit=found, title=data["title"], upload=data["file"]),
        success=_("Papier de travail ajouté."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=_("Ajouter un papier de travail"),
        submit=_("Ajouter"),
    )  # fmt: skip


@login_required
def paper_download(request: HtmxHttpRequest, slug: str, pk: int, paper: int) -> FileResponse:
    found = selectors.audit_get(user=request.user, slug=slug, pk=pk)
    return document_response(selectors.paper_get(audit=found, pk=paper))


@login_required
@require_http_methods(["GET", "POST"])
def finding_add(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _engaged(request, slug, pk)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    form = FindingForm(request.POST or None, choices=selectors.sample_choices(found))
    return form_page(
        request, form,
        save=lambda data: engagements.finding_add(by=request.user, audit=found, fields=data),
        success=_("Constat enregistré."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=_("Enregistrer un constat"),
        submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def report_issue(request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
    found = _engaged(request, slug, pk)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    return confirm_page(
        request, act=lambda _data: engagements.report_issue(by=request.user, audit=found),
        success=_("Rapport remis."), done=back, cancel=back, danger=False,
        frame=_frame(request, found.partnership),
        question=_("Remettre le rapport de cette mission ? L'audit passe à l'état « rapport "
                   "remis » ; ses constats ne pourront plus qu'être complétés."),
        confirm_label=_("Remettre le rapport"), title=str(found),
    )  # fmt: skip


@login_required
def report_pdf(request: HtmxHttpRequest, slug: str, pk: int, lang: str) -> HttpResponse:
    found = selectors.audit_get(user=request.user, slug=slug, pk=pk)
    if lang not in report.LANGS:
        raise Http404
    pdf = report.render_pdf(report.report_get(audit=found, lang=lang))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"rapport-audit-{found.partnership.slug}-{found.period_start:%Y}-{found.pk}-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Recommendations and their follow-up (ADR 0047, ADR 0051) -------------------------------


def _rec_url(slug: str, pk: int, rec: Any) -> str:
    return reverse("audit:recommendation", kwargs={"slug": slug, "pk": pk, "rec": rec.pk})


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request: HtmxHttpRequest, slug: str, pk: int, finding: int) -> HttpResponse:
    found = _engaged(request, slug, pk)
    target = selectors.finding_get(audit=found, pk=finding)
    back = reverse("audit:audit", kwargs={"slug": slug, "pk": pk})
    return form_page(
        request, RecommendationForm(request.POST or None, audit=found, user=request.user),
        save=lambda data: recommendations.recommendation_add(
            by=request.user, finding=target, fields=data),
        success=_("Recommandation émise."), done=lambda rec: _rec_url(slug, pk, rec),
        cancel=back, frame=_frame(request, found.partnership), submit=_("Émettre"),
        title=_("Recommandation sur le constat %(n)s") % {"n": target.number},
    )  # fmt: skip


@login_required
def recommendation(request: HtmxHttpRequest, slug: str, pk: int, rec: int) -> HttpResponse:
    found = selectors.recommendation_get(user=request.user, slug=slug, pk=pk, rec=rec)
    view = selectors.recommendation_view_get(
        recommendation=found, user=request.user, today=timezone.localdate()
    )
    context = partnership_page(request, found.partnership, "finance", section="plan", view=view)
    return render(request, "audit/pages/recommendation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_add(request: HtmxHttpRequest, slug: str, pk: int, rec: int) -> HttpResponse:
    found = selectors.recommendation_get(
        user=request.user, slug=slug, pk=pk, rec=rec, perm=Perm.AUDIT_PLAN_CHANGE
    )
    back = _rec_url(slug, pk, found)
    return form_page(
        request, FollowUpForm(request.POST or None, request.FILES or None,
                              initial={"status": found.status}),
        save=lambda data: recommendations.follow_up_add(
            by=request.user, recommendation=found, text=data["text"], status=data["status"],
            evidence=data["evidence"]),
        success=_("Réponse enregistrée."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=str(found), submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_verify(request: HtmxHttpRequest, slug: str, pk: int, rec: int) -> HttpResponse:
    found = selectors.verified_recommendation_get(
        user=request.user, slug=slug, pk=pk, rec=rec, today=timezone.localdate()
    )
    back = _rec_url(slug, pk, found)
    return form_page(
        request, VerifyForm(request.POST or None, request.FILES or None),
        save=lambda data: recommendations.recommendation_verify(
            by=request.user, recommendation=found, text=data["text"],
            verified=data["outcome"] == "verified", evidence=data["evidence"]),
        success=_("Vérification enregistrée."), done=back, cancel=back,
        frame=_frame(request, found.partnership), title=str(found), submit=_("Enregistrer"),
    )  # fmt: skip


@login_required
def evidence_download(
    request: HtmxHttpRequest, slug: str, pk: int, rec: int, entry: int
) -> FileResponse:
    found = selectors.recommendation_get(user=request.user, slug=slug, pk=pk, rec=rec)
    return document_response(selectors.evidence_get(recommendation=found, pk=entry))
