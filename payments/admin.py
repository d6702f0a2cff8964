"""Payments, the provider message log and receipts in the admin: for system administrators to look up a payment,
never to edit one (every change goes through payments.services, under row locks, with its dossier event)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import SuperuserReadOnlyMixin

from .models import Payment, ProviderMessage, Receipt


class ProviderMessageInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = ProviderMessage
    verbose_name = _("thông điệp")
    verbose_name_plural = _("thông điệp trao đổi với cổng thanh toán")
    fields = ["created_at", "direction", "kind", "signature_valid", "outcome", "detail", "parameters"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Payment)
class PaymentAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["reference", "dossier", "provider", "amount", "status", "applied", "created_at", "paid_at"]
    list_filter = ["status", "provider", "purpose", "applied"]
    list_select_related = ["dossier"]
    search_fields = ["reference", "dossier__code", "provider_transaction_no"]
    date_hierarchy = "created_at"
    inlines = [ProviderMessageInline]
    readonly_fields = [field.name for field in Payment._meta.fields]


@admin.register(ProviderMessage)
class ProviderMessageAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "provider", "direction", "kind", "reference", "signature_valid", "outcome"]
    list_filter = ["provider", "direction", "kind", "signature_valid", "outcome"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ProviderMessage._meta.fields]


@admin.register(Receipt)
class ReceiptAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "agency", "payment", "issued_at"]
    list_filter = ["year", "agency"]
    list_select_related = ["agency", "payment"]
    search_fields = ["payment__reference", "payment__dossier__code"]
    readonly_fields = [field.name for field in Receipt._meta.fields]
