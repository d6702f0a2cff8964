"""A parcel the agency sends or asks the carrier to collect (Shipment), the carrier's events on it (ShipmentEvent,
one per carrier event id: the timeline) and every message exchanged with the carrier (CarrierMessage, append-only)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import FINAL_STATUSES, Direction, MessageKind, MessageOutcome, ShipmentStatus


class Shipment(models.Model):
    # None for a pickup until reception records the paper dossier it brought (PickupOrder).
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="shipments", null=True, blank=True
    )
    direction = models.CharField(_("chiều"), max_length=20, choices=Direction.choices, default=Direction.RESULT)
    carrier = models.CharField(_("đơn vị bưu chính"), max_length=30)
    # Sent with every create call: the carrier answers a repeated call with the parcel it already made.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    tracking_number = models.CharField(_("số hiệu bưu gửi"), max_length=40, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ShipmentStatus.choices, default=ShipmentStatus.REQUESTED
    )
    receiver_name = models.CharField(_("người nhận"), max_length=255)
    receiver_phone = models.CharField(_("điện thoại người nhận"), max_length=20, blank=True)
    receiver_address = models.CharField(_("địa chỉ nhận"), max_length=255)
    # Cash the postal worker collects from the receiver at the door (the postage chosen paid on delivery), whole đồng.
    cod_amount = models.PositiveBigIntegerField(_("tiền thu hộ khi phát (đồng)"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # The carrier numbers a parcel's events in order: an event numbered below this one arrived late.
    last_event_sequence = models.PositiveIntegerField(default=0)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bưu gửi")
        verbose_name_plural = _("bưu gửi")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One parcel on its way per dossier and direction: a second hand-over is refused.
            models.UniqueConstraint(
                fields=["dossier", "direction"],
                condition=~Q(status__in=[str(status) for status in FINAL_STATUSES]),
                name="postal_one_open_shipment",
            ),
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], condition=~Q(tracking_number=""), name="postal_tracking_unique"
            ),
        ]

    def __str__(self):
        return self.tracking_number or f"{self.dossier_id}/{self.idempotency_key}"

    @property
    def reference(self) -> str:
        """The portal's order code at the carrier."""
        return str(self.idempotency_key)

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


class ShipmentEvent(models.Model):
    """A verified carrier event, once (a duplicate is logged in CarrierMessage only)."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField()
    note = models.CharField(max_length=255, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence", "id"]
        constraints = [models.UniqueConstraint(fields=["shipment", "event_id"], name="postal_event_once")]

    def __str__(self):
        return f"{self.event_id}: {self.status}"


class PickupOrder(models.Model):
    """An applicant's request that the post collect a paper dossier at an address and carry it to the one-stop desk
    of the procedure's agency. The carrier's side (order, tracking number, status, events, retries) is its shipment
    (direction `dossier_pickup`, received by the desk); reception links the paper dossier it recorded at intake."""

    shipment = models.OneToOneField(Shipment, on_delete=models.PROTECT, related_name="pickup")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pickup_orders")
    procedure = models.ForeignKey("procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT)
    # Where the postal worker collects it, and whom they call.
    address = models.OneToOneField("procedures.PostalAddress", on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("ghi chú cho bưu tá"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đơn thu gom hồ sơ")
        verbose_name_plural = _("đơn thu gom hồ sơ")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return str(self.shipment)


class CarrierMessage(models.Model):
    """Every call to the carrier and every notification received, as sent or received (secrets masked) with what
    the portal made of it. Append-only: never changed or deleted."""

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="messages", null=True)
    carrier = models.CharField(max_length=30)
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    outcome = models.CharField(max_length=20, choices=MessageOutcome.choices)
    detail = models.CharField(max_length=255, blank=True)
    parameters = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.carrier} {self.kind}: {self.outcome}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("CarrierMessage is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("CarrierMessage is append-only.")
