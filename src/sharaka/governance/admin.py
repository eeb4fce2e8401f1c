"""Admin: read and correct boards. Day-to-day changes go through the board pages (services)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from sharaka.core.access import is_read_only
from sharaka.governance.models import (
    Board,
    BoardCollege,
    GovernanceSettings,
    Mandate,
    Officer,
    Seat,
)


class ReadOnlyWhenTerminated(SimpleHistoryAdmin):
    """A terminated partnership is read-only here too (ADR 0018): its rows can be viewed,
    not changed or deleted. ``partnership_path`` leads from a row to its partnership."""

    partnership_path = "partnership"

    def _terminated(self, obj: Any) -> bool:
        return obj is not None and is_read_only(attrgetter(self.partnership_path)(obj))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._terminated(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self._terminated(obj) and super().has_delete_permission(request, obj)


class CollegeInline(admin.TabularInline):
    model = BoardCollege
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        terminated = obj is not None and is_read_only(obj.partnership)  # obj: the board
        return not terminated and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        terminated = obj is not None and is_read_only(obj.partnership)
        return not terminated and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        terminated = obj is not None and is_read_only(obj.partnership)
        return not terminated and super().has_delete_permission(request, obj)


@admin.register(Board)
class BoardAdmin(ReadOnlyWhenTerminated):
    list_display = ("name", "partnership", "template", "created_at")
    search_fields = ("name", "partnership__title", "partnership__slug")
    list_select_related = ("partnership",)
    inlines = (CollegeInline,)


@admin.register(Seat)
class SeatAdmin(ReadOnlyWhenTerminated):
    partnership_path = "board.partnership"
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
class MandateAdmin(ReadOnlyWhenTerminated):
    partnership_path = "seat.board.partnership"
    list_display = ("person", "seat", "on_behalf_of", "start_date", "end_date")
    list_select_related = ("person", "seat__college", "seat__organization", "on_behalf_of")
    search_fields = ("person__last_name", "person__first_name", "seat__board__partnership__title")
    date_hierarchy = "start_date"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a mandate is ended, never deleted


@admin.register(Officer)
class OfficerAdmin(ReadOnlyWhenTerminated):
    partnership_path = "board.partnership"
    list_display = ("role", "mandate", "board", "start_date", "end_date")
    list_filter = ("role",)
    list_select_related = ("mandate__person", "mandate__seat__college", "board")


@admin.register(GovernanceSettings)
class GovernanceSettingsAdmin(ReadOnlyWhenTerminated):
    list_display = ("partnership", "method", "fallback_method", "quorum", "min_women_share")
    list_select_related = ("partnership",)
