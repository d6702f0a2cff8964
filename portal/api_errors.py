"""How the API answers an error: one exception handler (settings REST_FRAMEWORK["EXCEPTION_HANDLER"]) for every
view, so no view catches a service's exception to translate it.

Every error body carries a machine `code` beside the message for people:

- a `Refusal` of a business rule (a dossier's `TransitionNotAllowed`...): 409 `{"code": <its code>, "detail": ...}`;
- Django's `ValidationError` raised by a service: 400 `{"code": "invalid" or its own code, "detail": ...}`;
- DRF's own errors keep their bodies and gain the code: `{"code": "not_found", "detail": ...}` (the same for every
  missing object: Django's `Http404` message, which names the model in English, is not passed on), and a serializer's
  field errors `{"<field>": [...], "code": "invalid"}` (a field named `code` keeps its messages under its name);
- an address under /api/ that no route matches: 404 `{"code": "not_found", ...}` (`page_not_found`, handler404).

`ApiAutoSchema` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) writes these answers into the OpenAPI schema of every
operation where they can occur, so the schema says what the API really answers (tests/api/test_contract.py).
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import exception_handler

from .errors import is_api

INVALID = "invalid"


class Refusal(Exception):
    """A business rule refuses what was asked: `message` for people, `code` for programs. Apps subclass it;
    the API answers 409 Conflict."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code

    @property
    def messages(self) -> list[str]:
        """As Django's ValidationError has them, so a page shows either the same way."""
        return [self.message]


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT


class _Invalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, Http404):
        # Django's message names the model, in English ("No Dossier matches the given query."): the API's own says
        # "not found" alike for whatever is missing or not the user's.
        return exceptions.NotFound()
    if isinstance(exc, Refusal):
        return _Conflict(exc.message, exc.code)
    if isinstance(exc, DjangoValidationError):
        # A single error's own code when it has one (`max_length`...), else "invalid".
        return _Invalid(" ".join(exc.messages), getattr(exc, "code", None) or INVALID)
    return exc


def _code_of(message) -> str:
    # DRF's messages are ErrorDetail strings that carry their code.
    return getattr(message, "code", None) or INVALID


def api_exception_handler(exc, context):
    response = exception_handler(_as_api_exception(exc), context)
    if response is None:  # not an error the API answers: a 500
        return None
    data = response.data
    if isinstance(data, list):  # a ValidationError raised with a message (or several), not per field
        response.data = {"code": _code_of(data[0]) if data else INVALID, "detail": " ".join(map(str, data))}
    elif "detail" in data:
        response.data = {"code": _code_of(data["detail"]), **data}
    else:  # a serializer's errors per field: DRF's body, with the code beside it
        response.data = {"code": INVALID, **data}
    return response


def page_not_found(request, exception):
    """`handler404`: an API client gets the API's JSON 404 for an address no route matches, a person the page."""
    if is_api(request):
        return JsonResponse({"code": "not_found", "detail": str(exceptions.NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)


# --- the errors in the OpenAPI schema ---------------------------------------------------------------


class ApiErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Mã lỗi cho chương trình: `not_authenticated`, `authentication_failed`, `permission_denied`, "
        "`not_found`, `method_not_allowed`, `unsupported_media_type`, `throttled`, `parse_error`, `invalid`, "
        "`request_too_large`, `service_unavailable`, hoặc mã riêng của thao tác."
    )
    detail = serializers.CharField(help_text="Thông báo cho người dùng (tiếng Việt).")

    class Meta:
        ref_name = "ApiError"


# The 400 body: `{"code", "detail"}`, or a serializer's errors per field beside "code": "invalid". A field's
# messages are a list, or for a list or an object field an object of lists by position or key; a field named
# `code` keeps its list under its name.
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": "Dữ liệu không hợp lệ: `code` là `invalid` (hoặc mã riêng) với thông báo trong `detail`; hoặc "
    'thông báo theo từng trường, `{"code": "invalid", "<trường>": ["<thông báo>"]}` (thông báo của trường tên '
    "`code` nằm ngay trong `code`).",
    "properties": {
        "code": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "detail": {"type": "string"},
    },
    "required": ["code"],
    "additionalProperties": {"description": "Các thông báo lỗi của trường cùng tên."},
}

STATUS_DESCRIPTIONS = {
    400: "Dữ liệu gửi lên không hợp lệ.",
    401: "Chưa xác thực, hoặc mã truy cập sai, đã thu hồi hay hết hạn (`Authorization: Token <mã>`).",
    403: "Không có quyền, hoặc phiên đăng nhập của trình duyệt gửi yêu cầu thiếu mã CSRF.",
    404: "Không có địa chỉ hay đối tượng này, hoặc người dùng không được xem.",
    413: "Yêu cầu gửi lên quá lớn (`request_too_large`).",
    415: "Kiểu nội dung (`Content-Type`) của thân yêu cầu không được hỗ trợ (`unsupported_media_type`).",
    503: "Hệ thống tạm thời gián đoạn (`service_unavailable`); thử lại sau `Retry-After` giây.",
}

RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Số giây nên chờ trước khi thử lại.", "required": True}
RESPONSE_HEADERS = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "`Token`", "required": True}},
    429: {"Retry-After": RETRY_AFTER},
    503: {"Retry-After": RETRY_AFTER},
}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class ApiAutoSchema(AutoSchema):
    """drf-spectacular's schema of an operation, plus the error answers the portal gives wherever they occur
    (a view declares its own, with their descriptions; this adds the rest and the bodies):

    - 400 where the operation takes input (a body or query parameters), always with `VALIDATION_ERROR_SCHEMA`;
    - 401 with `WWW-Authenticate` where a token is read (the first authentication class answers with that header),
      else 403 where an unauthenticated user is refused; 403 too on unsafe methods that accept a browser's session
      (DRF's CSRF check);
    - 404 where the path has a parameter (a value no route matches gets the JSON 404 too) or a list has pages;
    - 413 and 415 where there is a body (portal.middleware.RequestBodyLimitMiddleware; DRF's parsers);
    - 503 with `Retry-After` everywhere (portal.middleware.ServiceUnavailableMiddleware);
    - every error without a declared body gets `ApiError`; 429 and 503 carry `Retry-After`.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self._error_statuses(operation):
            responses.setdefault(str(code), {"description": STATUS_DESCRIPTIONS[code]})
        for code, response in responses.items():
            if int(code) >= 400:
                self._describe_error(int(code), response)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _error_statuses(self, operation) -> list[int]:
        parameters = operation.get("parameters", [])
        statuses = [503]
        if "requestBody" in operation:
            statuses += [400, 413, 415]
        elif any(parameter["in"] == "query" for parameter in parameters):
            statuses.append(400)
        if any(parameter["in"] == "path" or parameter["name"] == "page" for parameter in parameters):
            statuses.append(404)
        authenticators = self.view.get_authenticators()
        if authenticators:
            if authenticators[0].authenticate_header(None):
                statuses.append(401)
            elif not self._allows_anonymous():
                statuses.append(403)
            if self.method in UNSAFE_METHODS and any(isinstance(a, SessionAuthentication) for a in authenticators):
                statuses.append(403)
        return statuses

    def _allows_anonymous(self) -> bool:
        # spectacular lists {} among the security requirements of an operation open to anonymous users.
        return {} in (self.get_auth() or [])

    def _describe_error(self, code: int, response: dict) -> None:
        # A 400 may always carry field errors (the one exception handler writes them), whatever the view declared.
        if code == 400:
            response["content"] = {"application/json": {"schema": self._validation_error_ref()}}
        elif "content" not in response:
            response["content"] = {"application/json": {"schema": self._error_ref()}}
        if code in RESPONSE_HEADERS:
            response["headers"] = {**RESPONSE_HEADERS[code], **response.get("headers", {})}

    def _error_ref(self) -> dict:
        return self.resolve_serializer(ApiErrorSerializer, "response").ref

    def _validation_error_ref(self) -> dict:
        component = ResolvedComponent(
            name="ApiValidationError",
            type=ResolvedComponent.SCHEMA,
            object="ApiValidationError",
            schema=VALIDATION_ERROR_SCHEMA,
        )
        self.registry.register_on_missing(component)
        return component.ref
