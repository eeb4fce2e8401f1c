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

        scheduler.register(
            "meetings.notices_requeue", timedelta(minutes=5), notices.notices_requeue_task.enqueue
        )
