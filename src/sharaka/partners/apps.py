from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "sharaka.partners"
    label = "partners"
    verbose_name = _("Partenaires : recevabilité des associations")

    def ready(self) -> None:
        from sharaka.core import todo
        from sharaka.partners import (
            lookups,  # noqa: F401 (registers the associations lookup)
            selection_admin,  # noqa: F401 (registers its admin)
        )
        from sharaka.partners.conflicts import partnership_conflicts, todo_missing_declarations
        from sharaka.partners.evidence_todo import expiring_evidence
        from sharaka.partners.selection_todo import new_applications
        from sharaka.partnerships import ports as partnership_ports

        partnership_ports.conflicts_of_interest.provide(partnership_conflicts)
        todo.register("partners.conflicts", todo_missing_declarations)
        todo.register("partners.new_applications", new_applications)
        todo.register("partners.expiring_evidence", expiring_evidence)
