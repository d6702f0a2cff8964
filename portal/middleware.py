import logging
import sys

from botocore.exceptions import ConnectionError as StorageConnectionError
from botocore.exceptions import HTTPClientError as StorageHTTPError
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import NotFound

from .errors import body_too_large_message, is_api, refused_request
from .ratelimit import RateLimitUnavailable

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
            if is_api(request):
                return JsonResponse({"code": "not_found", "detail": str(NotFound.default_detail)}, status=404)
            raise Http404
        return self.get_response(request)


# What makes a request answer 503 instead of 500: the database cannot be reached (down or restarting), the
# Redis that counts a rate limit cannot (down or hung: a limited page refuses rather than go uncounted), or the
# object storage that keeps the files cannot (STORAGE=s3: refused, timed out, cut off).
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, RateLimitUnavailable, StorageConnectionError, StorageHTTPError)
RETRY_AFTER_SECONDS = 30


def service_unavailable_response(request) -> HttpResponse:
    """503 with Retry-After: JSON `{"code": "service_unavailable", "detail"}` on API paths, the "temporarily
    interrupted" page elsewhere. The page is a plain template rendered without the request, so no context
    processor runs and nothing asks the database (or Redis) again."""
    if is_api(request):
        response = JsonResponse(
            {"code": "service_unavailable", "detail": _("Hệ thống tạm thời gián đoạn. Vui lòng thử lại sau ít phút.")},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class ServiceUnavailableMiddleware:
    """The one place where a view's `UNAVAILABLE_ERRORS` become a 503 (`service_unavailable_response`), never a
    500. An error raised outside any view (a middleware saving the session) reaches `server_error` instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, UNAVAILABLE_ERRORS):
            return None
        if isinstance(exception, RateLimitUnavailable):
            # Expected for every limited request while Redis is away: one line each, no traceback.
            logger.warning("Rate limit not counted (Redis unavailable): %s %s refused", request.method, request.path)
        else:
            logger.error(
                "%s while serving %s %s", type(exception).__name__, request.method, request.path, exc_info=exception
            )
        return service_unavailable_response(request)


def server_error(request):
    """`handler500` (config/urls.py): an unreachable service raised where no `process_exception` sees it (the
    session middleware saving the session when the database has gone) still answers 503; any other error is
    Django's 500 page. Django calls it while handling the exception, so `sys.exc_info()` holds it."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE_ERRORS):
        return service_unavailable_response(request)
    return defaults.server_error(request)


class RequestBodyLimitMiddleware:
    """413 for a request whose declared body (Content-Length) is larger than `settings.REQUEST_BODY_MAX_BYTES`,
    before anything reads it: Django would otherwise write every uploaded file to disk before a view could refuse
    the request. Placed before anything that reads `request.POST` (the CSRF check). JSON on API paths, the
    portal's page elsewhere (portal/errors.py). A body without a Content-Length is not read by Django at all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_BODY_MAX_BYTES:
            logger.warning("Refused a %s-byte body for %s %s", declared, request.method, request.path)
            # (No "Connection: close": a WSGI application may not set hop-by-hop headers; the server decides.)
            return refused_request(
                request, status=413, code="request_too_large", message=body_too_large_message(declared)
            )
        return self.get_response(request)


class NoStoreForPersonalDataMiddleware:
    """`Cache-Control: no-store` (with Django's other never-cache headers) on every response that may carry
    personal data, so neither a shared cache nor the browser of a shared kiosk or counter PC keeps it: every
    response to a visitor with a session (whoever is signed in: pages, file downloads, issued PDFs, the API through
    the session) or with credentials (the API's token), and every answer to a POST (the public lookup's answer,
    a sign-in). Public pages read without a session (the catalogue) stay cacheable.

    It reads what the request carries, not `request.user`: the user would cost a session and a user query on
    pages that never asked, and would fail on a response that says the database is down."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in self.SAFE_METHODS
            or request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            or "HTTP_AUTHORIZATION" in request.META
        ):
            add_never_cache_headers(response)
        return response
