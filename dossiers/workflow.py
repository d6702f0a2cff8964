"""The dossier state machine: one table of transitions that services, pages and the API all read.

A transition names the statuses it leaves from, the status it leads to (None when the service decides:
a supplement resumes the status it interrupted, an approval follows the proposal) and who may perform
it. `check_transition` adds the per-action guards (only an unassigned dossier is taken, only the
assignee proposes, a supplement is asked at most once at reception, an apology and new date only once).
Every refusal carries a machine code (`error_codes.ErrorCode`). What each action is beyond this table (its
service, form, API input, messages, timeline words) is its specification in `dossiers/actions.py`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.api_errors import Refusal
from portal.constants import Role

from .constants import Action, Actor, DossierStatus
from .error_codes import ErrorCode
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


class TransitionNotAllowed(Refusal):
    """An action that the dossier's status, the user's role or a guard does not allow: `message` for people,
    `code` (an ErrorCode) for programs. The API answers it 409, pages show the message."""


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


def _check_guards(*, dossier: Dossier, user, action: str, roles: set[Actor]) -> None:
    """Refuse the action for a reason beyond status and role."""
    if action == Action.REQUEST_SUPPLEMENT:
        if dossier.status in (S.SUBMITTED, S.RECEIVED):
            if Actor.RECEPTION not in roles:
                raise TransitionNotAllowed(
                    _("Chỉ cán bộ tiếp nhận yêu cầu bổ sung khi tiếp nhận hồ sơ."), ErrorCode.NOT_PERMITTED
                )
            if dossier.reception_supplement_requested:
                raise TransitionNotAllowed(
                    _("Khi tiếp nhận, chỉ được yêu cầu bổ sung hồ sơ một lần."), ErrorCode.ONCE_ONLY
                )
        elif dossier.assignee_id != user.pk:
            raise TransitionNotAllowed(
                _("Chỉ chuyên viên được giao xử lý mới yêu cầu bổ sung trong quá trình xử lý."), ErrorCode.NOT_ASSIGNEE
            )
    if action == Action.TAKE and dossier.assignee_id is not None:
        # Only an unassigned dossier is taken; moving it from one specialist to another is reception's
        # forward, never a silent take-over by a colleague.
        if dossier.assignee_id == user.pk:
            raise TransitionNotAllowed(_("Bạn đang xử lý hồ sơ này."), ErrorCode.ALREADY_ASSIGNED)
        raise TransitionNotAllowed(
            _("Hồ sơ đang do %(name)s xử lý.") % {"name": dossier.assignee.full_name}, ErrorCode.ALREADY_ASSIGNED
        )
    if action == Action.PROPOSE and dossier.assignee_id != user.pk:
        raise TransitionNotAllowed(
            _("Chỉ chuyên viên được giao xử lý mới trình phê duyệt. Hãy nhận xử lý trước."), ErrorCode.NOT_ASSIGNEE
        )
    if action == Action.SUPPLEMENT and Actor.APPLICANT not in roles and dossier.applicant_id is not None:
        raise TransitionNotAllowed(
            _("Người nộp có tài khoản tự bổ sung hồ sơ trực tuyến."), ErrorCode.APPLICANT_HAS_ACCOUNT
        )
    if action == Action.APOLOGIZE and dossier.apologized_at is not None:
        raise TransitionNotAllowed(_("Chỉ được xin lỗi và hẹn lại ngày trả kết quả một lần."), ErrorCode.ONCE_ONLY)


def check_transition(*, dossier: Dossier, user, action: str) -> Transition:
    """The transition, if `user` may perform `action` on `dossier` now; else TransitionNotAllowed."""
    transition = TRANSITIONS[action]
    roles = actor_roles(dossier=dossier, user=user)
    if not roles & transition.actors:
        raise TransitionNotAllowed(_("Bạn không có quyền thực hiện thao tác này với hồ sơ."), ErrorCode.NOT_PERMITTED)
    if dossier.status not in transition.sources:
        raise TransitionNotAllowed(
            _("Không thể %(action)s khi hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": Action(action).label.lower(), "status": dossier.get_status_display()},
            ErrorCode.NOT_IN_STATUS,
        )
    _check_guards(dossier=dossier, user=user, action=action, roles=roles)
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
