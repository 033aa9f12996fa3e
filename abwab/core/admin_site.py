"""Django's admin, open to national administrators only (it is not scoped by territory)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from abwab.core.scope import is_national_admin


class AbwabAdminSite(admin.AdminSite):
    site_header = "Abwab"

    def has_permission(self, request) -> bool:
        return bool(
            request.user.is_active and request.user.is_staff and is_national_admin(request.user)
        )


class AbwabAdminConfig(AdminConfig):
    default_site = "abwab.core.admin_site.AbwabAdminSite"
