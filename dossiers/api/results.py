"""Electronic results in the API: a dossier's results (in its detail), and the public verification, of a result by the
code its QR code carries (GET /api/v1/results/<code>/) or of an uploaded PDF (POST /api/v1/results/verify/). The
answers are the verification page's (`selectors.verify_pdf`, `selectors.verify_result_code`): pyHanko's verdict on
the signature, the issued result the file is, and no personal data beyond the dossier's code and procedure."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..constants import ResultStatus
from ..results_limits import verify_throttled
from .serializers import ErrorSerializer, UploadField


class FindingSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    code = serializers.CharField(
        help_text="`intact`/`altered`, `trusted`/`untrusted`, `appended`, `unreadable`, `unsigned`, `exact`/"
        "`not_exact`, `not_issued`, `in_force`/`revoked`/`replaced`."
    )
    text = serializers.CharField()


class VerifiedResultSerializer(serializers.Serializer):
    dossier_code = serializers.CharField(source="dossier.code")
    procedure = serializers.CharField(source="dossier.procedure.name")
    agency = serializers.CharField(source="dossier.agency.name")
    status = serializers.ChoiceField(choices=ResultStatus.choices)
    issued_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    end_reason = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField(
        help_text="Hợp lệ: chữ ký số còn nguyên vẹn, chứng thư được tin cậy, đúng tệp kết quả đã ban hành, kết quả "
        "còn hiệu lực."
    )
    headline = serializers.CharField()
    findings = FindingSerializer(many=True)
    exact = serializers.BooleanField(help_text="Trùng từng byte với tệp đã ban hành (SHA-256).")
    signed = serializers.BooleanField(source="check.signed")
    signer = serializers.CharField(source="check.signer_organization")
    signed_at = serializers.DateTimeField(source="check.signing_time", allow_null=True)
    result = VerifiedResultSerializer(allow_null=True)


class VerifyInput(serializers.Serializer):
    file = UploadField(help_text="Tệp PDF cần xác thực.")


class ResultVerifyView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Xác thực một tệp kết quả PDF (công khai)",
        description="Tệp không được lưu lại. Giới hạn số tệp mỗi phút của một địa chỉ; vượt giới hạn trả 429.",
        request={"multipart/form-data": VerifyInput},
        responses={
            200: VerificationSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="Thiếu tệp, tệp không phải PDF (`not_a_pdf`), quá lớn (`file_too_large`)."
            ),
        },
    )
    def post(self, request):
        params = VerifyInput(data=request.data)
        params.is_valid(raise_exception=True)
        if verify_throttled(request):
            throttled = exceptions.Throttled(detail=_("Bạn đã xác thực quá nhiều tệp trong một phút."))
            throttled.wait = 60
            raise throttled
        data = selectors.read_pdf_for_verification(params.validated_data["file"])
        return Response(VerificationSerializer(selectors.verify_pdf(data)).data)


class ResultByCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Xác thực kết quả theo mã trong mã QR (công khai)",
        responses={200: VerificationSerializer, 404: OpenApiResponse(ErrorSerializer, description="Không có mã này.")},
    )
    def get(self, request, code):
        return Response(VerificationSerializer(selectors.verify_result_code(code=code)).data)
