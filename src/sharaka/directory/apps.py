from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "sharaka.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from sharaka.core import access
        from sharaka.directory import (
            lookups,  # noqa: F401 (registers the directory's lookups)
            selectors,
        )

        access.territory_authorities.provide(selectors.territory_authorities_get)
