"""The officer's queues, their counts and filters, and the choices the officer pages offer."""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.constants import Role
from portal.text import short_datetime
from procedures.calendar import WorkingCalendar
from procedures.models import Procedure

from ..constants import CLOCK_RUNNING_STATUSES, QUEUE_STATUSES, Channel, DossierStatus, FeeStatus
from ..deadlines import (
    at_risk_condition,
    due_soon_condition,
    due_soon_horizon,
    due_state_of,
    overdue_condition,
    time_left,
    time_left_words,
)
from ..models import Dossier
from ..search import Unindexed, search_condition
from .access import workbench_scope

S = DossierStatus


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
        Queue(
            "waiting_payment",
            _("Chờ nộp phí, lệ phí"),
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
        # The leader's early warning: likely late, before the due date (dossiers/deadlines/steps.py).
        Queue("at_risk", _("Có nguy cơ trễ hạn"), frozenset({Role.APPROVER}), ("due_at", "id")),
    ]
}

# The queues that hold the dossiers of one status, whatever else: `queue_counts` reads them from one count per status.
STATUS_QUEUES = {
    "new": S.SUBMITTED,
    "received": S.RECEIVED,
    "waiting_applicant": S.SUPPLEMENT_REQUESTED,
    "waiting_payment": S.PAYMENT_REQUESTED,
    "awaiting_approval": S.AWAITING_APPROVAL,
    "results": S.RESULT_READY,
}

# The assignment filter of the queues: the officer's own dossiers, or those nobody has been given yet.
MINE, UNASSIGNED = "mine", "unassigned"
# The orders a queue may be sorted in besides its own: by the time left, least first or most first.
SORTS = {"time_left": ("due_at", "id"), "-time_left": ("-due_at", "-id")}


# --- queues --------------------------------------------------------------------------------------


def _queue_condition(name: str, *, officer, now: datetime, horizon: datetime | None = None) -> Q:
    if name in STATUS_QUEUES:
        return Q(status=STATUS_QUEUES[name])
    if name == "to_process":
        return Q(status=S.PROCESSING) & (Q(assignee_id=officer.pk) | Q(assignee__isnull=True))
    if name == "due_soon":
        return due_soon_condition(now=now, horizon=horizon or due_soon_horizon(now=now))
    if name == "overdue":
        return overdue_condition(now=now)
    if name == "at_risk":
        return at_risk_condition(now=now)
    raise Http404


def queues_for_officer(*, officer) -> list[Queue]:
    """The queues an officer works, in display order (their dossiers: `workbench_scope`, the officer's agency)."""
    if officer.is_superuser:
        return list(QUEUES.values())
    return [queue for queue in QUEUES.values() if queue.roles & officer.role_names]


def queue_counts(*, officer, now: datetime | None = None, horizon: datetime | None = None) -> dict[str, int]:
    """How many dossiers wait in each of the officer's queues, in one query (and one for the working
    calendar unless `horizon`, the end of the due-soon window, is given)."""
    scope = workbench_scope(officer)
    if scope is None:
        return {}
    now = now or timezone.now()
    queues = queues_for_officer(officer=officer)
    # The queues of one status are counted per status (GROUP BY), the others each with its condition: a filtered
    # count is ~0.3 ms of CPU to build in Django (the reception's seven counts 3.2 ms, grouped 1.7; as fast or faster
    # in PostgreSQL at 1,000,000 dossiers: EXPLAIN ANALYZE, issue 12). Counted on `status` (never null), not `id`:
    # with every column the conditions read in the partial index `dossier_in_flight`, PostgreSQL counts from the
    # index alone (Django refuses COUNT(*) with a filter).
    filtered = {
        q.name: Count("status", filter=_queue_condition(q.name, officer=officer, now=now, horizon=horizon))
        for q in queues
        if q.name not in STATUS_QUEUES
    }
    # Every queue holds dossiers of these statuses only: restricting to them reads the in-flight entries of the
    # agency instead of all its dossiers, most of them long finished (docs/performance.md).
    in_queues = Dossier.objects.filter(scope, status__in=QUEUE_STATUSES).order_by()
    counts, in_status = dict.fromkeys((q.name for q in queues), 0), {}
    for row in in_queues.values("status").annotate(in_status=Count("status"), **filtered):
        in_status[row["status"]] = row["in_status"]
        for name in filtered:
            counts[name] += row[name]
    for name in counts.keys() & STATUS_QUEUES.keys():
        counts[name] = in_status.get(STATUS_QUEUES[name], 0)
    return counts


def dossier_queue_for_officer(
    *,
    officer,
    queue: str,
    search: str = "",
    procedure_id: int | None = None,
    channel: int | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    fee_status: str = "",
    assigned: str = "",
    sort: str = "",
    now: datetime | None = None,
    horizon: datetime | None = None,
) -> QuerySet[Dossier]:
    """One of the officer's queues, filtered (`assigned`: MINE or UNASSIGNED) and sorted (`sort`: one of SORTS, else
    the queue's own order); 404 for a queue the officer does not work. `horizon`: the end of the due-soon window
    when the caller has it already."""
    scope = workbench_scope(officer)
    allowed = {q.name for q in queues_for_officer(officer=officer)} if scope is not None else set()
    if queue not in allowed:
        raise Http404
    now = now or timezone.now()
    dossiers = Dossier.objects.filter(scope, _queue_condition(queue, officer=officer, now=now, horizon=horizon))
    dossiers = dossier_filter(
        dossiers,
        search=search,
        procedure_id=procedure_id,
        channel=channel,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        fee_status=fee_status,
        in_flight=True,
    )
    if assigned == MINE:
        dossiers = dossiers.filter(assignee_id=officer.pk)
    elif assigned == UNASSIGNED:
        dossiers = dossiers.filter(assignee__isnull=True)
    return dossiers.select_related("procedure", "assignee").order_by(*SORTS.get(sort, QUEUES[queue].order_by))


def dossier_next_in_queue(*, officer, queue: str, after: Dossier) -> int | None:
    """The id of the dossier the officer takes up after `after` in `queue` (the queue's first other than it), or
    None when the queue holds no other; 404 for a queue the officer does not work."""
    others = dossier_queue_for_officer(officer=officer, queue=queue).exclude(pk=after.pk)
    return others.values_list("id", flat=True).first()


def dossiers_for_bulk_receive(*, officer, ids: list[int]) -> list[Dossier]:
    """The online dossiers among `ids` that wait for reception in the officer's agency, in the order of the new
    queue; the other ids (not the agency's, not online, no longer waiting) are left out."""
    scope = workbench_scope(officer)
    if scope is None or not officer.has_role(Role.RECEPTION_OFFICER):
        return []
    return list(
        Dossier.objects.filter(scope, pk__in=ids, status=S.SUBMITTED, channel=Channel.ONLINE).order_by(
            *QUEUES["new"].order_by
        )
    )


# What a queue page shows of each dossier: read as values, not model instances (no JSON form data or applicant
# fields loaded, no instance built per row), with the procedure and assignee names joined in the same query.
QUEUE_ROW_FIELDS = (
    "id",
    "code",
    "applicant_name",
    "channel",
    "status",
    "fee_status",
    "submitted_at",
    "due_at",
    "paused_at",
)
QUEUE_ROW_JOINED = {
    "procedure_name": F("procedure__name"),
    "procedure_code": F("procedure__code"),
    "assignee_name": F("assignee__full_name"),
}


def queue_row_values(dossiers: QuerySet[Dossier]) -> QuerySet:
    """A queue (`dossier_queue_for_officer`) as the rows its page shows, for the paginator."""
    return dossiers.values(*QUEUE_ROW_FIELDS, **QUEUE_ROW_JOINED)


def queue_rows(rows, *, now: datetime, horizon: datetime, calendar: WorkingCalendar) -> list[dict]:
    """One page of `queue_row_values` with what each row displays: the labels of its channel, status and fee
    status (translated once per page, not once per row), its submission and due dates as text (`short_datetime`),
    its deadline mark (`due_state`) and the working time left while its clock runs (`time_left`, negative once
    overdue)."""
    labels = {
        "channel": {value: str(label) for value, label in Channel.choices},
        "status": {value: str(label) for value, label in DossierStatus.choices},
        "fee_status": {value: str(label) for value, label in FeeStatus.choices},
    }
    return [
        {
            **row,
            **{f"{field}_label": names.get(row[field], "") for field, names in labels.items()},
            "submitted_at_text": short_datetime(row["submitted_at"]),
            "due_at_text": short_datetime(row["due_at"]),
            "due_state": due_state_of(row["status"], row["due_at"], now=now, horizon=horizon),
            "time_left": _time_left_words(row, now=now, calendar=calendar),
        }
        for row in rows
    ]


def _time_left_words(row: dict, *, now: datetime, calendar: WorkingCalendar) -> str:
    """The time left ("còn 2 ngày 3 giờ") of a row whose clock runs; "" for one paused, not received or finished."""
    if row["status"] not in CLOCK_RUNNING_STATUSES or row["due_at"] is None:
        return ""
    left = time_left(due_at=row["due_at"], now=now, calendar=calendar)
    return time_left_words(left, day_length=calendar.working_day_length)


def dossier_filter(
    dossiers: QuerySet[Dossier],
    *,
    search: str = "",
    procedure_id: int | None = None,
    channel: int | None = None,
    submitted_from: date | None = None,
    submitted_to: date | None = None,
    fee_status: str = "",
    in_flight: bool = False,
) -> QuerySet[Dossier]:
    """Search what a counter types (`dossiers.search`: code or its last digits, name without diacritics, CCCD or tax
    code, phone), and the common filters (`fee_status`: paid or not).

    `in_flight`: `dossiers` are a queue's, bounded by what is in flight (a few hundred to a few thousand rows for
    the busiest agency): the line is tested on the rows the queue's index finds, not matched through the trigram
    index over the whole history (a common name, "nguyen", 13 ms at a million dossiers against 0.7 ms for the
    received queue, and the same 15 ms for all of the busiest agency's 8,000 in flight: EXPLAIN ANALYZE on the
    quiet 2-core VM, docs/performance.md "Officer search")."""
    if search.strip():
        if in_flight:
            dossiers = dossiers.alias(unindexed_search_text=Unindexed("search_text"))
        line = "unindexed_search_text" if in_flight else "search_text"
        dossiers = dossiers.filter(search_condition(search, line=line))
    if procedure_id:
        dossiers = dossiers.filter(procedure_id=procedure_id)
    if channel:
        dossiers = dossiers.filter(channel=channel)
    if submitted_from:
        dossiers = dossiers.filter(submitted_at__date__gte=submitted_from)
    if submitted_to:
        dossiers = dossiers.filter(submitted_at__date__lte=submitted_to)
    if fee_status:
        dossiers = dossiers.filter(fee_status=fee_status)
    return dossiers


def dossier_filter_overdue(dossiers: QuerySet[Dossier], *, overdue: bool, now: datetime | None = None):
    """The dossiers whose clock runs past their due date (the rule of the overdue queue), or all the others."""
    condition = overdue_condition(now=now or timezone.now())
    return dossiers.filter(condition) if overdue else dossiers.exclude(condition)


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
