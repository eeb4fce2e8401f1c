"""The names of the measures (``rules.MEASURES``), translated: the rules stay pure."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sharaka.observatory.rules import Code

LABELS: dict[str, Promise] = {
    Code.BOARD_BALANCE: _("Équilibre du conseil (aucun collège majoritaire seul)"),
    Code.WOMEN_SHARE: _("Part des femmes au conseil (objectif : un tiers)"),
    Code.CONVENTION: _("Convention signée en vigueur"),
    Code.ACTION_PLAN: _("Plan d'action adopté et en vigueur"),
    Code.MINUTES_ON_TIME: _("Procès-verbaux signés dans les délais"),
    Code.BUDGET_EXECUTION: _("Taux d'exécution du budget de l'année"),
    Code.AUDIT_FINDINGS: _("Constats d'audit ouverts"),
    Code.REQUESTS_ON_TIME: _("Demandes d'information traitées dans les délais"),
    Code.DECISIONS_POSTED: _("Décisions affichées sous 8 jours"),
    Code.EVALUATIONS_ON_SCHEDULE: _("Audits et évaluations à échéance"),
}
