"""The applicant's own dossiers and drafts."""

from django.db.models import Count, QuerySet
from django.http import Http404

from procedures.models import RequiredDocument

from ..constants import (
    DossierStatus,
)
from ..models import Dossier, PendingUpload, SupplementRequest
from ..uploads import FREE_FILE_TYPES

S = DossierStatus


def dossier_list_for_applicant(*, user) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(applicant_id=user.pk)
        .select_related("procedure", "agency")
        .order_by("-created_at", "-id")
    )


def dossier_drafts_for_applicant(*, user, procedure) -> QuerySet[Dossier]:
    """The user's unfinished drafts for one procedure, most recently edited first, with their file count."""
    return (
        Dossier.objects.filter(applicant_id=user.pk, procedure=procedure, status=S.DRAFT)
        .annotate(document_count=Count("documents"))
        .order_by("-updated_at", "-id")
    )


def dossier_draft_for_applicant(*, user, procedure, pk) -> Dossier:
    """One of the user's drafts for `procedure`; 404 when missing, someone else's, or no longer a draft."""
    try:
        return Dossier.objects.select_related("procedure", "agency").get(
            pk=pk, applicant_id=user.pk, procedure=procedure, status=S.DRAFT
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def dossier_of_form(*, user, procedure, client_token) -> Dossier | None:
    """The user's dossier for `procedure` made by the application form `client_token` (a draft, or submitted by an
    earlier request of the form), with its postal address; None before the form's first save."""
    return (
        Dossier.objects.select_related("postal_address")
        .filter(client_token=client_token, applicant_id=user.pk, procedure=procedure)
        .first()
    )


def pending_uploads_for(*, user, client_token, procedure=None) -> QuerySet[PendingUpload]:
    """The files kept for the user's application form `client_token` (services/pending.py), of `procedure`'s
    components when given."""
    pending = PendingUpload.objects.filter(applicant_id=user.pk, client_token=client_token)
    if procedure is not None:
        pending = pending.filter(required_document__procedure=procedure)
    return pending.select_related("required_document").order_by("required_document_id", "id")


def supplement_items_for(*, request: SupplementRequest) -> list[tuple[str, list[str]]]:
    """Each item of a supplement request with the file types its answer may have: a required document's own, the
    types of a free file for an item the officer wrote."""
    ids = [pk for pk in request.item_components if pk]
    components = {c.pk: c for c in RequiredDocument.objects.filter(pk__in=ids)} if ids else {}
    kinds = request.item_components or [None] * len(request.items)
    return [
        (label, components[pk].accepted_types_or_default if pk in components else list(FREE_FILE_TYPES))
        for label, pk in zip(request.items, kinds, strict=False)
    ]
