from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sharaka.partners"
    label = "partners"
    verbose_name = _("Partenaires : recevabilité des associations")

    def ready(self) -> None:
        from sharaka.partners import lookups  # noqa: F401 (registers the associations lookup)
