from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Certificate, CertificateReminder


class ReminderInline(admin.TabularInline):
    model = CertificateReminder
    extra = 0
    readonly_fields = ("threshold_days", "recipients", "sent_at")
    can_delete = False


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    # Issue and revoke through the app (issuing.py) so products' stars follow; the admin
    # is for reading and audit history.
    list_display = ("number", "product", "stars", "valid_from", "valid_until", "revoked_on")
    list_filter = ("stars", "is_sample")
    search_fields = ("number", "decision_number", "product__search_text")
    readonly_fields = [f.name for f in Certificate._meta.fields]
    inlines = [ReminderInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
