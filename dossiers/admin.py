"""Dossiers in the admin: for system administrators to look up a case, never to edit one.

Every change to a dossier goes through the services in dossiers.services (locked transition, event row,
notifications); the admin therefore offers no add, change or delete, and files are linked through the
permission-checked download view, never through MEDIA_URL.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin import SuperuserReadOnlyMixin

from .models import Dossier, DossierDocument, DossierEvent, SigningCredential
from .services.delivery import DELIVERY_FIELDS


class DossierEventInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = DossierEvent
    verbose_name = _("bước xử lý")
    verbose_name_plural = _("quá trình xử lý")
    fields = ["created_at", "action", "from_status", "to_status", "actor", "receiver", "due_at", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor", "receiver")


class DossierDocumentInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = DossierDocument
    verbose_name = _("tệp")
    verbose_name_plural = _("tệp hồ sơ")
    # No `file` field: its widget would link to MEDIA_URL, which serves nothing (files are private).
    fields = ["download", "kind", "required_document", "content_type", "size", "uploaded_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("dossier", "required_document", "uploaded_by")

    @admin.display(description=_("tên tệp"))
    def download(self, document):
        if document.dossier.is_draft:
            # A draft is the applicant's alone: the download view answers 404 to anyone else.
            return document.original_name
        url = reverse("dossiers:document-download", args=[document.dossier_id, document.pk])
        return format_html('<a href="{}">{}</a>', url, document.original_name)


@admin.register(Dossier)
class DossierAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "procedure", "agency", "status", "channel", "submitted_at", "due_at", "timeliness"]
    list_filter = ["status", "channel", "agency", "timeliness"]
    list_select_related = ["procedure", "agency"]
    search_fields = ["code", "applicant_name"]
    show_full_result_count = False
    inlines = [DossierEventInline, DossierDocumentInline]
    fieldsets = [
        (None, {"fields": ["code", "procedure", "agency", "status", "channel", "assignee"]}),
        (
            _("Người nộp"),
            {
                "fields": [
                    "applicant",
                    "applicant_type",
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_phone",
                    "applicant_email",
                    "applicant_address",
                    "form_data",
                ]
            },
        ),
        (
            _("Thời hạn"),
            {
                "fields": [
                    "submitted_at",
                    "received_at",
                    "due_at",
                    "original_due_at",
                    "paused_at",
                    "apologized_at",
                    "finished_at",
                    "returned_at",
                    "timeliness",
                ]
            },
        ),
        (
            _("Thủ tục lúc nộp"),
            {"fields": ["processing_time", "processing_time_unit", "cutoff_time", "fee", "applicant_fields"]},
        ),
        (
            _("Kết quả"),
            {
                "fields": [
                    "proposed_outcome",
                    "resolution_note",
                    *DELIVERY_FIELDS,
                    "postal_tracking_number",
                ]
            },
        ),
    ]


class SigningCredentialForm(forms.ModelForm):
    # Never shown back: left empty, the stored password stays.
    password = forms.CharField(
        label=_("mật khẩu tệp PKCS#12"), required=False, widget=forms.PasswordInput(render_value=False)
    )

    class Meta:
        model = SigningCredential
        fields = ["agency", "pkcs12_path", "password"]

    def clean_password(self):
        return self.cleaned_data["password"] or (self.instance.password if self.instance.pk else "")


@admin.register(SigningCredential)
class SigningCredentialAdmin(admin.ModelAdmin):
    """An agency's own PKCS#12 file for signing results (docs/signing.md); system administrators only."""

    form = SigningCredentialForm
    list_display = ["agency", "pkcs12_path", "updated_at"]
    autocomplete_fields = ["agency"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
