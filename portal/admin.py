from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Only system administrators (superusers) manage accounts; see docs/decisions.md."""

    ordering = ["full_name"]
    list_display = ["full_name", "email", "citizen_id", "tax_code", "agency", "is_active", "is_staff"]
    list_filter = ["applicant_type", "is_active", "is_staff", "groups", "agency"]
    search_fields = ["full_name", "email", "citizen_id", "tax_code", "phone"]
    autocomplete_fields = ["agency"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Thông tin cá nhân"),
            {"fields": ["full_name", "phone", "applicant_type", "citizen_id", "tax_code", "organization_name"]},
        ),
        (_("Cán bộ"), {"fields": ["agency", "groups"]}),
        (_("Quyền hạn"), {"fields": ["is_active", "is_staff", "is_superuser", "user_permissions"]}),
        (_("Thời gian"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    filter_horizontal = ["groups", "user_permissions"]
