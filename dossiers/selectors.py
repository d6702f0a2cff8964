"""Reads of dossiers. Every read takes the user, so scoping happens here and nowhere else: an
applicant sees its own dossiers, an officer its agency's; "missing" and "not yours" answer the same 404."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.constants import Role
from procedures.calendar import working_calendar

from .constants import CLOCK_RUNNING_STATUSES, DossierStatus
from .models import Dossier, DossierDocument, DossierEvent

S = DossierStatus


def _officer_scope(user) -> Q | None:
    """Which dossiers an officer may see: its agency's. None for someone who is not an officer."""
    if user.is_superuser:
        return Q()
    if user.agency_id is not None and user.is_officer:
        return Q(agency_id=user.agency_id)
    return None


def dossier_visible_to(*, user) -> QuerySet[Dossier]:
    """Every dossier `user` may open: its own, and as an officer its agency's."""
    if not user.is_authenticated:
        return Dossier.objects.none()
    visible = Q(applicant_id=user.pk)
    scope = _officer_scope(user)
    if scope is not None:
        visible |= scope & ~Q(status=S.DRAFT)
    return Dossier.objects.filter(visible)


def dossier_get_for_user(*, user, pk: int) -> Dossier:
    """Fetch and authorise in one step: 404 for a dossier that is missing or not the user's."""
    try:
        return dossier_visible_to(user=user).select_related("procedure", "agency", "assignee", "applicant").get(pk=pk)
    except Dossier.DoesNotExist:
        raise Http404 from None


def dossier_get_by_code_for_user(*, user, code: str) -> Dossier:
    try:
        return dossier_visible_to(user=user).select_related("procedure", "agency", "assignee").get(code=code)
    except Dossier.DoesNotExist:
        raise Http404 from None


def document_get_for_user(*, user, dossier_pk: int, document_pk: int) -> DossierDocument:
    """A dossier's file, only for someone who may open the dossier."""
    dossier = dossier_get_for_user(user=user, pk=dossier_pk)
    try:
        return dossier.documents.get(pk=document_pk)
    except DossierDocument.DoesNotExist:
        raise Http404 from None


def dossier_list_for_applicant(*, user) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(applicant_id=user.pk)
        .select_related("procedure", "agency")
        .order_by("-created_at", "-id")
    )


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "receiver").order_by("created_at", "id")


# --- officer queues ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Queue:
    name: str
    label: str
    roles: frozenset[str]
    order_by: tuple[str, ...]


QUEUES: dict[str, Queue] = {
    q.name: q
    for q in [
        Queue("new", _("Hồ sơ mới chờ tiếp nhận"), frozenset({Role.RECEPTION_OFFICER}), ("submitted_at", "id")),
        Queue("received", _("Đã tiếp nhận, chờ chuyển xử lý"), frozenset({Role.RECEPTION_OFFICER}), ("due_at", "id")),
        Queue(
            "waiting_applicant",
            _("Chờ công dân bổ sung"),
            frozenset({Role.RECEPTION_OFFICER, Role.PROCESSING_OFFICER}),
            ("paused_at", "id"),
        ),
        Queue("to_process", _("Cần xử lý"), frozenset({Role.PROCESSING_OFFICER}), ("due_at", "id")),
        Queue("awaiting_approval", _("Chờ phê duyệt"), frozenset({Role.APPROVER}), ("due_at", "id")),
        Queue(
            "due_soon",
            _("Sắp đến hạn"),
            frozenset({Role.RECEPTION_OFFICER, Role.PROCESSING_OFFICER, Role.APPROVER}),
            ("due_at", "id"),
        ),
        Queue(
            "overdue",
            _("Quá hạn"),
            frozenset({Role.RECEPTION_OFFICER, Role.PROCESSING_OFFICER, Role.APPROVER}),
            ("due_at", "id"),
        ),
        Queue("results", _("Kết quả chờ trả"), frozenset({Role.RECEPTION_OFFICER}), ("finished_at", "id")),
    ]
}


def _queue_condition(name: str, *, officer, now: datetime) -> Q:
    if name == "new":
        return Q(status=S.SUBMITTED)
    if name == "received":
        return Q(status=S.RECEIVED)
    if name == "waiting_applicant":
        return Q(status=S.SUPPLEMENT_REQUESTED)
    if name == "to_process":
        return Q(status=S.PROCESSING) & (Q(assignee_id=officer.pk) | Q(assignee__isnull=True))
    if name == "awaiting_approval":
        return Q(status=S.AWAITING_APPROVAL)
    if name == "due_soon":
        calendar = working_calendar()
        horizon = calendar.add_working_time(now, calendar.working_day_length)
        return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__gte=now, due_at__lte=horizon)
    if name == "overdue":
        return Q(status__in=CLOCK_RUNNING_STATUSES, due_at__lt=now)
    if name == "results":
        return Q(status=S.RESULT_READY)
    raise Http404


def queues_for_officer(*, officer) -> list[Queue]:
    """The queues an officer works, in display order."""
    if officer.is_superuser:
        return list(QUEUES.values())
    return [queue for queue in QUEUES.values() if queue.roles & officer.role_names]


def queue_counts(*, officer, now: datetime | None = None) -> dict[str, int]:
    """How many dossiers wait in each of the officer's queues, in one query."""
    scope = _officer_scope(officer)
    if scope is None:
        return {}
    now = now or timezone.now()
    queues = queues_for_officer(officer=officer)
    aggregates = {q.name: Count("id", filter=_queue_condition(q.name, officer=officer, now=now)) for q in queues}
    return Dossier.objects.filter(scope).aggregate(**aggregates) if aggregates else {}


def dossier_queue_for_officer(
    *,
    officer,
    queue: str,
    search: str = "",
    procedure_id: int | None = None,
    channel: int | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """One of the officer's queues, filtered; 404 for a queue the officer does not work."""
    scope = _officer_scope(officer)
    allowed = {q.name for q in queues_for_officer(officer=officer)} if scope is not None else set()
    if queue not in allowed:
        raise Http404
    now = now or timezone.now()
    dossiers = Dossier.objects.filter(scope, _queue_condition(queue, officer=officer, now=now))
    dossiers = dossier_filter(
        dossiers,
        search=search,
        procedure_id=procedure_id,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
    )
    return dossiers.select_related("procedure", "assignee").order_by(*QUEUES[queue].order_by)


def dossier_filter(
    dossiers: QuerySet[Dossier],
    *,
    search: str = "",
    procedure_id: int | None = None,
    channel: int | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
) -> QuerySet[Dossier]:
    """Search by code (exact or prefix) or applicant name, and the common filters."""
    search = search.strip()
    if search:
        dossiers = dossiers.filter(Q(code__istartswith=search) | Q(applicant_name__icontains=search))
    if procedure_id:
        dossiers = dossiers.filter(procedure_id=procedure_id)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if submitted_from:
        dossiers = dossiers.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        dossiers = dossiers.filter(submitted_at__date__lte=submitted_to)
    return dossiers


# --- public lookup -----------------------------------------------------------------------------


def dossier_public_lookup(*, code: str, second_factor: str) -> Dossier | None:
    """The dossier whose code is `code` and whose applicant ID or phone ends with `second_factor`
    (at least 4 digits). None for "no such dossier" and "wrong second factor" alike."""
    code, second_factor = code.strip().upper(), second_factor.strip()
    if len(second_factor) < 4 or not second_factor.isdigit() or not code:
        return None
    dossier = Dossier.objects.select_related("procedure", "agency").filter(code=code).exclude(status=S.DRAFT).first()
    if dossier is None:
        return None
    if dossier.applicant_id_number.endswith(second_factor) or dossier.applicant_phone.endswith(second_factor):
        return dossier
    return None
