from __future__ import annotations

from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetencesConfig(AppConfig):
    name = "sharaka.competences"
    label = "competences"
    verbose_name = _("Compétences et formation")

    def ready(self) -> None:
        from sharaka.competences import digest
        from sharaka.competences.selectors import training_todo
        from sharaka.core import scheduler, todo

        todo.register("competences.training", training_todo)
        scheduler.register("competences.digest", timedelta(days=1), digest.digest_job)
