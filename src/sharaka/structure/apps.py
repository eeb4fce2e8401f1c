from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StructureConfig(AppConfig):
    name = "sharaka.structure"
    label = "structure"
    verbose_name = _("Structure de gestion")

    def ready(self) -> None:
        from sharaka.directory.selectors import workplace_source_register
        from sharaka.planning import ports as planning_ports
        from sharaka.structure.selectors import delegation_list, person_workplaces, staff_person_ids

        workplace_source_register(person_workplaces)
        planning_ports.staff_person_ids.provide(staff_person_ids)
        planning_ports.delegations.provide(delegation_list)
