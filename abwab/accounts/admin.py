from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from abwab.accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("territory", "office")
    readonly_fields = ("granted_by", "granted_at")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
