from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "sharaka.finance"
    label = "finance"
    verbose_name = _("Finances")

    def ready(self) -> None:
        from sharaka.finance.selectors import contribution_shares_get
        from sharaka.governance import ports as governance_ports

        governance_ports.contribution_shares.provide(contribution_shares_get)
