from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sharaka.core"
    label = "core"
    verbose_name = _("Noyau")

    def ready(self) -> None:
        from datetime import timedelta

        from sharaka.core import scheduler, worker

        scheduler.register("core.task_results_prune", timedelta(days=1), worker.task_results_prune)
