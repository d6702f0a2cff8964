"""Who may open which dossier and file: the one place where scoping is decided. "Missing" and
"not yours" answer the same 404."""

from django.db.models import Q, QuerySet
from django.http import Http404

from ..constants import DossierStatus
from ..models import Dossier, DossierDocument

S = DossierStatus


def officer_scope(user) -> Q | None:
    """Which dossiers a user may read as an officer: a reception officer's, processing officer's or approver's
    agency's (`User.handles_dossiers`); every agency's for a system administrator (the API and the issued
    documents let it read all). None for anyone else, an agency administrator without one of those roles
    included: it manages the catalogue, not the dossiers."""
    if user.is_superuser:
        return Q()
    if user.handles_dossiers:
        return Q(agency_id=user.agency_id)
    return None


def workbench_scope(user) -> Q | None:
    """The dossiers of the officer pages (workbench, queues, a dossier with its actions): the user's own
    agency, for everyone, a system administrator included (one without an agency has no workbench)."""
    if user.agency_id is None or not (user.is_superuser or user.handles_dossiers):
        return None
    return Q(agency_id=user.agency_id)


def dossier_visible_to(*, user) -> QuerySet[Dossier]:
    """Every dossier `user` may open: its own, and as an officer its agency's."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    visible = Q(applicant_id=user.pk)
    scope = officer_scope(user)
    if scope is not None:
        visible |= scope & ~Q(status=S.DRAFT)
    return Dossier.objects.filter(visible)


def dossier_get_for_user(*, user, pk: int) -> Dossier:
    """Fetch and authorise in one step: 404 for a dossier that is missing or not the user's."""
    try:
        return dossier_visible_to(user=user).select_related("procedure", "agency", "assignee", "applicant").get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def user_is_dossier_officer(*, user, dossier: Dossier) -> bool:
    """An officer of the dossier's agency (or a system administrator): sees notes, assignees, drafts of results."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.handles_dossiers and user.agency_id == dossier.agency_id)


def document_get_for_download(*, user, dossier_pk: int, document_pk: int) -> DossierDocument:
    """A dossier's file for someone who may open the dossier. (The result is not among them: see
    `selectors.results`.)"""
    dossier = dossier_get_for_user(user=user, pk=dossier_pk)
    try:
        return dossier.documents.get(pk=document_pk)
    except DossierDocument.DoesNotExist:
        raise Http404 from None


def dossier_documents(*, dossier: Dossier) -> QuerySet[DossierDocument]:
    """A dossier's files with the component each belongs to, in the order of the components."""
    return dossier.documents.select_related("required_document").order_by(
        "kind", "required_document__position", "required_document_id", "id"
    )


def dossier_documents_for_user(*, user, dossier: Dossier) -> QuerySet[DossierDocument]:
    """The files of a dossier that `user` may download, as `document_get_for_download` decides: all of them, to
    whoever may open the dossier."""
    return dossier_documents(dossier=dossier)


def dossier_get_for_applicant(*, user, pk) -> Dossier:
    """The user's own dossier (the "my dossiers" pages): 404 for anyone else's, even an officer's agency's."""
    dossier = dossier_get_for_user(user=user, pk=pk)
    if dossier.applicant_id != user.pk:
        raise Http404
    return dossier


def dossier_get_for_agency_officer(*, user, pk) -> Dossier:
    """A submitted dossier of the officer's own agency (any superuser's); 404 for anyone else, the
    applicant included (pages such as the processing control sheet are the office's own)."""
    return _submitted_dossier_in(officer_scope(user) if user.is_authenticated else None, pk=pk)


def dossier_get_for_workbench(*, user, pk) -> Dossier:
    """A submitted dossier of the user's own agency as the officer pages show it (`workbench_scope`); 404 for
    anything else, the user's own application to another agency included."""
    return _submitted_dossier_in(workbench_scope(user) if user.is_authenticated else None, pk=pk)


def _submitted_dossier_in(scope: Q | None, *, pk) -> Dossier:
    """The submitted dossier `pk` within `scope`; 404 without a scope, for a draft, a missing or a bad pk."""
    if scope is None:
        raise Http404
    try:
        return (
            Dossier.objects.filter(scope)
            .exclude(status=S.DRAFT)
            .select_related("procedure", "agency", "assignee", "applicant")
            .get(pk=pk)
        )
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
