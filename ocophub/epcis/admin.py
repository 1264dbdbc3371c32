"""Read-only admin views: events are evidence and change only through capture."""

from django.contrib import admin

from .models import Capture, Event


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Capture)
class CaptureAdmin(ReadOnly):
    list_display = ("id", "captured_at", "captured_by", "event_count", "media_type")
    list_filter = ("media_type",)
    date_hierarchy = "captured_at"


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ("event_time", "type", "biz_step", "disposition", "read_point", "event_id")
    list_filter = ("type", "declared_in_error")
    search_fields = ("event_id", "read_point", "biz_location")
    date_hierarchy = "event_time"
    raw_id_fields = ("capture",)
