from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructureConfig(AppConfig):
    name = "sharaka.structure"
    label = "structure"
    verbose_name = _("Structure de gestion")

    def ready(self) -> None:
        from sharaka.directory.selectors import workplace_source_register
        from sharaka.structure.selectors import person_workplaces

        workplace_source_register(person_workplaces)
