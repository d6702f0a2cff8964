"""A dossier's timeline as one user sees it: the applicant's page and the API read it from here, so that
both show the same notes. An officer of the dossier's agency (or a system administrator) reads every
note; anyone else only the notes written for the applicant."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from ..constants import Action, Actor, DossierStatus
from ..models import Dossier
from .access import user_is_dossier_officer
from .records import dossier_timeline

# Who performs each action, shown to the applicant instead of the officer's name.
ACTION_ACTOR = {
    Action.RECEIVE: Actor.RECEPTION,
    Action.REFUSE: Actor.RECEPTION,
    Action.FORWARD: Actor.RECEPTION,
    Action.DELIVER: Actor.RECEPTION,
    Action.TAKE: Actor.PROCESSING,
    Action.PROPOSE: Actor.PROCESSING,
    Action.APPROVE: Actor.APPROVER,
    Action.SEND_BACK: Actor.APPROVER,
}
# Notes written for the applicant (what a supplement asks, why a dossier is refused...); the others
# (forwarding, proposals, approvals, sending back) are the office's own.
PUBLIC_NOTE_ACTIONS = frozenset(
    {
        Action.SUBMIT,
        Action.RECEIVE,
        Action.REQUEST_SUPPLEMENT,
        Action.REFUSE,
        Action.SUPPLEMENT,
        Action.WITHDRAW,
        Action.DELIVER,
        Action.APOLOGIZE,
    }
)


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    action: str
    from_status: str
    to_status: str
    due_at: datetime | None
    who: str  # "you", or the role and agency that acted: never an officer's name
    note: str | None  # None when the note is not for this user

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
    if event.action == Action.REQUEST_SUPPLEMENT:
        role = Actor.PROCESSING if event.from_status == DossierStatus.PROCESSING else Actor.RECEPTION
        return f"{role.label} – {agency}"
    if event.action in ACTION_ACTOR:
        return f"{ACTION_ACTOR[event.action].label} – {agency}"
    return agency


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
            note=event.note if all_notes or event.action in PUBLIC_NOTE_ACTIONS else None,
        )
        for event in dossier_timeline(dossier=dossier)
    ]
