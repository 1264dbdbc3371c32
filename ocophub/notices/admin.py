from django.contrib import admin

from .models import Notice, Preferences


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    # Notices are made by the apps that notify; the admin reads them.
    list_display = ("recipient", "kind", "event", "created", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "event")
    readonly_fields = [f.name for f in Notice._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
