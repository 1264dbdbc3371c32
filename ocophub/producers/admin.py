from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Member, Producer, Trademark


class MemberInline(admin.TabularInline):
    model = Member
    extra = 0


class TrademarkInline(admin.TabularInline):
    model = Trademark
    extra = 0


@admin.register(Producer)
class ProducerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "registration_number", "commune", "status", "is_sample")
    list_filter = ("kind", "status", "is_sample")
    search_fields = ("search_text", "registration_number")
    raw_id_fields = ("commune",)
    filter_horizontal = ("accounts",)
    inlines = [MemberInline, TrademarkInline]
