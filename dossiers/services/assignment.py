"""Who works on a dossier, and the desk's work in batches: assign or reassign a specialist (reception or the
leader), and receive several online dossiers at once, each still its own transaction and event."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.constants import Role

from ..constants import ASSIGNEE_NOT_CHECKED, Action
from ..error_codes import ErrorCode
from ..models import Dossier
from ..workflow import TransitionNotAllowed
from .core import transition
from .office import dossier_receive


def dossier_assign(
    *, dossier: Dossier, officer, assignee, reason: str = "", seen_assignee_id: int | None = ASSIGNEE_NOT_CHECKED
) -> Dossier:
    """Give a dossier in processing to a specialist of its agency, or to another one: a reassignment needs a
    reason, which the event keeps as its note (the timeline); the event's data keeps the assignees before and
    after. `seen_assignee_id` is the assignee the officer's page showed (None: nobody): when someone changed it
    meanwhile, the assignment is refused (409) rather than overriding theirs unseen."""
    reason = reason.strip()
    with transition(dossier=dossier, user=officer, action=Action.ASSIGN, note=reason) as change:
        d = change.dossier
        if seen_assignee_id != ASSIGNEE_NOT_CHECKED and d.assignee_id != seen_assignee_id:
            current = d.assignee.full_name if d.assignee_id else _("chưa giao ai")
            raise TransitionNotAllowed(
                _("Trong lúc bạn xem, chuyên viên xử lý hồ sơ đã thay đổi (hiện tại: %(name)s). Hãy xem lại.")
                % {"name": current},
                ErrorCode.ASSIGNEE_CHANGED,
            )
        if not (
            assignee.is_active and assignee.agency_id == d.agency_id and assignee.has_role(Role.PROCESSING_OFFICER)
        ):
            raise ValidationError(_("Người được giao phải là chuyên viên xử lý của cơ quan."))
        if d.assignee_id == assignee.pk:
            raise TransitionNotAllowed(
                _("Hồ sơ đang do %(name)s xử lý.") % {"name": assignee.full_name}, ErrorCode.ALREADY_ASSIGNED
            )
        if d.assignee_id is not None and not reason:
            raise ValidationError(_("Hãy nêu lý do giao lại hồ sơ cho chuyên viên khác."))
        change.update(assignee=assignee)
        change.receiver = assignee
    return change.dossier


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one dossier of a batch: received (its new due date in `dossier`), or refused and why."""

    dossier: Dossier
    received: bool
    message: str


def dossiers_receive_each(*, officer, dossiers: list[Dossier]) -> list[BatchOutcome]:
    """Receive each dossier through `dossier_receive`, in its own transaction with its own event and
    notification: one refused (taken meanwhile, a fee unpaid) leaves the others received."""
    outcomes = []
    for dossier in dossiers:
        try:
            received = dossier_receive(dossier=dossier, officer=officer)
        except (TransitionNotAllowed, ValidationError) as refusal:
            outcomes.append(BatchOutcome(dossier, False, " ".join(refusal.messages)))
        else:
            outcomes.append(BatchOutcome(received, True, ""))
    return outcomes
