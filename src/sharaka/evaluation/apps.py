from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "sharaka.evaluation"
    label = "evaluation"
    verbose_name = _("Évaluation")

    def ready(self) -> None:
        from sharaka.core import todo
        from sharaka.evaluation import evaluation_selectors
        from sharaka.evaluation import todo as measurements_todo

        todo.register("evaluation", evaluation_selectors.todo_items)
        todo.register("evaluation.measurements", measurements_todo.measurements_to_validate)
