"""The dossier API views: /api/v1/dossiers/ (list, detail by code, create, one POST per action); the public
lookup /api/v1/lookup/ is in `lookup.py`.

Views are thin: reads go through dossiers.selectors (scoped by user), writes through dossiers.services.
Errors are answered by one exception handler (portal/api_errors.py): a service's TransitionNotAllowed 409,
its ValidationError 400, both {"code": "<machine code>", "detail": "<message>"}; a dossier the user may not
see answers 404, an action the user's role never performs 403. The action endpoints are made from the action
registry (dossiers/actions.py), one per action.
"""

import re
import uuid

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import services
from ..actions import ACTIONS, ActionSpec, perform_action
from ..constants import DossierStatus
from ..error_codes import ErrorCode
from ..models import Dossier
from ..selectors import dossier_of_form, dossier_visible_to
from ..workflow import TRANSITIONS, actor_roles
from .filters import DossierFilter
from .serializers import (
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierListSerializer,
    ErrorSerializer,
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# --- views -------------------------------------------------------------------------------------

ACTION_RESPONSES = {
    200: DossierDetailSerializer,
    400: OpenApiResponse(
        description="Dữ liệu không hợp lệ: `code` là `invalid`; thông báo tiếng Việt trong `detail`, hoặc theo từng "
        'trường (`{"<trường>": ["<thông báo>"]}`).'
    ),
    403: _error("Vai trò của người dùng không thực hiện thao tác này (`not_permitted`)."),
    404: _error("Không có hồ sơ này, hoặc người dùng không được xem (`not_found`)."),
    409: _error(
        "Hồ sơ lúc này không cho phép thao tác: `code` cho biết lý do (`not_in_status`, `not_permitted`, "
        "`not_assignee`, `already_assigned`, `once_only`, `applicant_has_account`)."
    ),
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
        raise exceptions.ValidationError(
            _("Tiêu đề Idempotency-Key phải là một UUID, mỗi hồ sơ một giá trị.")
        ) from None


DOCUMENT_FIELD = re.compile(r"^document_(\d+)$")


def _files_by_component(request) -> dict[int, list]:
    """The uploaded files by component id, from the `document_<id>` fields (the service checks that
    each component belongs to the procedure, and every file, before writing anything)."""
    grouped = {}
    for name in request.FILES:
        match = DOCUMENT_FIELD.match(name)
        if not match:
            raise exceptions.ValidationError(
                _("Trường tệp “%(name)s” không hợp lệ: dùng document_<mã thành phần hồ sơ>.") % {"name": name}
            )
        grouped[int(match.group(1))] = request.FILES.getlist(name)
    return grouped


# Dossiers: a citizen sees its own, an officer its agency's. Drafts stay in the web form: the API creates
# and submits a dossier in one request.
class DossierViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
            400: OpenApiResponse(description="Dữ liệu, tệp hoặc thành phần hồ sơ không hợp lệ, còn thiếu."),
        },
    )
    def create(self, request):
        params = DossierCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        client_token = _idempotency_key(request)
        files = _files_by_component(request)
        user = request.user
        earlier = dossier_of_form(user=user, procedure=data["procedure"], client_token=client_token)
        if earlier is not None and not earlier.is_draft:  # a retried request: the dossier this key already made
            return self._detail(earlier)
        # Checked and quoted before the transaction: the carrier is never waited for with a row written.
        delivery_input = DossierCreateSerializer.delivery(data)
        delivery = services.application_delivery(
            applicant=user, procedure=data["procedure"], client_token=client_token, submit=True, **delivery_input
        )
        with services.atomic_with_files():
            dossier = services.dossier_start_draft(
                applicant=user, procedure=data["procedure"], client_token=client_token
            )
            if not dossier.is_draft:  # the same key's other request committed meanwhile
                return self._detail(dossier)
            dossier = services.dossier_apply(
                applicant=user,
                procedure=data["procedure"],
                client_token=client_token,
                form_data=data["form_data"],
                **delivery_input,
                delivery=delivery,
                applicant_address=data["applicant_address"],
                applicant_phone=data["applicant_phone"],
                files_by_component=files,
                submit=True,
            )
        location = reverse("v1:dossier-detail", kwargs={"code": dossier.code})
        return self._detail(dossier, status.HTTP_201_CREATED, headers={"Location": location})

    # --- actions: one endpoint per action of the registry, added below the class ---

    def _act(self, request, spec: ActionSpec) -> Response:
        """404 when the dossier is not visible, 403 when the user's role never performs the action,
        400 on bad input, 409 when the status forbids it now; else the dossier after the change."""
        dossier = self.get_object()
        if not actor_roles(dossier=dossier, user=request.user) & TRANSITIONS[spec.action].actors:
            raise exceptions.PermissionDenied(
                _("Bạn không có quyền thực hiện thao tác này với hồ sơ."), code=ErrorCode.NOT_PERMITTED
            )
        # The dossier is in the context for inputs whose choices depend on it (the forward action's assignee).
        params = spec.input_class(data=request.data, context={"request": request, "dossier": dossier})
        params.is_valid(raise_exception=True)
        perform_action(action=spec.action, dossier=dossier, user=request.user, **params.validated_data)
        return self._detail(dossier)


def _action_endpoint(spec: ActionSpec):
    """POST /dossiers/<code>/<spec.url_path>/, documented with the action's summary and input."""

    def endpoint(self, request, code=None):
        return self._act(request, spec)

    # The router names the route and the method after the function: dossier-request-supplement, request_supplement.
    endpoint.__name__ = endpoint.__qualname__ = spec.action.value
    if spec.api_input is None:
        request_body = None
    elif spec.api_multipart:
        request_body = {"multipart/form-data": spec.input_class}
    else:
        request_body = spec.input_class
    endpoint = action(detail=True, methods=["post"], url_path=spec.url_path)(endpoint)
    return extend_schema(summary=spec.api_summary, request=request_body, responses=ACTION_RESPONSES)(endpoint)


for _spec in ACTIONS.values():
    if _spec.api_summary is not None:
        setattr(DossierViewSet, _spec.action.value, _action_endpoint(_spec))
