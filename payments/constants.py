from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentPurpose(models.TextChoices):
    """What a payment pays for: the dossier's fee, or the carrier's postage of a result sent by post (quoted when the
    applicant chose the post and paid online; docs/postal.md "Postage")."""

    FEE = "fee", _("Phí, lệ phí")
    POSTAGE = "postage", _("Cước bưu chính")


class PaymentStatus(models.TextChoices):
    """pending → paid / failed / expired / cancelled; paid → refund_pending → refunded (or refund_refused, left to
    the agency). The provider is the truth about money: a verified report that a failed, expired or cancelled
    payment was paid after all makes it paid (and refunded if the fee was paid meanwhile)."""

    PENDING = "pending", _("Đang chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết hạn")
    CANCELLED = "cancelled", _("Người nộp đã huỷ")
    REFUND_PENDING = "refund_pending", _("Đang hoàn tiền")
    REFUNDED = "refunded", _("Đã hoàn tiền")
    REFUND_REFUSED = "refund_refused", _("Hoàn tiền bị từ chối")


# A payment that has not taken money: a later verified report of success may still make it paid.
UNPAID_STATUSES = frozenset(
    {PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED}
)
# A payment whose money was taken (whatever happened to it since).
MONEY_TAKEN_STATUSES = frozenset(
    {PaymentStatus.PAID, PaymentStatus.REFUND_PENDING, PaymentStatus.REFUNDED, PaymentStatus.REFUND_REFUSED}
)


class RefundReason(models.TextChoices):
    DOSSIER_CLOSED = "dossier_closed", _("Hồ sơ bị từ chối hoặc được rút")
    DUPLICATE = "duplicate", _("Phí của hồ sơ đã được nộp bằng khoản khác")


class CounterMethod(models.TextChoices):
    """How the money was handed over at the one-stop desk."""

    CASH = "cash", _("Tiền mặt tại quầy")
    CARD = "card", _("Thẻ ngân hàng tại quầy")


class Direction(models.TextChoices):
    INCOMING = "in", _("Nhận từ cổng thanh toán")
    OUTGOING = "out", _("Gửi tới cổng thanh toán")


class MessageKind(models.TextChoices):
    START = "start", _("Tạo giao dịch")
    RETURN = "return", _("Trình duyệt quay về")
    NOTIFICATION = "notification", _("Thông báo kết quả (IPN)")
    QUERY = "query", _("Truy vấn giao dịch")
    REFUND = "refund", _("Hoàn tiền")


class NotificationOutcome(models.TextChoices):
    """What the portal answers a provider's server-to-server notification (each provider says it in its own codes:
    VNPay's RspCode 00, 01, 02, 04, 97, 99)."""

    CONFIRMED = "confirmed", _("Đã ghi nhận")
    NOT_FOUND = "not_found", _("Không tìm thấy giao dịch")
    ALREADY_CONFIRMED = "already_confirmed", _("Giao dịch đã được ghi nhận trước đó")
    INVALID_AMOUNT = "invalid_amount", _("Số tiền không khớp")
    INVALID_SIGNATURE = "invalid_signature", _("Chữ ký không hợp lệ")
    WRONG_MERCHANT = "wrong_merchant", _("Sai mã đơn vị chấp nhận thanh toán")
    ERROR = "error", _("Lỗi khác")
