"""What a dossier's pages and documents show: timeline, components, supplement requests, the processing
control sheet. (The public lookup is `dossiers.lookup`.)"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from procedures.calendar import working_calendar

from ..actions import ACTIONS
from ..constants import (
    Actor,
    DocumentKind,
    Timeliness,
)
from ..deadlines import step_due_at, step_timeliness
from ..models import Dossier, DossierDocument, DossierEvent, SupplementRequest


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "receiver").order_by("created_at", "id")


def dossier_supplement_requests(*, dossier: Dossier) -> QuerySet[SupplementRequest]:
    return dossier.supplement_requests.select_related("requested_by").order_by("requested_at", "id")


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


@dataclass(frozen=True)
class ControlSheetRow:
    """One hand-off of the processing control sheet ("Phiếu kiểm soát quá trình giải quyết hồ sơ")."""

    number: int
    at: datetime
    action: str
    giver: str
    receiver: str
    due_at: datetime | None  # the dossier's due date in force after the hand-off
    mark: str  # a Timeliness value against `due_at`, or "" before the clock started
    # The own deadline of the step this hand-off ends (its share of the allowed time: `deadlines.step_due_at`);
    # None for a step the clock does not time (before receipt, waiting for the applicant).
    step_due_at: datetime | None = None

    @property
    def mark_label(self) -> str:
        return Timeliness(self.mark).label if self.mark else ""


def _default_receiver(event: DossierEvent, dossier: Dossier) -> str:
    """Who took the dossier over when the event names no person (the action's spec says which role): the
    one-stop desk for the reception role, the applicant by name, or another role."""
    role = ACTIONS[event.action].receiver_for(event)
    if role == Actor.RECEPTION:
        return _("Bộ phận tiếp nhận và trả kết quả")
    if role == Actor.APPLICANT:
        return dossier.applicant_name or str(Actor.APPLICANT.label)
    return str(role.label)


def dossier_control_sheet(*, dossier: Dossier) -> list[ControlSheetRow]:
    """Every hand-off of the dossier (two queries: the events, the working calendar): time, giver (the actor),
    receiver, action, the own deadline of the step it ends, and the early / on time / late mark of the step against
    the due date stored on the event."""
    rows = []
    # Paying and refunding the fee hand the dossier to no one.
    hand_offs = [event for event in dossier_timeline(dossier=dossier) if not ACTIONS[event.action].outside]
    calendar = working_calendar()
    step_started_at = None
    for number, event in enumerate(hand_offs, start=1):
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
                step_due_at=step_started_at
                and step_due_at(
                    status=event.from_status,
                    started_at=step_started_at,
                    dossier=dossier,
                    due_at=event.due_at,
                    calendar=calendar,
                ),
            )
        )
        if event.from_status != event.to_status:  # a take or an assignment goes on with the same step
            step_started_at = event.created_at
    return rows
