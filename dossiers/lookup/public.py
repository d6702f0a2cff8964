"""What the public lookup may show of a dossier, read from the database: its code, status, procedure and agency
names, submitted and due dates, the actions of its timeline, and what other apps add through
`dossiers.panels.PublicSection` (the parcels of a result by post); no applicant, officer, note or declared data."""

from dataclasses import dataclass
from datetime import datetime

from ..constants import Action, DossierStatus
from ..models import Dossier, DossierEvent
from ..panels import PublicRow, public_sections_read

# The second factor: at least this many last digits of the applicant's ID (or tax code) or phone.
SECOND_FACTOR_MIN_DIGITS = 4


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
    sections: tuple[tuple[str, object], ...] = ()  # (name, data) of the other apps' public sections

    @property
    def status_label(self) -> str:
        return DossierStatus(self.status).label

    @property
    def timeline(self) -> list[PublicTimelineEntry]:
        return [PublicTimelineEntry(action=action, at=at) for action, at in self.events]


def lookup_code_key(code: str) -> str:
    """The code as the lookup reads it: without spaces, upper-cased."""
    return "".join(code.split()).upper()


def second_factor_usable(second_factor: str) -> bool:
    return len(second_factor) >= SECOND_FACTOR_MIN_DIGITS and second_factor.isdigit()


def read_public_dossier(*, code: str, second_factor: str) -> tuple[PublicDossier, str, str] | None:
    """The public facts of the dossier `code` if `second_factor` ends its applicant's ID or phone, with that
    ID and phone (for the cache's digests, never shown); else None. Two narrow queries, then more only when
    the factor is right: the dossier's shown columns with its procedure's and agency's names (one join on
    primary keys), then the timeline's two columns, then at most one per public section that applies (the
    parcels of a dossier sent or collected by post)."""
    rows = (
        Dossier.objects.filter(code=code)
        .exclude(status=DossierStatus.DRAFT)
        .values_list(
            "pk",
            "channel",
            "delivery_method",
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
    pk, channel, delivery_method, status, procedure, agency, submitted_at, due_at, id_number, phone = row
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
        sections=public_sections_read(PublicRow(pk=pk, channel=channel, delivery_method=delivery_method)),
    )
    return public, id_number, phone


def dossier_public_lookup(*, code: str, second_factor: str) -> PublicDossier | None:
    """The public facts of the dossier whose code is `code` and whose applicant ID or phone ends with
    `second_factor` (at least SECOND_FACTOR_MIN_DIGITS digits), read from the database; None for "no such
    dossier" and "wrong second factor" alike. No limit and no cache: `lookup_attempt` is what visitors get."""
    code, second_factor = lookup_code_key(code), second_factor.strip()
    if not code or not second_factor_usable(second_factor):
        return None
    found = read_public_dossier(code=code, second_factor=second_factor)
    return found[0] if found else None
