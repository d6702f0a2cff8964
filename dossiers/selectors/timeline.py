"""A dossier's timeline as one user sees it: the applicant's page and the API read it from here, so that
both show the same notes. An officer of the dossier's agency (or a system administrator) reads every
note; anyone else only the notes written for the applicant."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ..actions import ACTIONS
from ..constants import Action, DossierStatus
from ..models import Dossier
from .access import user_is_dossier_officer
from .records import dossier_timeline


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    from_status: str
    to_status: str
    due_at: datetime | None
    who: str  # "you", or the role and agency that acted: never an officer's name
    note: str | None  # None when the note is not for this user (the action's spec says whose it is)
    postal_tracking_number: str  # of a hand-back by post, else ""

    @property
    def action_label(self) -> str:
        return Action(self.action).label

    @property
    def to_status_label(self) -> str:
        return DossierStatus(self.to_status).label


def _who(event, *, dossier: Dossier, user) -> str:
    agency = dossier.agency.name
    if event.actor_id is not None and event.actor_id == user.pk:
        return _("Bạn")
    role = ACTIONS[event.action].who_for(event)
    return f"{role.label} – {agency}" if role else agency


def dossier_timeline_for(*, dossier: Dossier, user) -> list[TimelineEntry]:
    """Every event of `dossier` in order (one query), with the notes `user` may read."""
    all_notes = user_is_dossier_officer(user=user, dossier=dossier)
    return [
        TimelineEntry(
            at=event.created_at,
            action=event.action,
            from_status=event.from_status,
            to_status=event.to_status,
            due_at=event.due_at,
            who=_who(event, dossier=dossier, user=user),
            note=event.note if all_notes or ACTIONS[event.action].public_note else None,
            postal_tracking_number=event.extra_data.get("postal_tracking_number", ""),
        )
        for event in dossier_timeline(dossier=dossier)
    ]
