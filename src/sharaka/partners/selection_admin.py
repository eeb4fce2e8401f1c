"""Admin of partner selection: the competence catalogue (labels in French, Arabic and
English), the sectors' requirements (defaults, or an authority's own), partner profiles.
Choices, calls and applications are read here; they change through their pages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from sharaka.partners.selection_models import (
    Application,
    Call,
    Competence,
    PartnerChoice,
    PartnerCompetence,
    SectorRequirement,
)


@admin.register(Competence)
class CompetenceAdmin(SimpleHistoryAdmin):
    list_display = ("code", "label_fr", "label_ar", "label_en", "position")
    search_fields = ("code", "label_fr", "label_ar", "label_en")


@admin.register(SectorRequirement)
class SectorRequirementAdmin(SimpleHistoryAdmin):
    list_display = ("sector", "competence", "level", "authority")
    list_filter = ("sector",)
    raw_id_fields = ("authority",)


@admin.register(PartnerCompetence)
class PartnerCompetenceAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "competence", "level")
    search_fields = ("organization__name",)
    raw_id_fields = ("organization", "recorded_by")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PartnerChoice)
class PartnerChoiceAdmin(ReadOnly):
    list_display = ("partnership", "organization", "decision", "coverage", "chosen_by",
                    "chosen_at")  # fmt: skip


@admin.register(Call)
class CallAdmin(ReadOnly):
    list_display = ("title", "partnership", "opens_on", "closes_on")


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = ("call", "organization", "received_at", "seen_at")
