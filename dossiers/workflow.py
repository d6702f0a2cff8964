"""The dossier state machine: one table of transitions that services, pages and the API all read.

A transition names the statuses it leaves from, the status it leads to (None when the service decides:
a supplement resumes the status it interrupted, an approval follows the proposal) and who may perform
it. `check_transition` adds the per-action guards (only an unassigned dossier is taken, only the
assignee proposes, a supplement is asked at most once at reception, an apology and new date only once, a fee
is paid when it is due and before the step that waits for it: `fee_payable_now`).
Every refusal carries a machine code (`error_codes.ErrorCode`). What each action is beyond this table (its
service, form, API input, messages, timeline words) is its specification in `dossiers/actions.py`.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.api_errors import Refusal
from portal.constants import Role

from .constants import Action, Actor, Channel, DossierStatus, FeeStatus, FeeTiming, PostageStatus
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


# The statuses in which a fee may be paid (a dossier neither draft nor closed).
FEE_OPEN_STATUSES = [
    S.SUBMITTED,
    S.RECEIVED,
    S.PROCESSING,
    S.SUPPLEMENT_REQUESTED,
    S.PAYMENT_REQUESTED,
    S.AWAITING_APPROVAL,
    S.RESULT_READY,
]

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in [
        _t(Action.SUBMIT, [S.DRAFT], S.SUBMITTED, Actor.APPLICANT),
        _t(Action.RECEIVE, [S.SUBMITTED], S.RECEIVED, Actor.RECEPTION),
        # Refused at the desk before reception only: once received, a refusal is the specialist's proposal, approved.
        _t(Action.REFUSE, [S.SUBMITTED], S.REFUSED, Actor.RECEPTION),
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
        # Reception or the leader gives the dossier to a specialist, or to another one (with a reason).
        _t(Action.ASSIGN, [S.PROCESSING], S.PROCESSING, Actor.RECEPTION, Actor.APPROVER),
        _t(Action.PROPOSE, [S.PROCESSING], S.AWAITING_APPROVAL, Actor.PROCESSING),
        _t(Action.APPROVE, [S.AWAITING_APPROVAL], None, Actor.APPROVER),
        _t(Action.SEND_BACK, [S.AWAITING_APPROVAL], S.PROCESSING, Actor.APPROVER),
        _t(Action.DELIVER, [S.RESULT_READY], S.RETURNED, Actor.RECEPTION),
        _t(
            Action.WITHDRAW,
            [S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED, S.AWAITING_APPROVAL],
            S.WITHDRAWN,
            Actor.APPLICANT,
        ),
        _t(Action.REQUEST_PAYMENT, [S.RECEIVED, S.PROCESSING], S.PAYMENT_REQUESTED, Actor.RECEPTION, Actor.PROCESSING),
        # Paid online by the applicant, or at the desk as the reception officer records it (the payments app calls
        # the service once the money is confirmed); when the fee is due, `fee_payable_now` says.
        _t(Action.PAY, FEE_OPEN_STATUSES, None, Actor.APPLICANT, Actor.RECEPTION),
        # Postage paid online by the applicant who chose the post (payments calls the service); `postage_payable_now`.
        _t(Action.PAY_POSTAGE, FEE_OPEN_STATUSES, None, Actor.APPLICANT),
        # A refund is no one's decision on the dossier: the payments app reports it, with no actor to check.
        _t(Action.REFUND, [s for s in S if s != S.DRAFT], None),
        # An issued electronic result is never changed: the approver revokes it, or replaces it with a newer one.
        _t(Action.REVOKE_RESULT, [S.RESULT_READY, S.RETURNED], None, Actor.APPROVER),
        _t(Action.REPLACE_RESULT, [S.RESULT_READY, S.RETURNED], None, Actor.APPROVER),
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


def fee_payable_now(dossier: Dossier) -> bool:
    """Whether the dossier's fee is due and unpaid now: from submission when it is paid with the application,
    once the office has asked for it (status 6) when it is paid after reception, with the result when it is
    paid at hand-back. A free dossier (or one submitted before fees were tracked) never is."""
    if dossier.fee_status != FeeStatus.UNPAID or dossier.status not in FEE_OPEN_STATUSES:
        return False
    if dossier.fee_timing == FeeTiming.AFTER_RECEPTION:
        return dossier.status == S.PAYMENT_REQUESTED
    if dossier.fee_timing == FeeTiming.HAND_BACK:
        return dossier.status == S.RESULT_READY
    return True


def postage_payable_now(dossier: Dossier) -> bool:
    """Whether the applicant owes postage online now: chosen prepaid, unpaid, from submission until the result
    goes out (the postal hand-over waits for it)."""
    return dossier.postage_status == PostageStatus.UNPAID and dossier.status in FEE_OPEN_STATUSES


def _check_fee_guards(*, dossier: Dossier, user, action: str, roles: set[Actor]) -> None:
    """A fee due with the online application is paid before reception, one due at hand-back before delivery;
    a payment is asked of a dossier whose fee is paid after reception, at the step that holds the dossier."""
    unpaid = dossier.fee_status == FeeStatus.UNPAID
    if action == Action.RECEIVE and unpaid and dossier.fee_timing == FeeTiming.SUBMISSION:
        if dossier.channel == Channel.ONLINE:
            raise TransitionNotAllowed(
                _("Người nộp chưa nộp phí, lệ phí của hồ sơ trực tuyến này nên chưa tiếp nhận được."),
                ErrorCode.FEE_UNPAID,
            )
    if action == Action.DELIVER and unpaid and dossier.fee_timing == FeeTiming.HAND_BACK:
        raise TransitionNotAllowed(
            _("Hãy thu phí, lệ phí (hoặc chờ người nộp thanh toán trực tuyến) trước khi trả kết quả."),
            ErrorCode.FEE_UNPAID,
        )
    if action == Action.REQUEST_PAYMENT:
        if not (unpaid and dossier.fee_timing == FeeTiming.AFTER_RECEPTION):
            raise TransitionNotAllowed(
                _("Hồ sơ không có khoản phí, lệ phí nộp sau khi tiếp nhận đang chờ nộp."), ErrorCode.FEE_NOT_DUE
            )
        if dossier.status == S.RECEIVED and Actor.RECEPTION not in roles:
            raise TransitionNotAllowed(
                _("Chỉ cán bộ tiếp nhận yêu cầu nộp phí khi hồ sơ vừa được tiếp nhận."), ErrorCode.NOT_PERMITTED
            )
        if dossier.status == S.PROCESSING and dossier.assignee_id != user.pk:
            raise TransitionNotAllowed(
                _("Chỉ chuyên viên được giao xử lý mới yêu cầu nộp phí trong quá trình xử lý."), ErrorCode.NOT_ASSIGNEE
            )
    if action == Action.PAY and not fee_payable_now(dossier):
        if dossier.fee_status == FeeStatus.PAID:
            raise TransitionNotAllowed(_("Phí, lệ phí của hồ sơ đã được nộp."), ErrorCode.FEE_NOT_DUE)
        raise TransitionNotAllowed(_("Hồ sơ không có khoản phí, lệ phí phải nộp lúc này."), ErrorCode.FEE_NOT_DUE)
    if action == Action.PAY_POSTAGE and not postage_payable_now(dossier):
        if dossier.postage_status == PostageStatus.PAID:
            raise TransitionNotAllowed(_("Cước bưu chính của hồ sơ đã được trả."), ErrorCode.FEE_NOT_DUE)
        raise TransitionNotAllowed(_("Hồ sơ không có cước bưu chính phải trả trực tuyến."), ErrorCode.FEE_NOT_DUE)


def _check_guards(*, dossier: Dossier, user, action: str, roles: set[Actor]) -> None:
    """Refuse the action for a reason beyond status and role."""
    _check_fee_guards(dossier=dossier, user=user, action=action, roles=roles)
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
    if action == Action.APPROVE and dossier.proposed_by_id == user.pk and dossier.agency.four_eyes_approval:
        raise TransitionNotAllowed(
            _(
                "Bạn đã trình đề xuất này nên không tự phê duyệt được: cơ quan áp dụng nguyên tắc người phê duyệt "
                "khác người trình. Hãy chuyển cho lãnh đạo khác phê duyệt."
            ),
            ErrorCode.OWN_PROPOSAL,
        )


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


def refusal_of(*, dossier: Dossier, user, action: str) -> TransitionNotAllowed | None:
    """Why `user` may not perform `action` now; None when it may."""
    try:
        check_transition(dossier=dossier, user=user, action=action)
    except TransitionNotAllowed as refusal:
        return refusal
    return None


def allowed_actions(*, dossier: Dossier, user) -> list[str]:
    """The actions `user` may perform now: the buttons a page shows and the API advertises."""
    return [action for action in TRANSITIONS if refusal_of(dossier=dossier, user=user, action=action) is None]


def fee_holds_delivery(dossier: Dossier) -> bool:
    """Whether the result waits for the fee before it is handed back (the fee guard of DELIVER): an electronic result
    is returned online at approval only when it does not."""
    try:
        _check_fee_guards(dossier=dossier, user=None, action=Action.DELIVER, roles=set())
    except TransitionNotAllowed:
        return True
    return False
