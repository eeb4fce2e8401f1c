from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "sharaka.planning"
    label = "planning"
    verbose_name = _("Plan d'action")

    def ready(self) -> None:
        from sharaka.partnerships import ports as partnership_ports
        from sharaka.planning.lifecycle import plan_adopted

        partnership_ports.plan_adopted.provide(plan_adopted)
