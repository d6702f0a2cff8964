"""The portal's URLs plus the baselines of the benchmark: an empty Django view, an empty API view for the
floor of anything served through DRF, and the API lookup's work in a plain Django view. bench/bench_pages.py
and bench/bench_server.py set ROOT_URLCONF to this module through bench.settings; the portal itself never
loads it."""

import json

from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


def empty(request):
    """The least a Django view can do: the same middleware as every page, no query, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


class EmptyApiView(APIView):
    """The least a POST to the API can do, configured as the public lookup's view: no authentication, a JSON
    body parsed, a JSON answer rendered."""

    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        return Response({"status": bool(request.data)})


@csrf_exempt
@require_POST
def plain_lookup(request):
    """A reference, not a feature: the API lookup's work (the same selector, limits and cache, the same JSON)
    in a plain Django view instead of DRF, to measure what DRF's request and response handling costs it."""
    from dossiers.api.serializers import lookup_payload
    from dossiers.lookup import LookupQuery, lookup_attempt
    from portal import ratelimit

    params = json.loads(request.body)
    query = LookupQuery(code=params["code"], second_factor=params["second_factor"])
    found = lookup_attempt(client=ratelimit.client_address(request), query=query)
    if found is None:
        return JsonResponse({"detail": "not found"}, status=404)
    return JsonResponse(lookup_payload(found), json_dumps_params={"ensure_ascii": False})


urlpatterns = [
    path("bench/empty/", empty, name="bench-empty"),
    path("bench/empty-api/", EmptyApiView.as_view(), name="bench-empty-api"),
    path("bench/plain-lookup/", plain_lookup, name="bench-plain-lookup"),
    path("", include("config.urls")),
]
