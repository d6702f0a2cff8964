"""A request the portal refuses before any view reads it: too many files, a body too large, a malformed request.

Django refuses such a request itself (`TooManyFilesSent`, `RequestDataTooBig`, other `SuspiciousOperation`s) and
answers through `handler400` (config/urls.py), which is `bad_request` here; the body-size middleware
(portal.middleware.RequestBodyLimitMiddleware) answers 413 the same way. API paths get JSON `{"code", "detail"}`
like every other API error; pages get the portal's own page (templates/400.html), rendered without the request:
no context processor runs, so nothing that failed with the request (a session, the database) is asked again.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

MB = 1024 * 1024


def is_api(request) -> bool:
    """Whether `request` is the API's: its errors answer JSON `{"code", "detail"}`, a page's the portal's page."""
    return request.path_info.startswith("/api/")


def body_too_large_message(size: int) -> str:
    return _("Yêu cầu gửi lên nặng %(size)s MB, quá giới hạn: các tệp gửi một lần được tối đa %(limit)s MB.") % {
        "size": size // MB,
        "limit": settings.DOSSIER_REQUEST_MAX_BYTES // MB,
    }


def refused_request(request, *, status: int, code: str, message: str) -> HttpResponse:
    """JSON `{"code", "detail"}` on API paths, the portal's 400 page (with `status`) elsewhere. With its length: a
    client still sending a refused body can read the whole answer without waiting for the connection to close."""
    if is_api(request):
        return _with_length(JsonResponse({"code": code, "detail": message}, status=status))
    page = render_to_string(
        "400.html",
        {
            "status": status,
            "message": message,
            "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            "max_request_mb": settings.DOSSIER_REQUEST_MAX_BYTES // MB,
            "max_file_mb": settings.DOSSIER_UPLOAD_MAX_BYTES // MB,
        },
    )
    return _with_length(HttpResponse(page, status=status))


def _with_length(response: HttpResponse) -> HttpResponse:
    response["Content-Length"] = str(len(response.content))
    return response


def bad_request(request, exception=None):
    """`handler400`: what Django answers when it refuses a request (a `SuspiciousOperation`)."""
    if isinstance(exception, TooManyFilesSent):
        limit = settings.DATA_UPLOAD_MAX_NUMBER_FILES
        code, message = "too_many_files", _("Mỗi lần gửi chỉ được tải lên tối đa %(limit)s tệp.") % {"limit": limit}
    elif isinstance(exception, RequestDataTooBig):
        code, message = "request_too_large", _("Dữ liệu gửi lên quá lớn.")
    else:
        code, message = "bad_request", _("Yêu cầu không hợp lệ.")
    return refused_request(request, status=400, code=code, message=message)
