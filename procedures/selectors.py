"""Reads of the catalogue, for pages, the API and the admin."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from portal.text import search_terms

from .constants import OnlineLevel
from .models import Agency, Field, Procedure


def procedure_search(queryset: QuerySet[Procedure], query: str) -> QuerySet[Procedure]:
    """Every word must appear, with or without diacritics ("giay phep" finds "giấy phép")."""
    for term in search_terms(query):
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def procedure_list_public(
    *,
    query: str = "",
    agency: Agency | None = None,
    field: Field | None = None,
    agency_level: str = "",
    online_level: int | None = None,
) -> QuerySet[Procedure]:
    procedures = Procedure.objects.active().select_related("agency", "field")
    if query:
        procedures = procedure_search(procedures, query)
    if agency is not None:
        procedures = procedures.filter(agency=agency)
    if field is not None:
        procedures = procedures.filter(field=field)
    if agency_level:
        procedures = procedures.filter(agency__level=agency_level)
    if online_level:
        procedures = procedures.filter(online_level=online_level)
    return procedures.order_by("name", "id")


def procedure_get_public(*, code: str) -> Procedure:
    """An active procedure with everything its page shows, or 404."""
    return get_object_or_404(
        Procedure.objects.active().select_related("agency", "field").prefetch_related("documents"),
        code=code,
    )


def procedures_featured(*, limit: int = 8) -> QuerySet[Procedure]:
    return Procedure.objects.active().filter(is_featured=True).select_related("agency")[:limit]


def procedures_online(*, limit: int = 6) -> QuerySet[Procedure]:
    """Procedures an applicant can apply for online, the featured ones and the fully online ones first."""
    return (
        Procedure.objects.active()
        .filter(accepts_online=True)
        .select_related("agency")
        .order_by("-is_featured", "-online_level", "name", "id")[:limit]
    )


def catalogue_counts() -> dict[str, int]:
    """The numbers the home page shows, in one query."""
    return Procedure.objects.active().aggregate(
        procedures=Count("id"),
        full_online=Count("id", filter=Q(online_level=OnlineLevel.FULL)),
        partial_online=Count("id", filter=Q(online_level=OnlineLevel.PARTIAL)),
        agencies=Count("agency", distinct=True),
    )


def agencies_with_procedures() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True, procedures__is_active=True).distinct().order_by("name")


def fields_with_procedures() -> QuerySet[Field]:
    return Field.objects.filter(procedures__is_active=True).distinct().order_by("name")


def procedure_list_for_admin(*, user, queryset: QuerySet[Procedure]) -> QuerySet[Procedure]:
    """Superusers see every procedure; an agency administrator only its agency's."""
    if user.is_superuser:
        return queryset
    if user.agency_id is None:
        return queryset.none()
    return queryset.filter(agency_id=user.agency_id)
