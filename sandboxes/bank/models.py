"""The sandbox bank's own state: the transactions merchants opened, the notifications it sent them, and its
switches. Nothing here belongs to the portal."""

from django.db import models

# VNPay numbers its transactions; the sandbox's start here.
TRANSACTION_NO_BASE = 14_000_000


class BankTransaction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Chờ thanh toán"
        PAID = "paid", "Thành công"
        FAILED = "failed", "Không thành công"
        CANCELLED = "cancelled", "Khách hàng huỷ"
        REFUNDED = "refunded", "Đã hoàn tiền"

    class Notify(models.TextChoices):
        """When and how the bank tells the merchant (the IPN), chosen on the payment page."""

        IMMEDIATE = "immediate", "Ngay, trước khi chuyển trình duyệt về"
        DELAYED = "delayed", "Chậm: sau khi trình duyệt đã về"
        DUPLICATE = "duplicate", "Hai lần cùng lúc"
        OUT_OF_ORDER = "out_of_order", "Lệch thứ tự: thêm một thông báo thất bại cũ sau thông báo thành công"
        NONE = "none", "Không gửi thông báo"

    merchant = models.CharField(max_length=8)
    txn_ref = models.CharField(max_length=100)
    amount = models.PositiveBigIntegerField()  # as VNPay counts it: đồng × 100
    order_info = models.CharField(max_length=255)
    return_url = models.TextField()
    ip_addr = models.CharField(max_length=45, blank=True)
    create_date = models.CharField(max_length=14)
    expire_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    response_code = models.CharField(max_length=2, blank=True)
    transaction_status = models.CharField(max_length=2, blank=True)
    bank_code = models.CharField(max_length=20, default="NCB")
    card_type = models.CharField(max_length=20, default="ATM")
    pay_date = models.CharField(max_length=14, blank=True)
    notify = models.CharField(max_length=20, choices=Notify.choices, default=Notify.IMMEDIATE)
    notify_delay_seconds = models.PositiveSmallIntegerField(default=3)
    refunded_amount = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "txn_ref"], name="sandbox_bank_txn_unique")]
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.merchant}/{self.txn_ref}: {self.status}"

    @property
    def transaction_no(self) -> str:
        return str(TRANSACTION_NO_BASE + self.pk)


class SentNotification(models.Model):
    """One IPN call the bank made, and what the merchant answered."""

    transaction = models.ForeignKey(BankTransaction, on_delete=models.CASCADE, related_name="notifications")
    parameters = models.JSONField()
    http_status = models.PositiveSmallIntegerField(null=True)
    rsp_code = models.CharField(max_length=10, blank=True)
    error = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.transaction_id}: {self.rsp_code or self.error}"


class Switch(models.Model):
    """A fault the bank plays until switched off: "api_down" (the merchant API answers 503), "refuse_refunds"."""

    name = models.CharField(max_length=30, unique=True)
    on = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.name}: {self.on}"
