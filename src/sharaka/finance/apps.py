from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "sharaka.finance"
    label = "finance"
    verbose_name = _("Finances")

    def ready(self) -> None:
        from sharaka.core import scheduler
        from sharaka.finance import tasks
        from sharaka.finance.selectors import contribution_shares_get
        from sharaka.governance import ports as governance_ports

        governance_ports.contribution_shares.provide(contribution_shares_get)
        # the periodic jobs (ADR 0016), each enqueuing a task
        stale = timedelta(seconds=settings.SHARAKA_IMPORT_STALE_SECONDS)
        scheduler.register(
            "finance.imports_recover", max(stale / 2, timedelta(seconds=1)),
            tasks.imports_recover_task.enqueue,
        )  # fmt: skip
        scheduler.register(
            "finance.import_files_purge", timedelta(hours=1),
            tasks.import_files_purge_task.enqueue,
        )  # fmt: skip
