"""The portal's URLs plus two baselines for the benchmark (bench/bench_pages.py sets ROOT_URLCONF to this
module through bench.settings; the portal itself never loads it)."""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path


def empty(request):
    """The least a Django view can do: the same middleware as every page, no query, no template."""
    return HttpResponse(b"ok", content_type="text/plain")


def lean_lookup(request):
    """A reference, not a feature: the public lookup's work done with two narrow `.values()` queries and a
    JSON answer, to see how close to the empty view a lookup can get on this machine."""
    from dossiers.models import Dossier, DossierEvent

    code = request.GET.get("code", "").strip().upper()
    factor = request.GET.get("second_factor", "").strip()
    row = (
        Dossier.objects.filter(code=code)
        .exclude(status="draft")
        .values("id", "code", "status", "submitted_at", "due_at", "applicant_id_number", "applicant_phone")
        .first()
        if len(factor) >= 4 and factor.isdigit()
        else None
    )
    if row is None or not (row["applicant_id_number"].endswith(factor) or row["applicant_phone"].endswith(factor)):
        return JsonResponse({"detail": "not found"}, status=404)
    events = list(
        DossierEvent.objects.filter(dossier_id=row["id"]).order_by("created_at", "id").values("action", "created_at")
    )
    return JsonResponse(
        {
            "code": row["code"],
            "status": row["status"],
            "submitted_at": row["submitted_at"],
            "due_at": row["due_at"],
            "timeline": events,
        }
    )


urlpatterns = [
    path("bench/empty/", empty, name="bench-empty"),
    path("bench/lean-lookup/", lean_lookup, name="bench-lean-lookup"),
    path("", include("portal.urls")),
]
