"""Reads of dossiers. Every read takes the user, so scoping happens here and nowhere else: an
applicant sees its own dossiers, an officer its agency's; "missing" and "not yours" answer the same 404."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.constants import Role
from procedures.calendar import working_calendar
from procedures.models import Procedure

from .constants import (
    CLOCK_RUNNING_STATUSES,
    Action,
    Actor,
    DeliveryMethod,
    DocumentKind,
    DossierStatus,
    Timeliness,
)
from .models import Dossier, DossierDocument, DossierEvent, SupplementRequest

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


# --- officer pages (workbench, dossier page, intake) --------------------------------------------


def due_soon_horizon(*, now: datetime) -> datetime:
    """The end of the "due soon" window that starts at `now`: one working day of working time
    (the same window as the due_soon queue)."""
    calendar = working_calendar()
    return calendar.add_working_time(now, calendar.working_day_length)


def procedures_for_officer(*, officer) -> QuerySet[Procedure]:
    """The procedures of the officer's agency (for queue filters), active or not."""
    if officer.agency_id is None:
        return Procedure.objects.none()
    return Procedure.objects.filter(agency_id=officer.agency_id).order_by("name", "id")


def procedures_for_intake(*, officer) -> QuerySet[Procedure]:
    """Active procedures of the officer's agency that take paper dossiers (at the counter or by post)."""
    return (
        procedures_for_officer(officer=officer)
        .filter(is_active=True)
        .filter(Q(accepts_counter=True) | Q(accepts_postal=True))
    )


def procedure_get_for_intake(*, officer, pk) -> Procedure:
    """One procedure of `procedures_for_intake`, with its components; 404 otherwise."""
    try:
        return procedures_for_intake(officer=officer).prefetch_related("documents").get(pk=pk)
    except (Procedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def processing_officers_for_agency(*, agency_id: int):
    """The active processing officers of an agency: whom a reception officer may forward a dossier to."""
    return (
        get_user_model()
        .objects.filter(agency_id=agency_id, is_active=True, groups__name=Role.PROCESSING_OFFICER)
        .order_by("full_name", "id")
        .distinct()
    )


def dossier_documents(*, dossier: Dossier) -> QuerySet[DossierDocument]:
    """A dossier's files with the component each belongs to, in the order of the components."""
    return dossier.documents.select_related("required_document").order_by(
        "kind", "required_document__position", "required_document_id", "id"
    )


def dossier_supplement_requests(*, dossier: Dossier) -> QuerySet[SupplementRequest]:
    return dossier.supplement_requests.select_related("requested_by").order_by("requested_at", "id")


# --- the applicant's pages (citizen side) ------------------------------------------------------


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


def dossier_get_for_applicant(*, user, pk) -> Dossier:
    """The user's own dossier (the "my dossiers" pages): 404 for anyone else's, even an officer's agency's."""
    dossier = dossier_get_for_user(user=user, pk=pk)
    if dossier.applicant_id != user.pk:
        raise Http404
    return dossier


def result_visible_to_applicant(*, dossier: Dossier) -> bool:
    """The result document is the applicant's once approved, when it is delivered online."""
    return dossier.status in (S.RESULT_READY, S.RETURNED) and dossier.delivery_method == DeliveryMethod.ONLINE


def document_get_for_download(*, user, dossier_pk: int, document_pk: int) -> DossierDocument:
    """`document_get_for_user`, except that an applicant (who is not an officer of the dossier's agency) does
    not get the proposed result before it is approved and meant for online delivery."""
    document = document_get_for_user(user=user, dossier_pk=dossier_pk, document_pk=document_pk)
    if document.kind == DocumentKind.RESULT:
        dossier = document.dossier
        is_agency_officer = user.is_superuser or (user.is_officer and user.agency_id == dossier.agency_id)
        if not is_agency_officer and not result_visible_to_applicant(dossier=dossier):
            raise Http404
    return document


# --- the REST API (/api/v1/dossiers/) ----------------------------------------------------------


def user_is_dossier_officer(*, user, dossier: Dossier) -> bool:
    """An officer of the dossier's agency (or a system administrator): sees notes, assignees, drafts of results."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or (user.is_officer and user.agency_id == dossier.agency_id)


def dossier_filter_overdue(dossiers: QuerySet[Dossier], *, overdue: bool, now: datetime | None = None):
    """The dossiers whose clock runs past their due date (the rule of the overdue queue), or all the others."""
    condition = _queue_condition("overdue", officer=None, now=now or timezone.now())
    return dossiers.filter(condition) if overdue else dossiers.exclude(condition)


def dossier_documents_for_user(*, user, dossier: Dossier) -> QuerySet[DossierDocument]:
    """The files of a dossier that `user` may download, as `document_get_for_download` decides: an applicant
    does not get the proposed result before it is approved and meant for online delivery."""
    documents = dossier_documents(dossier=dossier)
    if not user_is_dossier_officer(user=user, dossier=dossier) and not result_visible_to_applicant(dossier=dossier):
        documents = documents.exclude(kind=DocumentKind.RESULT)
    return documents


# --- public lookup page and issued documents ---------------------------------------------------


@dataclass(frozen=True)
class PublicTimelineEntry:
    label: str
    at: datetime


def dossier_public_timeline(*, dossier: Dossier) -> list[PublicTimelineEntry]:
    """What the public lookup shows of a dossier's history: action labels and times, nothing else (no
    actor, receiver or note ever leaves this function). One query, only the two columns."""
    rows = dossier.events.order_by("created_at", "id").values_list("action", "created_at")
    return [PublicTimelineEntry(label=Action(action).label, at=at) for action, at in rows]


def dossier_get_for_agency_officer(*, user, pk) -> Dossier:
    """A submitted dossier of the officer's own agency (any superuser's); 404 for anyone else, the
    applicant included (pages such as the processing control sheet are the office's own)."""
    scope = _officer_scope(user) if user.is_authenticated else None
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


@dataclass(frozen=True)
class ReceivedComponent:
    """One component of the dossier as the receipt lists it: the copies the procedure asks for and the
    number of files received for it."""

    name: str
    original_copies: int
    copy_copies: int
    files: int


def dossier_received_components(*, dossier: Dossier) -> list[ReceivedComponent]:
    """The components received with the dossier, in the procedure's order, in one query."""
    rows = (
        DossierDocument.objects.filter(
            dossier_id=dossier.pk, kind=DocumentKind.APPLICATION, required_document__isnull=False
        )
        .values(
            "required_document_id",
            "required_document__name",
            "required_document__original_copies",
            "required_document__copy_copies",
            "required_document__position",
        )
        .annotate(files=Count("id"))
        .order_by("required_document__position", "required_document_id")
    )
    return [
        ReceivedComponent(
            name=row["required_document__name"],
            original_copies=row["required_document__original_copies"],
            copy_copies=row["required_document__copy_copies"],
            files=row["files"],
        )
        for row in rows
    ]


def dossier_last_event(*, dossier: Dossier, action: str | None = None, to_status: str | None = None):
    """The latest event of `dossier` (of one action, or that led to one status), with its actor; or None."""
    events = dossier.events.select_related("actor")
    if action is not None:
        events = events.filter(action=action)
    if to_status is not None:
        events = events.filter(to_status=to_status)
    return events.order_by("-created_at", "-id").first()


def supplement_request_latest(*, dossier: Dossier) -> SupplementRequest | None:
    return dossier.supplement_requests.select_related("requested_by").order_by("-requested_at", "-id").first()


def step_timeliness(*, at: datetime, due_at: datetime | None) -> str:
    """The mark of one step of the control sheet: the date of the hand-off against the due date in force
    then (dates compared as for the whole dossier, DOMAIN.md); "" when no clock was running yet."""
    if due_at is None:
        return ""
    day, due_day = timezone.localdate(at), timezone.localdate(due_at)
    if day < due_day:
        return Timeliness.EARLY
    if day == due_day:
        return Timeliness.ON_TIME
    return Timeliness.LATE


@dataclass(frozen=True)
class ControlSheetRow:
    """One hand-off of the processing control sheet ("Phiếu kiểm soát quá trình giải quyết hồ sơ")."""

    number: int
    at: datetime
    action: str
    giver: str
    receiver: str
    due_at: datetime | None
    mark: str  # a Timeliness value, or "" before the clock started

    @property
    def mark_label(self) -> str:
        return Timeliness(self.mark).label if self.mark else ""


def _default_receiver(event: DossierEvent, dossier: Dossier) -> str:
    """Who took the dossier over when the event names no person: the applicant, the desk or a role."""
    desk = _("Bộ phận tiếp nhận và trả kết quả")
    applicant = dossier.applicant_name or str(Actor.APPLICANT.label)
    by_action = {
        Action.SUBMIT: desk,
        Action.RECEIVE: desk,
        Action.REQUEST_SUPPLEMENT: applicant,
        Action.REFUSE: applicant,
        Action.DELIVER: applicant,
        Action.APOLOGIZE: applicant,
        Action.WITHDRAW: desk,
        Action.FORWARD: Actor.PROCESSING.label,
        Action.TAKE: Actor.PROCESSING.label,
        Action.SEND_BACK: Actor.PROCESSING.label,
        Action.PROPOSE: Actor.APPROVER.label,
    }
    if event.action == Action.APPROVE:
        return applicant if event.to_status == S.REFUSED else desk
    if event.action == Action.SUPPLEMENT:
        return desk if event.to_status in (S.SUBMITTED, S.RECEIVED) else Actor.PROCESSING.label
    return str(by_action.get(event.action, desk))


def dossier_control_sheet(*, dossier: Dossier) -> list[ControlSheetRow]:
    """Every hand-off of the dossier (one query): time, giver (the actor), receiver, action and the
    early / on time / late mark of the step, against the due date stored on the event."""
    rows = []
    for number, event in enumerate(dossier_timeline(dossier=dossier), start=1):
        giver = event.actor.full_name if event.actor else dossier.applicant_name
        receiver = event.receiver.full_name if event.receiver else _default_receiver(event, dossier)
        rows.append(
            ControlSheetRow(
                number=number,
                at=event.created_at,
                action=str(event.get_action_display()),
                giver=giver,
                receiver=str(receiver),
                due_at=event.due_at,
                mark=step_timeliness(at=event.created_at, due_at=event.due_at),
            )
        )
    return rows
