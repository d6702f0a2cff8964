"""Shipments, pickup orders and the carrier message log in the admin: for system administrators to look a parcel
up, never to edit one (every change goes through postal.services and postal.pickups, under row locks)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import SuperuserReadOnlyMixin

from .models import CarrierMessage, PickupOrder, Shipment, ShipmentEvent


class ShipmentEventInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = ShipmentEvent
    verbose_name = _("sự kiện")
    verbose_name_plural = _("hành trình bưu gửi")
    fields = ["sequence", "status", "occurred_at", "note", "event_id", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class CarrierMessageInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = CarrierMessage
    verbose_name = _("thông điệp")
    verbose_name_plural = _("thông điệp trao đổi với bưu điện")
    fields = ["created_at", "kind", "outcome", "detail", "parameters"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Shipment)
class ShipmentAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["tracking_number", "dossier", "carrier", "direction", "status", "requested_at", "send_attempts"]
    list_filter = ["status", "carrier", "direction"]
    list_select_related = ["dossier"]
    search_fields = ["tracking_number", "dossier__code"]
    date_hierarchy = "requested_at"
    inlines = [ShipmentEventInline, CarrierMessageInline]
    readonly_fields = [field.name for field in Shipment._meta.fields]


@admin.register(PickupOrder)
class PickupOrderAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["shipment", "procedure", "applicant", "created_at", "linked_at"]
    list_select_related = ["shipment", "procedure", "applicant"]
    search_fields = ["shipment__tracking_number", "shipment__dossier__code"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in PickupOrder._meta.fields]


@admin.register(CarrierMessage)
class CarrierMessageAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "carrier", "kind", "outcome", "shipment", "detail"]
    list_filter = ["carrier", "kind", "outcome"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in CarrierMessage._meta.fields]
