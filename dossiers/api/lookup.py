"""POST /api/v1/lookup/ {code, second_factor}: the public lookup (never in the address, which logs keep).

The rules are the kiosk page's (`dossiers.lookup.lookup_attempt`): the same 404 for an unknown code and a
wrong second factor; attempts of a client address limited together with the page's, invalid input included;
failed attempts limited per code."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from portal import ratelimit

from ..lookup import LookupQuery, LookupRefused, lookup_attempt
from ..lookup import cache as lookup_cache
from .serializers import ErrorSerializer, LookupInput, LookupSerializer, lookup_input_plain, lookup_payload


class LookupThrottled(exceptions.Throttled):
    """One answer for both limits (per address, per code): it depends only on the wait, never on whether the code
    exists. The message gives the wait in minutes (DRF's own would append it in seconds); the exception handler
    sends `Retry-After` from `wait`."""

    def __init__(self, retry_after: int):
        super().__init__(
            detail=_("Bạn tra cứu quá nhiều lần. Hãy thử lại sau %(minutes)d phút.")
            % {"minutes": max(1, retry_after // 60)}
        )
        self.wait = retry_after


class DossierLookupView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        summary="Tra cứu tình trạng hồ sơ (công khai)",
        description=(
            "Mã hồ sơ và số cuối CCCD/mã số thuế hoặc số điện thoại gửi trong thân yêu cầu (POST), không trong "
            "địa chỉ. Cùng một câu trả lời 404 cho mã không có và thông tin xác thực sai. Giới hạn: số lần tra cứu "
            "mỗi phút của một địa chỉ (chung với trang tra cứu), và số lần tra cứu sai của một mã hồ sơ (quá giới "
            "hạn thì mã đó bị từ chối trong một giờ); vượt giới hạn trả 429 với `Retry-After`."
        ),
        request=LookupInput,
        responses={
            200: LookupSerializer,
            400: OpenApiResponse(description="Thiếu mã hồ sơ hoặc thông tin xác thực, hoặc dài quá."),
            404: OpenApiResponse(
                ErrorSerializer, description="Không có hồ sơ với mã và thông tin xác thực đã nhập (`not_found`)."
            ),
            429: OpenApiResponse(
                ErrorSerializer, description="Tra cứu quá nhiều lần, theo địa chỉ hoặc theo mã hồ sơ (`throttled`)."
            ),
        },
    )
    def post(self, request):
        cleaned = lookup_input_plain(request.data)
        if cleaned is None:
            params = LookupInput(data=request.data)
            cleaned = params.validated_data if params.is_valid() else None
        query = LookupQuery(**cleaned) if cleaned is not None else None
        try:
            found = lookup_attempt(client=ratelimit.client_address(request), query=query)
        except LookupRefused as refused:
            raise LookupThrottled(refused.retry_after) from None
        if query is None:
            raise exceptions.ValidationError(params.errors)
        if found is None:
            raise exceptions.NotFound(_("Không tìm thấy hồ sơ với mã và thông tin xác thực đã nhập."))
        return HttpResponse(_answer_json(found), content_type="application/json")


def _answer_json(found) -> bytes:
    """The answer as JSON (`LookupSerializer`'s, as DRF renders it), rendered once per cached answer and language:
    building and rendering it was what a cached lookup did beyond its floor (docs/performance.md)."""
    return lookup_cache.rendered_once(found, "json", lambda: JSONRenderer().render(lookup_payload(found)))
