"""The Django admin, for superusers only: every role works through the platform's own
pages, whose scoping the admin does not know; an is_staff flag alone opens nothing."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class SuperuserAdminConfig(AdminConfig):
    default_site = "ocophub.core.admin_site.SuperuserAdminSite"
