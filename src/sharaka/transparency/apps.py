from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "sharaka.transparency"
    label = "transparency"
    verbose_name = _("Transparence")

    def ready(self) -> None:
        from sharaka.core import scheduler, todo
        from sharaka.transparency import lookups, tasks  # noqa: F401 (lookups: registers)
        from sharaka.transparency import todo as transparency_todo

        # daily (ADR 0016, 0024): reminders of due requests, then the anonymisation of the
        # requesters of requests closed longer than SHARAKA_REQUESTS_KEEP_DAYS
        scheduler.register("transparency.requests_daily", timedelta(days=1), tasks.daily.enqueue)
        # the to-do list (ADR 0029, 0036): requests due, decisions to post (art. 273)
        todo.register("transparency.requests", transparency_todo.requests_due)
        todo.register("transparency.decisions_to_post", transparency_todo.decisions_to_post)
        todo.register("transparency.publication", transparency_todo.publication_to_do)
