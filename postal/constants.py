from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    RESULT = "result", _("Chuyển kết quả đến người nộp")
    DOSSIER_PICKUP = "dossier_pickup", _("Thu gom hồ sơ từ người nộp")


class ShipmentStatus(models.TextChoices):
    """`requested`: written by the portal, not yet accepted by the carrier (the send is retried until it is). The
    others are the carrier's statuses (docs/postal.md)."""

    REQUESTED = "requested", _("Đang gửi yêu cầu đến bưu điện")
    ACCEPTED = "accepted", _("Bưu điện đã nhận yêu cầu")
    PICKED_UP = "picked_up", _("Bưu điện đã nhận bưu gửi")
    IN_TRANSIT = "in_transit", _("Đang vận chuyển")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Đang phát")
    DELIVERED = "delivered", _("Đã giao")
    FAILED_ATTEMPT = "failed_attempt", _("Phát không thành công")
    RETURNED_TO_SENDER = "returned_to_sender", _("Đã chuyển hoàn về cơ quan")
    CANCELLED = "cancelled", _("Đã huỷ")


# Nothing changes a shipment in these: a new one is made to send again.
FINAL_STATUSES = (ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED_TO_SENDER, ShipmentStatus.CANCELLED)
# The statuses a carrier may report (a notification naming another is refused).
CARRIER_STATUSES = tuple(status for status in ShipmentStatus if status != ShipmentStatus.REQUESTED)


# What the portal declares a result's parcel weighs: the documents in an A4 envelope (the carrier prices by it).
RESULT_WEIGHT_GRAMS = 200

# The carrier's distance zones (VNPost's domestic tariff: within the province, to other provinces near or far).
ZONES = {
    "NOI_TINH": _("nội tỉnh"),
    "LIEN_TINH_GAN": _("liên tỉnh gần"),
    "LIEN_TINH_XA": _("liên tỉnh xa"),
}


class MessageKind(models.TextChoices):
    CREATE = "create", "create"
    CANCEL = "cancel", "cancel"
    QUERY = "query", "query"
    NOTIFICATION = "notification", "notification"


class MessageOutcome(models.TextChoices):
    APPLIED = "applied", "applied"  # the shipment changed
    DUPLICATE = "duplicate", "duplicate"  # an event already recorded
    STALE = "stale", "stale"  # an older event arriving after a newer one: on the timeline, the status kept
    REJECTED = "rejected", "rejected"  # bad signature, sender or reference: nothing changed
    UNAVAILABLE = "unavailable", "unavailable"  # the carrier could not be reached
    ANSWERED = "answered", "answered"  # a call the carrier answered
