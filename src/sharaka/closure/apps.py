from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClosureConfig(AppConfig):
    name = "sharaka.closure"
    label = "closure"
    verbose_name = _("Fin du partenariat")

    def ready(self) -> None:
        from datetime import timedelta

        from sharaka.closure import lifecycle, services, todo
        from sharaka.core import scheduler
        from sharaka.core import todo as core_todo
        from sharaka.partnerships import ports

        ports.closure_facts.provide(lifecycle.closure_facts)
        scheduler.register("closure.expire_due", timedelta(days=1), services.expire_due)
        core_todo.register("closure.expiry", todo.expiry_todo)
