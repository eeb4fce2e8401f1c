from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "sharaka.meetings"
    label = "meetings"
    verbose_name = _("Réunions et délibérations")

    def ready(self) -> None:
        from datetime import timedelta

        from sharaka.core import scheduler
        from sharaka.meetings import notices
        from sharaka.meetings.lifecycle import decision_numbers
        from sharaka.partnerships import ports as partnership_ports

        partnership_ports.decision_numbers.provide(decision_numbers)
        scheduler.register(
            "meetings.notices_requeue", timedelta(minutes=5), notices.notices_requeue_task.enqueue
        )
