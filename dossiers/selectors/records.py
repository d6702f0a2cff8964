"""What a dossier's pages and documents show: timeline, components, supplement requests, the public
lookup, the processing control sheet."""

from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from portal import ratelimit

from .. import lookup_cache
from ..constants import (
    Action,
    Actor,
    DocumentKind,
    DossierStatus,
    Timeliness,
)
from ..deadlines import step_timeliness
from ..models import Dossier, DossierDocument, DossierEvent, SupplementRequest

S = DossierStatus


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "receiver").order_by("created_at", "id")


def dossier_supplement_requests(*, dossier: Dossier) -> QuerySet[SupplementRequest]:
    return dossier.supplement_requests.select_related("requested_by").order_by("requested_at", "id")


# --- the public lookup ---------------------------------------------------------------------------
#
# Anyone with a dossier's code and a second factor (the last 4 digits or more of the applicant's ID or
# phone) may read its status, dates and the actions of its timeline, nothing else. Two limits: attempts per
# client address and minute (settings.LOOKUP_RATE_LIMIT, kiosk page and API together), and failed attempts
# per code from any address (settings.LOOKUP_CODE_FAILURE_LIMIT; then the code is refused for an hour after
# the last failure). Unknown codes are counted alike, so a refusal says nothing about whether the code
# exists. Successful answers are cached per code (settings.LOOKUP_CACHE_SECONDS, dossiers/lookup_cache.py);
# the limits are counted on every attempt all the same, and a cached answer is read only with a second factor
# it accepts.

LOOKUP_ADDRESS_SCOPE = "lookup"
LOOKUP_ADDRESS_WINDOW_SECONDS = 60
LOOKUP_CODE_SCOPE = "lookup-code"
LOOKUP_CODE_LOCK_SECONDS = 60 * 60


class LookupRefused(Exception):
    """An attempt refused by a limit, before anything was looked up; `retry_after` is the wait in seconds."""

    retry_after: int


class LookupRateLimited(LookupRefused):
    """Too many attempts from this client address in the current minute."""

    retry_after = LOOKUP_ADDRESS_WINDOW_SECONDS


class LookupCodeLocked(LookupRefused):
    """Too many failed lookups of this code: refused like the per-address limit."""

    retry_after = LOOKUP_CODE_LOCK_SECONDS


def lookup_code_key(code: str) -> str:
    """The code as the lookup reads it: without spaces, upper-cased."""
    return "".join(code.split()).upper()


@dataclass(frozen=True)
class PublicTimelineEntry:
    action: str
    at: datetime

    @property
    def label(self) -> str:
        return Action(self.action).label


@dataclass(frozen=True)
class PublicDossier:
    """What the public lookup may show of a dossier: no applicant, officer, note or declared data."""

    code: str
    status: str
    procedure: str  # the procedure's name
    agency: str  # the handling agency's name
    submitted_at: datetime | None
    due_at: datetime | None
    events: tuple[tuple[str, datetime], ...]  # (action, time) of each event, oldest first

    @property
    def status_label(self) -> str:
        return DossierStatus(self.status).label

    @property
    def timeline(self) -> list[PublicTimelineEntry]:
        return [PublicTimelineEntry(action=action, at=at) for action, at in self.events]


def _second_factor_usable(second_factor: str) -> bool:
    return len(second_factor) >= lookup_cache.SECOND_FACTOR_MIN_DIGITS and second_factor.isdigit()


def _read_public_dossier(*, code: str, second_factor: str) -> tuple[PublicDossier, str, str] | None:
    """The public facts of the dossier `code` if `second_factor` ends its applicant's ID or phone, with that
    ID and phone (for the cache's digests, never shown); else None. Two narrow queries, the second only when
    the factor is right: the dossier's shown columns with its procedure's and agency's names (one join on
    primary keys), then the timeline's two columns."""
    rows = (
        Dossier.objects.filter(code=code)
        .exclude(status=S.DRAFT)
        .values_list(
            "pk",
            "status",
            "procedure__name",
            "agency__name",
            "submitted_at",
            "due_at",
            "applicant_id_number",
            "applicant_phone",
        )[:1]
    )
    row = next(iter(rows), None)
    if row is None:
        return None
    pk, status, procedure, agency, submitted_at, due_at, id_number, phone = row
    if not (id_number.endswith(second_factor) or phone.endswith(second_factor)):
        return None
    events = DossierEvent.objects.filter(dossier_id=pk).order_by("created_at", "id").values_list("action", "created_at")
    public = PublicDossier(
        code=code,
        status=status,
        procedure=procedure,
        agency=agency,
        submitted_at=submitted_at,
        due_at=due_at,
        events=tuple(events),
    )
    return public, id_number, phone


def dossier_public_lookup(*, code: str, second_factor: str) -> PublicDossier | None:
    """The public facts of the dossier whose code is `code` and whose applicant ID or phone ends with
    `second_factor` (at least 4 digits), read from the database; None for "no such dossier" and "wrong
    second factor" alike. No limit and no cache: `dossier_public_lookup_limited` is what visitors get."""
    code, second_factor = lookup_code_key(code), second_factor.strip()
    if not code or not _second_factor_usable(second_factor):
        return None
    found = _read_public_dossier(code=code, second_factor=second_factor)
    return found[0] if found else None


def dossier_public_lookup_limited(*, code: str, second_factor: str, client: str) -> PublicDossier | None:
    """The lookup as visitors get it: one attempt of `client` (its address, `ratelimit.client_address`).

    Raises LookupRateLimited past the address's limit and LookupCodeLocked once the code has too many
    failures, before looking. Otherwise answers like `dossier_public_lookup`, from the cache when a fresh
    entry accepts this second factor, and counts a failure against the code when it finds nothing.

    Cost of a cached answer: one Redis round trip (count the attempt, read the code's failures, token and
    entry) and no SQL; of anything else: that round trip, the queries of `_read_public_dossier`, and one
    write to Redis (the entry on success, the failure otherwise)."""
    code, second_factor = lookup_code_key(code), second_factor.strip()
    cacheable = lookup_cache.cacheable(code)
    read = [ratelimit.failures_key(LOOKUP_CODE_SCOPE, code)]
    if cacheable:
        read += [lookup_cache.token_key(code), lookup_cache.entry_key(code)]
    allowed, values = ratelimit.hit_and_read(
        scope=LOOKUP_ADDRESS_SCOPE,
        key=client,
        limit=settings.LOOKUP_RATE_LIMIT,
        window_seconds=LOOKUP_ADDRESS_WINDOW_SECONDS,
        read=read,
    )
    if not allowed:
        raise LookupRateLimited
    if (values[0] or 0) >= settings.LOOKUP_CODE_FAILURE_LIMIT:
        raise LookupCodeLocked
    if code and _second_factor_usable(second_factor):
        if cacheable:
            token, entry = values[1], values[2]
            facts = lookup_cache.answer(code=code, second_factor=second_factor, token=token, entry=entry)
            if facts is not None:
                return PublicDossier(**facts)
        found = _read_public_dossier(code=code, second_factor=second_factor)
        if found is not None:
            public, id_number, phone = found
            if cacheable:
                lookup_cache.store(code=code, token=token, facts=asdict(public), id_number=id_number, phone=phone)
            return public
    ratelimit.record_failure(scope=LOOKUP_CODE_SCOPE, key=code, window_seconds=LOOKUP_CODE_LOCK_SECONDS)
    return None


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
