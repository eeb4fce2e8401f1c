from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "sharaka.observatory"
    label = "observatory"
    verbose_name = _("Observatoire")

    def ready(self) -> None:
        from sharaka.core import scheduler
        from sharaka.observatory import tasks

        # daily (ADR 0037): rebuild the snapshot the observatory's pages read
        scheduler.register("observatory.refresh", timedelta(days=1), tasks.refresh.enqueue)
