"""The dossier API views: /api/v1/dossiers/ (list, detail by code, create, one POST per action); the public
lookup /api/v1/lookup/ is in `lookup.py`.

Views are thin: reads go through dossiers.selectors (scoped by user), writes through dossiers.services.
A service's TransitionNotAllowed answers 409, its ValidationError 400, both {"detail": "<message>"}; a
dossier the user may not see answers 404, an action the user's role never performs 403.
"""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.authentication import ApiTokenAuthentication

from .. import services
from ..constants import Action, DossierStatus
from ..models import Dossier
from ..selectors import dossier_visible_to
from ..workflow import TRANSITIONS, TransitionNotAllowed, actor_roles
from .filters import DossierFilter
from .serializers import (
    ApologizeInput,
    ApproveInput,
    DeliverInput,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierListSerializer,
    ErrorSerializer,
    ForwardInput,
    ProposeInput,
    ReceiveInput,
    RefuseInput,
    RequestSupplementInput,
    SendBackInput,
    SupplementInput,
    WithdrawInput,
)

# --- errors ------------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("Thao tác không thực hiện được với trạng thái hiện tại của hồ sơ.")
    default_code = "conflict"


class Invalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = gettext_lazy("Dữ liệu không hợp lệ.")
    default_code = "invalid"


@contextmanager
def service_errors() -> Iterator[None]:
    """Turn a service's refusal into an HTTP answer. Put it outside `transaction.atomic()`, so the
    transaction is rolled back before the answer is made."""
    try:
        yield
    except TransitionNotAllowed as exc:
        raise Conflict(exc.message) from exc
    except DjangoValidationError as exc:
        raise Invalid(" ".join(exc.messages)) from exc


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# --- views -------------------------------------------------------------------------------------

ACTION_RESPONSES = {
    200: DossierDetailSerializer,
    400: _error("Dữ liệu không hợp lệ (thông báo tiếng Việt trong `detail`)."),
    403: _error("Vai trò của người dùng không thực hiện thao tác này."),
    404: _error("Không có hồ sơ này, hoặc người dùng không được xem."),
    409: _error("Trạng thái hiện tại của hồ sơ không cho phép thao tác này."),
}

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.UUID,
    OpenApiParameter.HEADER,
    required=True,
    description="Một UUID do ứng dụng tạo cho mỗi hồ sơ; gửi lại cùng khoá sẽ nhận lại hồ sơ đã tạo (200).",
)


def _idempotency_key(request) -> uuid.UUID:
    value = request.headers.get("Idempotency-Key", "").strip()
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Invalid(_("Tiêu đề Idempotency-Key phải là một UUID, mỗi hồ sơ một giá trị.")) from None


DOCUMENT_FIELD = re.compile(r"^document_(\d+)$")


def _files_by_component(request) -> dict[int, list]:
    """The uploaded files by component id, from the `document_<id>` fields (the service checks that
    each component belongs to the procedure, and every file, before writing anything)."""
    grouped = {}
    for name in request.FILES:
        match = DOCUMENT_FIELD.match(name)
        if not match:
            raise Invalid(
                _("Trường tệp “%(name)s” không hợp lệ: dùng document_<mã thành phần hồ sơ>.") % {"name": name}
            )
        grouped[int(match.group(1))] = request.FILES.getlist(name)
    return grouped


# Dossiers: a citizen sees its own, an officer its agency's. Drafts stay in the web form: the API creates
# and submits a dossier in one request.
class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # Token first: an API client without credentials is told 401 and `WWW-Authenticate: Token`.
    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    filterset_class = DossierFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z.\-]+"

    def get_queryset(self):
        return (
            dossier_visible_to(user=self.request.user)
            .exclude(status=DossierStatus.DRAFT)
            .select_related("procedure", "agency", "assignee")
        )

    def get_serializer_class(self):
        return DossierListSerializer if self.action == "list" else DossierDetailSerializer

    def _detail(self, dossier: Dossier, status_code: int = status.HTTP_200_OK, headers=None) -> Response:
        fresh = self.get_queryset().get(pk=dossier.pk)
        return Response(
            DossierDetailSerializer(fresh, context=self.get_serializer_context()).data,
            status=status_code,
            headers=headers,
        )

    @extend_schema(summary="Danh sách hồ sơ của người dùng (công dân: của mình; cán bộ: của cơ quan)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Chi tiết hồ sơ theo mã",
        responses={200: DossierDetailSerializer, 404: _error("Không có hồ sơ này, hoặc người dùng không được xem.")},
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Nộp hồ sơ trực tuyến (multipart: thông tin, tệp của từng thành phần)",
        description=(
            "Tệp của mỗi thành phần hồ sơ gửi trong trường `document_<id>`, với `id` của thành phần trong "
            "`/api/v1/procedures/<mã thủ tục>/` (`documents[].id`); một trường có thể gửi nhiều tệp. Loại tệp "
            "được kiểm tra theo nội dung. Mọi thứ được ghi trong một giao dịch: một tệp sai thì không có hồ sơ nào "
            "được tạo. Gửi lại cùng `Idempotency-Key` trả về hồ sơ đã tạo (200)."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request={"multipart/form-data": DossierCreateSerializer},
        responses={
            201: DossierDetailSerializer,
            200: OpenApiResponse(DossierDetailSerializer, description="Gửi lại cùng Idempotency-Key: hồ sơ đã tạo."),
            400: _error("Dữ liệu, tệp hoặc thành phần hồ sơ không hợp lệ, còn thiếu."),
        },
    )
    def create(self, request):
        params = DossierCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        client_token = _idempotency_key(request)
        files = _files_by_component(request)
        user = request.user
        with service_errors(), services.atomic_with_files():
            dossier = services.dossier_start_draft(
                applicant=user, procedure=data["procedure"], client_token=client_token
            )
            if not dossier.is_draft:  # a retried request: the dossier this key already made
                return self._detail(dossier)
            dossier = services.dossier_apply(
                applicant=user,
                procedure=data["procedure"],
                client_token=client_token,
                form_data=data["form_data"],
                delivery_method=data["delivery_method"],
                delivery_address=data["delivery_address"],
                applicant_address=data["applicant_address"],
                applicant_phone=data["applicant_phone"],
                files_by_component=files,
                submit=True,
            )
        location = reverse("v1:dossier-detail", kwargs={"code": dossier.code})
        return self._detail(dossier, status.HTTP_201_CREATED, headers={"Location": location})

    # --- actions ---

    def _act(self, request, action_name: str, input_class=serializers.Serializer) -> Response:
        """404 when the dossier is not visible, 403 when the user's role never performs the action,
        400 on bad input, 409 when the status forbids it now; else the dossier after the change."""
        dossier = self.get_object()
        if not actor_roles(dossier=dossier, user=request.user) & TRANSITIONS[action_name].actors:
            raise exceptions.PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))
        # The dossier is in the context for inputs whose choices depend on it (the forward action's assignee).
        params = input_class(data=request.data, context={"request": request, "dossier": dossier})
        params.is_valid(raise_exception=True)
        with service_errors():
            services.perform_action(action=action_name, dossier=dossier, user=request.user, **params.validated_data)
        return self._detail(dossier)

    @extend_schema(summary="Tiếp nhận hồ sơ (bắt đầu tính thời hạn)", request=ReceiveInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def receive(self, request, code=None):
        return self._act(request, Action.RECEIVE, ReceiveInput)

    @extend_schema(
        summary="Yêu cầu bổ sung hồ sơ (tạm dừng tính thời hạn)",
        request=RequestSupplementInput,
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="request-supplement")
    def request_supplement(self, request, code=None):
        return self._act(request, Action.REQUEST_SUPPLEMENT, RequestSupplementInput)

    @extend_schema(
        summary="Bổ sung hồ sơ theo yêu cầu (multipart, trường `files` nhiều tệp)",
        request={"multipart/form-data": SupplementInput},
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def supplement(self, request, code=None):
        return self._act(request, Action.SUPPLEMENT, SupplementInput)

    @extend_schema(summary="Từ chối tiếp nhận hồ sơ", request=RefuseInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def refuse(self, request, code=None):
        return self._act(request, Action.REFUSE, RefuseInput)

    @extend_schema(summary="Chuyển hồ sơ sang bộ phận xử lý", request=ForwardInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def forward(self, request, code=None):
        return self._act(request, Action.FORWARD, ForwardInput)

    @extend_schema(summary="Nhận xử lý hồ sơ", request=None, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def take(self, request, code=None):
        return self._act(request, Action.TAKE)

    @extend_schema(
        summary="Trình phê duyệt kết quả hoặc đề xuất từ chối (multipart, tệp kết quả `result_file`)",
        request={"multipart/form-data": ProposeInput},
        responses=ACTION_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def propose(self, request, code=None):
        return self._act(request, Action.PROPOSE, ProposeInput)

    @extend_schema(summary="Phê duyệt đề xuất", request=ApproveInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def approve(self, request, code=None):
        return self._act(request, Action.APPROVE, ApproveInput)

    @extend_schema(summary="Trả lại để xử lý lại", request=SendBackInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, code=None):
        return self._act(request, Action.SEND_BACK, SendBackInput)

    @extend_schema(summary="Trả kết quả cho người nộp", request=DeliverInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def deliver(self, request, code=None):
        return self._act(request, Action.DELIVER, DeliverInput)

    @extend_schema(summary="Rút hồ sơ (người nộp)", request=WithdrawInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, code=None):
        return self._act(request, Action.WITHDRAW, WithdrawInput)

    @extend_schema(summary="Xin lỗi và hẹn lại ngày trả kết quả", request=ApologizeInput, responses=ACTION_RESPONSES)
    @action(detail=True, methods=["post"])
    def apologize(self, request, code=None):
        return self._act(request, Action.APOLOGIZE, ApologizeInput)
