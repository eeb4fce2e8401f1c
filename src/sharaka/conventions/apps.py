from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "sharaka.conventions"
    label = "conventions"
    verbose_name = _("Conventions")
