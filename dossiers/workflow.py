"""The dossier state machine: one table of transitions that services, pages and the API all read.

A transition names the statuses it leaves from, the status it leads to (None when the service decides:
a supplement resumes the status it interrupted, an approval follows the proposal) and who may perform
it. `check_transition` adds the per-action guards (only an unassigned dossier is taken, only the
assignee proposes, a supplement is asked at most once at reception, an apology and new date only once).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.constants import Role

from .constants import Action, Actor, DossierStatus
from .models import Dossier

S = DossierStatus


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[str]
    target: str | None
    actors: frozenset[Actor]


def _t(action, sources, target, *actors) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors))


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(Action.SUBMIT, [S.DRAFT], S.SUBMITTED, Actor.APPLICANT),
        _t(Action.RECEIVE, [S.SUBMITTED], S.RECEIVED, Actor.RECEPTION),
        _t(Action.REFUSE, [S.SUBMITTED, S.RECEIVED], S.REFUSED, Actor.RECEPTION),
        _t(
            Action.REQUEST_SUPPLEMENT,
            [S.SUBMITTED, S.RECEIVED, S.PROCESSING],
            S.SUPPLEMENT_REQUESTED,
            Actor.RECEPTION,
            Actor.PROCESSING,
        ),
        _t(Action.SUPPLEMENT, [S.SUPPLEMENT_REQUESTED], None, Actor.APPLICANT, Actor.RECEPTION),
        _t(Action.FORWARD, [S.RECEIVED], S.PROCESSING, Actor.RECEPTION),
        _t(Action.TAKE, [S.PROCESSING], S.PROCESSING, Actor.PROCESSING),
        _t(Action.PROPOSE, [S.PROCESSING], S.AWAITING_APPROVAL, Actor.PROCESSING),
        _t(Action.APPROVE, [S.AWAITING_APPROVAL], None, Actor.APPROVER),
        _t(Action.SEND_BACK, [S.AWAITING_APPROVAL], S.PROCESSING, Actor.APPROVER),
        _t(Action.DELIVER, [S.RESULT_READY], S.RETURNED, Actor.RECEPTION),
        _t(
            Action.WITHDRAW,
            [S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.AWAITING_APPROVAL],
            S.WITHDRAWN,
            Actor.APPLICANT,
        ),
        _t(
            Action.APOLOGIZE,
            [S.RECEIVED, S.PROCESSING, S.AWAITING_APPROVAL],
            None,
            Actor.RECEPTION,
            Actor.PROCESSING,
            Actor.APPROVER,
        ),
    ]
}


class TransitionNotAllowed(Exception):
    """An action that the dossier's status or the user's role does not allow; the message is for people."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def actor_roles(*, dossier: Dossier, user) -> set[Actor]:
    """The capacities in which `user` may act on `dossier`."""
    roles: set[Actor] = set()
    if not user.is_authenticated:
        return roles
    if dossier.applicant_id is not None and dossier.applicant_id == user.pk:
        roles.add(Actor.APPLICANT)
    if user.agency_id is not None and user.agency_id == dossier.agency_id:
        for role, actor in (
            (Role.RECEPTION_OFFICER, Actor.RECEPTION),
            (Role.PROCESSING_OFFICER, Actor.PROCESSING),
            (Role.APPROVER, Actor.APPROVER),
        ):
            if user.has_role(role):
                roles.add(actor)
    return roles


def _guard(*, dossier: Dossier, user, action: str, roles: set[Actor]) -> str | None:
    """A reason the action is refused beyond status and role, or None."""
    if action == Action.REQUEST_SUPPLEMENT:
        if dossier.status in (S.SUBMITTED, S.RECEIVED):
            if Actor.RECEPTION not in roles:
                return _("Chỉ cán bộ tiếp nhận yêu cầu bổ sung khi tiếp nhận hồ sơ.")
            if dossier.reception_supplement_requested:
                return _("Khi tiếp nhận, chỉ được yêu cầu bổ sung hồ sơ một lần.")
        elif dossier.assignee_id != user.pk:
            return _("Chỉ chuyên viên được giao xử lý mới yêu cầu bổ sung trong quá trình xử lý.")
    if action == Action.TAKE and dossier.assignee_id is not None:
        # Only an unassigned dossier is taken; moving it from one specialist to another is reception's
        # forward, never a silent take-over by a colleague.
        if dossier.assignee_id == user.pk:
            return _("Bạn đang xử lý hồ sơ này.")
        return _("Hồ sơ đang do %(name)s xử lý.") % {"name": dossier.assignee.full_name}
    if action == Action.PROPOSE and dossier.assignee_id != user.pk:
        return _("Chỉ chuyên viên được giao xử lý mới trình phê duyệt. Hãy nhận xử lý trước.")
    if action == Action.SUPPLEMENT and Actor.APPLICANT not in roles and dossier.applicant_id is not None:
        return _("Người nộp có tài khoản tự bổ sung hồ sơ trực tuyến.")
    if action == Action.APOLOGIZE and dossier.apologized_at is not None:
        return _("Chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần.")
    return None


def check_transition(*, dossier: Dossier, user, action: str) -> Transition:
    """The transition, if `user` may perform `action` on `dossier` now; else TransitionNotAllowed."""
    transition = TRANSITIONS[action]
    roles = actor_roles(dossier=dossier, user=user)
    if not roles & transition.actors:
        raise TransitionNotAllowed(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."))
    if dossier.status not in transition.sources:
        raise TransitionNotAllowed(
            _("Không thể %(action)s khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": Action(action).label.lower(), "status": dossier.get_status_display()}
        )
    reason = _guard(dossier=dossier, user=user, action=action, roles=roles)
    if reason:
        raise TransitionNotAllowed(reason)
    return transition


def allowed_actions(*, dossier: Dossier, user) -> list[str]:
    """The actions `user` may perform now: the buttons a page shows and the API advertises."""
    allowed = []
    for action in TRANSITIONS:
        try:
            check_transition(dossier=dossier, user=user, action=action)
        except TransitionNotAllowed:
            continue
        allowed.append(action)
    return allowed
