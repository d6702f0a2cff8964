"""The payment API, /api/v1/payments/: the payments of the dossiers a user may open (the applicant's own, an
officer's agency's), one by reference, starting an online payment (the applicant; the answer carries the provider's
page to send the payer to), and a fee taken at the desk (a reception officer).

Views are thin: reads through payments.selectors, writes through payments.services. A refusal of the workflow
(the fee not due, paid already, not the applicant) answers 409 `{"code", "detail"}` (portal/api_errors.py)."""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from dossiers.selectors import dossier_get_for_workbench, dossier_visible_to
from portal.ratelimit import client_address

from . import selectors, services
from .constants import CounterMethod, PaymentPurpose, PaymentStatus
from .models import Payment
from .providers import registry


class ReceiptRefSerializer(serializers.Serializer):
    series = serializers.CharField(help_text="Ký hiệu biên lai.")
    number = serializers.CharField(help_text="Số biên lai (7 chữ số).")
    download_url = serializers.CharField(help_text="Tải biên lai điện tử (PDF).")


class PaymentSerializer(serializers.ModelSerializer):
    dossier = serializers.CharField(source="dossier.code", help_text="Mã hồ sơ.")
    amount = serializers.IntegerField(help_text="Số tiền (đồng).")
    provider_label = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    receipt = serializers.SerializerMethodField()
    payment_url = serializers.SerializerMethodField(
        help_text="Trang thanh toán của cổng thanh toán (chỉ người nộp, khi giao dịch đang chờ): chuyển người nộp "
        "tới đây; kết quả được ghi nhận khi cổng thanh toán xác nhận với Cổng Dịch vụ công."
    )

    class Meta:
        model = Payment
        fields = [
            "reference",
            "dossier",
            "purpose",
            "amount",
            "provider",
            "provider_label",
            "status",
            "status_label",
            "created_at",
            "expires_at",
            "paid_at",
            "refunded_at",
            "receipt",
            "payment_url",
        ]

    def get_provider_label(self, payment) -> str:
        return registry.label(payment.provider)

    @extend_schema_field(ReceiptRefSerializer(allow_null=True))
    def get_receipt(self, payment):
        receipt = getattr(payment, "receipt", None)
        if receipt is None:
            return None
        url = self.context["request"].build_absolute_uri(reverse("payments:receipt", args=[payment.reference]))
        return {"series": receipt.series, "number": receipt.number_text, "download_url": url}

    @extend_schema_field(OpenApiTypes.URI)
    def get_payment_url(self, payment) -> str | None:
        is_payer = payment.payer_id is not None and payment.payer_id == self.context["request"].user.pk
        return payment.redirect_url if is_payer and payment.status == PaymentStatus.PENDING else None


class PaymentStartInput(serializers.Serializer):
    dossier = serializers.CharField(max_length=40, help_text="Mã hồ sơ.")
    provider = serializers.CharField(
        max_length=30, required=False, help_text="Cổng thanh toán (mặc định: cổng đầu tiên được bật, như `vnpay`)."
    )
    purpose = serializers.ChoiceField(
        choices=PaymentPurpose.choices,
        default=PaymentPurpose.FEE,
        help_text="Khoản thanh toán: `fee` phí, lệ phí (mặc định) hoặc `postage` cước bưu chính đã chọn trả trước.",
    )

    def validate_provider(self, name: str) -> str:
        if name not in [provider.name for provider in registry.online()]:
            raise serializers.ValidationError(_("Cổng thanh toán này không được hỗ trợ."))
        return name


class CounterPaymentInput(serializers.Serializer):
    dossier = serializers.CharField(max_length=40, help_text="Mã hồ sơ.")
    method = serializers.ChoiceField(choices=CounterMethod.choices, help_text="Tiền mặt hoặc thẻ tại quầy.")


REFUSED = OpenApiResponse(
    description="Hồ sơ lúc này không nhận khoản nộp này: `fee_not_due` (không thu phí, đã nộp, chưa đến lúc), "
    "`not_permitted` (không phải người nộp, hoặc không phải cán bộ tiếp nhận của cơ quan)."
)
NO_DOSSIER = OpenApiResponse(description="Không có hồ sơ này, hoặc người dùng không được xem.")
DOSSIER_FILTER = OpenApiParameter("dossier", OpenApiTypes.STR, description="Chỉ các khoản của hồ sơ có mã này.")


class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PaymentSerializer
    lookup_field = "reference"
    lookup_value_regex = r"[0-9A-Z]+"

    def get_queryset(self):
        payments = selectors.payments_visible_to(user=self.request.user)
        dossier = self.request.query_params.get("dossier")
        if dossier and self.action == "list":
            payments = payments.filter(dossier__code=dossier)
        return payments.select_related("dossier", "receipt").order_by("-created_at", "-id")

    def _answer(self, payment, status_code=status.HTTP_201_CREATED) -> Response:
        payment = self.get_queryset().get(pk=payment.pk)
        location = reverse("v1:payment-detail", kwargs={"reference": payment.reference})
        return Response(
            PaymentSerializer(payment, context=self.get_serializer_context()).data,
            status=status_code,
            headers={"Location": location},
        )

    @extend_schema(summary="Các khoản thanh toán của hồ sơ người dùng được xem", parameters=[DOSSIER_FILTER])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Một khoản thanh toán theo mã giao dịch", responses={200: PaymentSerializer, 404: NO_DOSSIER}
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Thanh toán trực tuyến phí, lệ phí của hồ sơ (người nộp)",
        description="Tạo giao dịch (hoặc trả lại giao dịch đang chờ của cùng cổng) và trả về `payment_url`.",
        request=PaymentStartInput,
        responses={201: PaymentSerializer, 404: NO_DOSSIER, 409: REFUSED},
    )
    def create(self, request):
        params = PaymentStartInput(data=request.data)
        params.is_valid(raise_exception=True)
        dossier = dossier_visible_to(user=request.user).filter(code=params.validated_data["dossier"]).first()
        if dossier is None:
            raise exceptions.NotFound
        online = registry.online()
        if not online:
            raise exceptions.ValidationError(_("Chưa có cổng thanh toán trực tuyến nào được bật."))
        provider = params.validated_data.get("provider") or online[0].name
        payment = services.payment_start(
            dossier=dossier,
            payer=request.user,
            provider_name=provider,
            return_url=request.build_absolute_uri(reverse("payments:return", args=[provider])),
            client_ip=client_address(request),
            purpose=params.validated_data["purpose"],
        )
        return self._answer(payment)

    @extend_schema(
        summary="Ghi nhận phí, lệ phí thu tại quầy (cán bộ tiếp nhận)",
        request=CounterPaymentInput,
        responses={201: PaymentSerializer, 404: NO_DOSSIER, 409: REFUSED},
    )
    @action(detail=False, methods=["post"], url_path="counter")
    def counter(self, request):
        params = CounterPaymentInput(data=request.data)
        params.is_valid(raise_exception=True)
        dossier = dossier_visible_to(user=request.user).filter(code=params.validated_data["dossier"]).first()
        if dossier is None:
            raise exceptions.NotFound
        try:
            dossier = dossier_get_for_workbench(user=request.user, pk=dossier.pk)
        except Http404:
            raise exceptions.NotFound from None
        payment = services.payment_record_counter(
            dossier=dossier, officer=request.user, method=params.validated_data["method"]
        )
        return self._answer(payment)
