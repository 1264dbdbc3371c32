from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Council,
    CouncilMember,
    CriteriaSet,
    Criterion,
    Decision,
    DecisionItem,
    Dossier,
    DossierDocument,
    LocalAssessment,
    Part,
    Round,
    ScoreSheet,
)


class PartInline(admin.TabularInline):
    model = Part
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "decision_number",
        "in_force_from",
        "in_force_until",
        "wording_confirmed",
    )
    inlines = [PartInline]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "part", "text", "max_points", "minimum_requirement")
    list_filter = ("part__criteria_set",)


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "province", "opens_on", "closes_on", "status")


class DocumentInline(admin.TabularInline):
    model = DossierDocument
    extra = 0


@admin.register(Dossier)
class DossierAdmin(SimpleHistoryAdmin):
    list_display = ("product", "round", "kind", "status", "council")
    list_filter = ("status", "kind", "round")
    raw_id_fields = ("product",)
    inlines = [DocumentInline]


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "round", "level", "scoring_closed_at")
    inlines = [MemberInline]


# Score sheets and decisions are shown read-only: their models refuse changes once a
# decision is issued, and sheets must stay the members' own.
class ReadOnly(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnly):
    list_display = ("dossier", "member", "submitted_at")


class ItemInline(admin.TabularInline):
    model = DecisionItem
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnly):
    list_display = ("number", "date", "issuing_body", "body_level", "issued_at")
    inlines = [ItemInline]


admin.site.register(LocalAssessment, SimpleHistoryAdmin)
