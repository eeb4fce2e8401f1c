from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "sharaka.opendata"
    label = "opendata"
    verbose_name = _("Données ouvertes")

    def ready(self) -> None:
        from sharaka.opendata import portal
        from sharaka.partnerships import ports

        ports.public_summary.provide(portal.public_summary_html)
