from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "sharaka.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from sharaka.accounts import signals

        signals.connect()
