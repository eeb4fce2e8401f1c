"""Admin: an administrator edits each authority's working calendar (weekend days,
holidays with a label), which the oversight due dates count on."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharaka.directory.models import Holiday, WorkingCalendar


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 1
    fields = ("day", "label", "demo")


@admin.register(WorkingCalendar)
class WorkingCalendarAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "friday_off", "saturday_off", "sunday_off")
    search_fields = ("organization__name",)
    autocomplete_fields = ()
    raw_id_fields = ("organization",)
    inlines = [HolidayInline]
