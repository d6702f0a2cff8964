"""The fee as a dossier knows it. The office asks for it after reception (status 6: the clock stops, as it does
while a supplement is awaited); the payments app reports it paid or refunded by calling these services once the
money is confirmed (dossiers never imports payments). Each writes the dossier's fee status and an event in one
transaction, under the dossier's row lock."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.templatetags.catalogue_tags import vnd

from ..constants import Action, DossierStatus, FeeStatus, PostageStatus
from ..error_codes import ErrorCode
from ..locks import dossier_lock
from ..models import Dossier
from ..workflow import TRANSITIONS, TransitionNotAllowed
from .core import Change, atomic_with_files, close_pause, notify_applicant, transition, write_change


def dossier_request_payment(*, dossier: Dossier, officer, note: str = "") -> Dossier:
    """Ask the applicant for the fee of a received dossier (status 6). The clock stops until it is paid."""
    with transition(dossier=dossier, user=officer, action=Action.REQUEST_PAYMENT, note=note.strip()) as change:
        d = change.dossier
        change.update(resume_status=d.status, paused_at=timezone.now() if d.due_at else None)
        notify_applicant(
            d,
            subject=gettext_lazy("Hồ sơ %(code)s: đề nghị nộp phí, lệ phí"),
            body=gettext_lazy(
                "Số tiền: %(amount)s. Bạn có thể thanh toán trực tuyến trên trang hồ sơ hoặc nộp tại Bộ phận một "
                "cửa. Thời hạn giải quyết tạm dừng cho đến khi phí được nộp. %(note)s"
            ),
            params={"amount": vnd(d.fee), "note": note.strip()},
        )
    return change.dossier


def _payment_note(*, amount: int, reference: str, method: str) -> str:
    return _("%(amount)s – %(method)s, mã giao dịch %(reference)s") % {
        "amount": vnd(amount),
        "method": method,
        "reference": reference,
    }


def _payment_facts(*, amount: int, reference: str, method: str) -> dict:
    return {"amount": amount, "reference": reference, "method": method}


def dossier_record_payment(*, dossier: Dossier, user, amount: int, reference: str, method: str) -> Dossier:
    """The fee has been paid: `user` is the applicant who paid online, or the reception officer who took the
    money at the desk; `method` names how ("VNPay", "Tiền mặt tại quầy"). After a payment request, processing
    resumes at the step it stopped, the due date moved by the working time the clock stood still.

    Refused (TransitionNotAllowed) when the fee is not payable now: paid already, or the dossier closed
    meanwhile; refused (ValidationError) when the amount is not the dossier's fee. Either way nothing is
    written, and the payments app gives the money back."""
    note = _payment_note(amount=amount, reference=reference, method=method)
    with transition(dossier=dossier, user=user, action=Action.PAY, note=note) as change:
        d = change.dossier
        if amount != d.fee:
            raise ValidationError(
                _("Số tiền đã nộp (%(paid)s) khác phí, lệ phí của hồ sơ (%(fee)s).")
                % {"paid": vnd(amount), "fee": vnd(d.fee)}
            )
        change.update(fee_status=FeeStatus.PAID)
        if d.status == DossierStatus.PAYMENT_REQUESTED:
            change.to_status = d.resume_status
            close_pause(change)
            change.update(resume_status="")
        change.facts = _payment_facts(amount=amount, reference=reference, method=method)
        notify_applicant(
            d,
            subject=gettext_lazy("Đã nhận phí, lệ phí hồ sơ %(code)s"),
            body=gettext_lazy("Số tiền: %(amount)s (%(method)s). Biên lai điện tử có trên trang hồ sơ của bạn."),
            params={"amount": vnd(amount), "method": method},
        )
    return change.dossier


def dossier_record_postage_payment(*, dossier: Dossier, user, amount: int, reference: str, method: str) -> Dossier:
    """The applicant has paid the postage online (the payments app calls this once the money is confirmed).
    Refused when it is not owed now (paid already, COD, the dossier closed) or the amount is not the quoted
    postage: nothing is written and the payments app gives the money back."""
    note = _payment_note(amount=amount, reference=reference, method=method)
    with transition(dossier=dossier, user=user, action=Action.PAY_POSTAGE, note=note) as change:
        if amount != change.dossier.postage:
            raise ValidationError(
                _("Số tiền đã trả (%(paid)s) khác cước bưu chính của hồ sơ (%(postage)s).")
                % {"paid": vnd(amount), "postage": vnd(change.dossier.postage)}
            )
        change.update(postage_status=PostageStatus.PAID)
        change.facts = _payment_facts(amount=amount, reference=reference, method=method)
    return change.dossier


def dossier_record_refund(
    *, dossier: Dossier, recorded_by=None, amount: int, reference: str, method: str, whole_fee: bool
) -> Dossier:
    """Money paid for the dossier has gone back to the payer: the fee itself (`whole_fee`: the dossier's fee is
    refunded, on refusal or withdrawal), or a second payment of a fee already paid. `recorded_by` is the officer
    who handed cash back at the desk, None when the payment provider refunded. No one's decision on the dossier
    is checked (the refund is a fact the payments app reports); the status stays."""
    with atomic_with_files():
        locked = dossier_lock(dossier.pk)
        if locked.status not in TRANSITIONS[Action.REFUND].sources:
            raise TransitionNotAllowed(_("Hồ sơ chưa nộp, không có khoản phí nào để hoàn."), ErrorCode.NOT_IN_STATUS)
        note = _payment_note(amount=amount, reference=reference, method=method)
        change = Change(dossier=locked, action=Action.REFUND, from_status=locked.status, to_status=None, note=note)
        if whole_fee:
            change.update(fee_status=FeeStatus.REFUNDED)
        change.facts = _payment_facts(amount=amount, reference=reference, method=method)
        notify_applicant(
            locked,
            subject=gettext_lazy("Đã hoàn trả phí, lệ phí hồ sơ %(code)s"),
            body=gettext_lazy("Số tiền: %(amount)s (%(method)s)."),
            params={"amount": vnd(amount), "method": method},
        )
        write_change(change, user=recorded_by)
    return locked
