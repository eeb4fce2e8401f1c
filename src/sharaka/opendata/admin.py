"""Admin: an administrator marks a partnership for IATI publication (reporting identifier,
funder)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharaka.opendata.models import IatiPublication


@admin.register(IatiPublication)
class IatiPublicationAdmin(SimpleHistoryAdmin):
    list_display = ("partnership", "reporting_org_ref", "funder", "published")
    list_filter = ("published",)
    search_fields = ("partnership__title", "partnership__slug", "reporting_org_ref")
    raw_id_fields = ("partnership", "funder")
