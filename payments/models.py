from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import TimeStampedModel

from .constants import Direction, MessageKind, PaymentPurpose, PaymentStatus, RefundReason


class Payment(TimeStampedModel):
    """One attempt to pay for a dossier: online through a provider, or recorded at the one-stop desk.

    The amount (whole đồng) is the dossier's fee, or its postage (purpose), when the payment is started. `reference`
    is the portal's transaction reference, unique, sent to the provider (VNPay's vnp_TxnRef). At most one payment per
    dossier and purpose is `applied`: the one that paid the fee (or the postage). Another payment that took money too
    (a second browser tab) is refunded."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payments"
    )
    purpose = models.CharField(
        _("khoản thu"), max_length=20, choices=PaymentPurpose.choices, default=PaymentPurpose.FEE
    )
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    provider = models.CharField(_("hình thức thanh toán"), max_length=30)
    reference = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    applied = models.BooleanField(_("đã ghi nhận cho hồ sơ"), default=False)
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thanh toán trực tuyến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ thu tại quầy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Where to send the payer back to while the attempt is open (the provider's payment page).
    redirect_url = models.TextField(blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    # What the provider or the desk told about the money: its own transaction number, its last response code,
    # the bank or the counter method.
    provider_transaction_no = models.CharField(_("mã giao dịch tại cổng thanh toán"), max_length=40, blank=True)
    provider_response_code = models.CharField(_("mã phản hồi"), max_length=10, blank=True)
    method_detail = models.CharField(_("chi tiết"), max_length=100, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc (không thành công, hết hạn, huỷ)"), null=True, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    refund_reason = models.CharField(_("lý do hoàn tiền"), max_length=20, choices=RefundReason.choices, blank=True)
    refund_requested_at = models.DateTimeField(_("yêu cầu hoàn tiền lúc"), null=True, blank=True)
    refund_attempts = models.PositiveSmallIntegerField(default=0)
    refunded_at = models.DateTimeField(_("hoàn tiền lúc"), null=True, blank=True)
    refund_note = models.CharField(_("ghi chú hoàn tiền"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("khoản thanh toán")
        verbose_name_plural = _("khoản thanh toán")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["dossier", "purpose", "status"], name="payment_dossier"),
            # The reconciliation job: pending and refund-pending payments, oldest first.
            models.Index(fields=["status", "created_at"], name="payment_status_created"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "purpose"], condition=Q(applied=True), name="payment_applied_once"
            ),
        ]

    def __str__(self):
        return self.reference


class ProviderMessage(models.Model):
    """Append-only: every message exchanged with a payment provider, in and out, as it was (secrets masked),
    whether its signature was verified, and what the portal made of it. Nothing updates or deletes a row."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="messages")
    provider = models.CharField(max_length=30)
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    # The reference the message names (kept also when no payment has it: an unknown or forged reference).
    reference = models.CharField(max_length=100, blank=True)
    parameters = models.JSONField(default=dict)
    signature_valid = models.BooleanField(null=True)
    outcome = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông điệp cổng thanh toán")
        verbose_name_plural = _("thông điệp cổng thanh toán")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["payment", "created_at"], name="provider_message_payment")]

    def __str__(self):
        return f"{self.provider} {self.direction} {self.kind} {self.reference}: {self.outcome}"


class Receipt(models.Model):
    """The electronic receipt ("biên lai điện tử") of a payment applied to a dossier: numbered in a series per
    agency and year."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="receipt")
    agency = models.ForeignKey("procedures.Agency", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="receipt_number_unique"),
        ]

    def __str__(self):
        return f"{self.series} {self.number_text}"

    @property
    def series(self) -> str:
        """The receipt's symbol ("ký hiệu"): its year and E for electronic."""
        return f"BL{self.year % 100:02d}E"

    @property
    def number_text(self) -> str:
        return f"{self.number:07d}"


class ReceiptSequence(models.Model):
    """The last receipt number of an agency in a year; the row is locked to hand out the next."""

    agency = models.ForeignKey("procedures.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="receipt_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.year}: {self.last_number}"
