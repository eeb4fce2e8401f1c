from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sharaka.audit"
    label = "audit"
    verbose_name = _("Audit : contrôles pré-audit")

    def ready(self) -> None:
        from datetime import timedelta

        from sharaka.audit import lookups, selectors, tasks  # noqa: F401 (lookups: registers)
        from sharaka.core import scheduler, todo

        scheduler.register("audit.checks_nightly", timedelta(days=1), tasks.checks_nightly)
        todo.register("audit.overdue", selectors.overdue_audits_todo)
        todo.register("audit.recommendations", selectors.overdue_recommendations_todo)
        scheduler.register(
            "audit.recommendations_escalate", timedelta(days=1), tasks.recommendations_escalate
        )
