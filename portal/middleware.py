import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

logger = logging.getLogger(__name__)


class PortalLanguageMiddleware:
    """Vietnamese unless the visitor chose English with the language switch (a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a phone set to English
    would get the English translation of a Vietnamese public service; here the choice is explicit.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class RejectNulMiddleware:
    """404 for a request whose path or query string holds a NUL character (`/thu-tuc/%00/`).

    No address of the portal contains one, and PostgreSQL refuses NUL in a string, so such a value would
    reach a query and fail with a 500 wherever a view looks it up. One check here covers every URL
    converter and every view that reads `request.GET`. API paths answer the API's JSON 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if _is_api(request):
                return JsonResponse({"code": "not_found", "detail": str(NotFound.default_detail)}, status=404)
            raise Http404
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """503 with Retry-After when the database cannot be reached while a request is handled (it is down or
    restarting): JSON `{"code": "service_unavailable", ...}` on API paths, the "temporarily interrupted" page
    elsewhere, never a 500. The page is a plain template rendered without the request, so no context
    processor runs and nothing asks the database again."""

    RETRY_AFTER_SECONDS = 30

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unreachable while serving %s %s", request.method, request.path, exc_info=exception)
        if _is_api(request):
            response = JsonResponse(
                {
                    "code": "service_unavailable",
                    "detail": _("Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau ít phút."),
                },
                status=503,
            )
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(self.RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
