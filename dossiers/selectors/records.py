"""What a dossier's pages and documents show: timeline, components, supplement requests, the public
lookup, the processing control sheet."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import ratelimit

from ..constants import (
    Action,
    Actor,
    DocumentKind,
    DossierStatus,
    Timeliness,
)
from ..models import Dossier, DossierDocument, DossierEvent, SupplementRequest

S = DossierStatus


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "receiver").order_by("created_at", "id")


def dossier_supplement_requests(*, dossier: Dossier) -> QuerySet[SupplementRequest]:
    return dossier.supplement_requests.select_related("requested_by").order_by("requested_at", "id")


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


# Failed lookups are counted per dossier code (from any address): after settings.LOOKUP_CODE_FAILURE_LIMIT
# failures the code is refused for this long after the last one. Unknown codes are counted alike, so a
# refusal says nothing about whether the code exists.
LOOKUP_CODE_SCOPE = "lookup-code"
LOOKUP_CODE_LOCK_SECONDS = 60 * 60


class LookupCodeLocked(Exception):
    """Too many failed lookups of this code: refuse the attempt as the per-address limit does."""

    retry_after = LOOKUP_CODE_LOCK_SECONDS


def lookup_code_key(code: str) -> str:
    """The code as the failure counter knows it: without spaces, upper-cased (as the lookup reads it)."""
    return "".join(code.split()).upper()


def dossier_public_lookup_limited(*, code: str, second_factor: str) -> Dossier | None:
    """`dossier_public_lookup` that counts a failure against the code each time it finds nothing, and raises
    LookupCodeLocked without looking once the code has `settings.LOOKUP_CODE_FAILURE_LIMIT` failures."""
    key = lookup_code_key(code)
    if ratelimit.failures_reached(scope=LOOKUP_CODE_SCOPE, key=key, limit=settings.LOOKUP_CODE_FAILURE_LIMIT):
        raise LookupCodeLocked
    dossier = dossier_public_lookup(code=code, second_factor=second_factor)
    if dossier is None:
        ratelimit.record_failure(scope=LOOKUP_CODE_SCOPE, key=key, window_seconds=LOOKUP_CODE_LOCK_SECONDS)
    return dossier


@dataclass(frozen=True)
class PublicTimelineEntry:
    label: str
    at: datetime


def dossier_public_timeline(*, dossier: Dossier) -> list[PublicTimelineEntry]:
    """What the public lookup shows of a dossier's history: action labels and times, nothing else (no
    actor, receiver or note ever leaves this function). One query, only the two columns."""
    rows = dossier.events.order_by("created_at", "id").values_list("action", "created_at")
    return [PublicTimelineEntry(label=Action(action).label, at=at) for action, at in rows]


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
