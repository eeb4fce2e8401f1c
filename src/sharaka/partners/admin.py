"""Admin: an administrator edits the criteria sets (per authority, labels in French, Arabic
and English, legal references) and the funding thresholds. Files and evidence are read
here; they change through the file pages (services)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sharaka.partners.models import (
    AdmissibilityFile,
    CriteriaSet,
    Criterion,
    Evidence,
    FundingThreshold,
)


class CriterionInline(admin.StackedInline):
    model = Criterion
    extra = 0
    fields = (
        ("position", "code", "kind"),
        "label_fr", "label_ar", "label_en", "reference",
        ("weight", "max_score", "eliminatory"),
        ("condition", "provisional_wait_days"),
    )  # fmt: skip


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = ("name", "authority", "updated_at")
    list_select_related = ("authority",)
    inlines = (CriterionInline,)


@admin.register(FundingThreshold)
class FundingThresholdAdmin(SimpleHistoryAdmin):
    list_display = ("amount", "label_fr", "reference", "verified", "authority")
    list_select_related = ("authority",)


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    can_delete = False
    fields = ("criterion", "original_name", "issued_on", "expires_on", "status", "comment")
    readonly_fields = fields


@admin.register(AdmissibilityFile)
class AdmissibilityFileAdmin(SimpleHistoryAdmin):
    list_display = ("association", "authority", "decision", "decided_at")
    list_select_related = ("association", "authority")
    search_fields = ("association__name",)
    readonly_fields = ("decision", "decision_reason", "decided_by", "decided_at", "created_by")
    inlines = (EvidenceInline,)
