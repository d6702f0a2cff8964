from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import AdminSetPasswordForm
from .models import ApiToken, OutboxMessage, User
from .notifications import outbox_retry
from .services import api_token_revoke


class SuperuserReadOnlyMixin:
    """Admin pages that only system administrators (superusers) open, to look, never to edit: the rows
    are written by services (with their audit trail), not by hand. Every other staff member (an agency
    administrator included, whatever model permissions it is given) gets 403 and does not see the
    section on the admin index."""

    def _is_system_admin(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._is_system_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._is_system_admin(request)

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
    change_password_form = AdminSetPasswordForm


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """The outbox, to see what was sent and what failed; "Gửi lại" gives failed messages new attempts."""

    list_display = ["created_at", "channel", "recipient", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["recipient", "subject", "dedupe_key"]
    show_full_result_count = False  # the table grows without bound: one COUNT per page is enough
    actions = ["retry"]

    def has_retry_permission(self, request):
        return self._is_system_admin(request)

    @admin.action(description=_("Gửi lại"), permissions=["retry"])
    def retry(self, request, queryset):
        count = outbox_retry(message_ids=queryset.values_list("pk", flat=True))
        if count:
            self.message_user(
                request,
                ngettext(
                    "Đã đưa %(count)d thông báo gửi lỗi vào hàng đợi gửi lại.",
                    "Đã đưa %(count)d thông báo gửi lỗi vào hàng đợi gửi lại.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(request, _("Chỉ gửi lại được các thông báo ở trạng thái “Gửi lỗi”."), messages.WARNING)


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """Who holds API tokens (never a key: its last four characters); "Thu hồi" revokes the chosen ones."""

    list_display = ["user", "name", "last_four", "created_at", "expires_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "name", "last_four"]
    actions = ["revoke"]

    def has_revoke_permission(self, request):
        return self._is_system_admin(request)

    @admin.action(description=_("Thu hồi"), permissions=["revoke"])
    def revoke(self, request, queryset):
        tokens = list(queryset)
        for token in tokens:
            api_token_revoke(token=token)
        self.message_user(
            request,
            ngettext("Đã thu hồi %(count)d mã truy cập API.", "Đã thu hồi %(count)d mã truy cập API.", len(tokens))
            % {"count": len(tokens)},
            messages.SUCCESS,
        )
