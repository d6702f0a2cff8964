"""The portal's URLs plus the baselines of the benchmark: an empty Django view, an empty API view for the
floor of anything served through DRF, a page's floor (the site shell rendered, for the statistics pages), the
lookup's floors (DESIGN.md: an empty view of the same kind making the one Redis round trip the lookup's rate limit
needs), and the API lookup's work in a plain Django view.
bench/bench_pages.py, bench/bench_server.py and bench/bench_mixed.py set ROOT_URLCONF to this module through
bench.settings; the portal itself never loads it."""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
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

    def get(self, request):
        return Response({"status": True})

    def post(self, request):
        return Response({"status": bool(request.data)})


def _lookup_round_trip(request) -> None:
    """The Redis round trip of one lookup attempt: count it against the address and read three keys, in one
    pipeline (`portal.ratelimit.hit_and_read`, as `dossiers.lookup.lookup_attempt` does), under a scope of its own."""
    from portal import ratelimit

    keys = [f"bench-floor:{n}" for n in range(3)]
    ratelimit.hit_and_read(
        scope="bench-floor", key=ratelimit.client_address(request), limit=10**9, window_seconds=60, read=keys
    )


class LookupApiFloorView(EmptyApiView):
    """The API lookup's floor: the empty API view plus the lookup's Redis round trip."""

    def post(self, request):
        _lookup_round_trip(request)
        return super().post(request)


def page_floor(request):
    """A page's floor (DESIGN.md: a rendered template): the site shell (`base.html`) rendered for whoever asks,
    with the queries the shell itself makes for a signed-in user."""
    return render(request, "base.html")


def empty_page(request):
    """The emptiest page of the portal (DESIGN.md: an empty view of the same kind as a page): a template that extends
    the site shell, as every page does, with no content of its own."""
    return render(request, "bench/empty_page.html")


@require_POST
def lookup_page_floor(request):
    """The lookup page's floor: a POSTed form (CSRF checked) answered with the page's floor, plus the lookup's Redis
    round trip."""
    _lookup_round_trip(request)
    return page_floor(request)


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
    path("bench/floor-page/", page_floor, name="bench-floor-page"),
    path("bench/empty-page/", empty_page, name="bench-empty-page"),
    path("bench/plain-lookup/", plain_lookup, name="bench-plain-lookup"),
    path("bench/floor-api-lookup/", LookupApiFloorView.as_view(), name="bench-floor-api-lookup"),
    path("bench/floor-lookup-page/", lookup_page_floor, name="bench-floor-lookup-page"),
    path("", include("config.urls")),
]
