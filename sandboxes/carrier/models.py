"""The sandbox carrier's own state: the parcels customers ordered, their events and the notifications sent, and
its switches. Nothing here belongs to the portal."""

from django.db import models
from django.utils import timezone

ITEM_CODE_BASE = 100_000_000


class Parcel(models.Model):
    DELIVERY, PICKUP = "delivery", "pickup"  # a parcel the customer sends; one collected for the customer

    customer = models.CharField(max_length=20)
    kind = models.CharField(max_length=10, default=DELIVERY)
    order_code = models.CharField(max_length=64)
    item_code = models.CharField(max_length=13, unique=True, blank=True)
    status = models.CharField(max_length=20, default="ACCEPTED")
    order = models.JSONField(default=dict)  # the order as received
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["customer", "order_code"], name="sandbox_parcel_order_once")]

    def __str__(self):
        return self.item_code or self.order_code


class ParcelEvent(models.Model):
    """One status change of a parcel, numbered in order; `sent` once notified (held ones wait for a release)."""

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    sequence = models.PositiveIntegerField()
    status = models.CharField(max_length=20)
    occurred_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=255, blank=True)
    held = models.BooleanField(default=False)

    class Meta:
        ordering = ["sequence"]

    def __str__(self):
        return self.event_id

    @property
    def event_id(self) -> str:
        return f"{self.parcel.item_code}-{self.sequence}"


class SentNotification(models.Model):
    event = models.ForeignKey(ParcelEvent, on_delete=models.CASCADE, related_name="notifications")
    http_status = models.PositiveSmallIntegerField(null=True)
    error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.event_id}: {self.http_status or self.error}"


class Switch(models.Model):
    name = models.CharField(max_length=30, unique=True)
    on = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.name}={self.on}"
