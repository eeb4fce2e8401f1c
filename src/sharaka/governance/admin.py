"""Admin: read and correct boards. Day-to-day changes go through the board pages (services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharaka.governance.models import (
    Board,
    BoardCollege,
    GovernanceSettings,
    Mandate,
    Officer,
    Seat,
)


class CollegeInline(admin.TabularInline):
    model = BoardCollege
    extra = 0


@admin.register(Board)
class BoardAdmin(SimpleHistoryAdmin):
    list_display = ("name", "partnership", "template", "created_at")
    search_fields = ("name", "partnership__title", "partnership__slug")
    list_select_related = ("partnership",)
    inlines = (CollegeInline,)


@admin.register(Seat)
class SeatAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "board",
        "college",
        "organization",
        "voting",
        "established_on",
        "abolished_on",
    )
    list_filter = ("voting", "expertise")
    list_select_related = ("board", "college", "organization")
    search_fields = ("organization__name", "board__partnership__title", "label")


@admin.register(Mandate)
class MandateAdmin(SimpleHistoryAdmin):
    list_display = ("person", "seat", "on_behalf_of", "start_date", "end_date")
    list_select_related = ("person", "seat__college", "seat__organization", "on_behalf_of")
    search_fields = ("person__last_name", "person__first_name", "seat__board__partnership__title")
    date_hierarchy = "start_date"

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # a mandate is ended, never deleted


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ("role", "mandate", "board", "start_date", "end_date")
    list_filter = ("role",)
    list_select_related = ("mandate__person", "mandate__seat__college", "board")


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("partnership", "method", "fallback_method", "quorum", "min_women_share")
    list_select_related = ("partnership",)
