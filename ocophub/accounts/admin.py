from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = tuple(BaseUserAdmin.fieldsets or ()) + (
        ("OCOP", {"fields": ("role", "province", "communes", "phone")}),
    )
    list_display = ("username", "get_full_name", "role", "province", "is_active")
    list_filter = ("role", "is_active")
    autocomplete_fields = ("communes",)
    raw_id_fields = ("province",)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created", "last_used", "revoked")
    readonly_fields = ("prefix", "digest", "created", "last_used")
