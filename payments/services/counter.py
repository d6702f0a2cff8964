"""Money taken at the one-stop desk: the reception officer records it (cash or card), the fee is paid at once with
its receipt; a refund owed for it is handed back at the desk and recorded the same way."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers import services as dossier_services
from dossiers.constants import Action, Actor
from dossiers.error_codes import ErrorCode
from dossiers.locks import dossier_lock
from dossiers.models import Dossier
from dossiers.workflow import TransitionNotAllowed, actor_roles, check_transition

from ..constants import CounterMethod, PaymentStatus
from ..models import Payment
from ..providers.counter import CounterProvider
from .core import lock_dossier_and_payment, method_label, new_reference, settle_paid


def _check_reception(*, dossier: Dossier, officer) -> None:
    if Actor.RECEPTION not in actor_roles(dossier=dossier, user=officer):
        raise TransitionNotAllowed(
            _("Chỉ cán bộ tiếp nhận của cơ quan ghi nhận thu, hoàn phí tại quầy."), ErrorCode.NOT_PERMITTED
        )


def payment_record_counter(*, dossier: Dossier, officer, method: str) -> Payment:
    """The fee of `dossier`, taken at the desk by `officer` (a reception officer of its agency) in cash or by card.
    Refused when the fee is not payable now (paid already: a second click records nothing)."""
    if method not in CounterMethod.values:
        raise ValidationError(_("Hãy chọn hình thức thu: tiền mặt hoặc thẻ."))
    with transaction.atomic():
        locked = dossier_lock(dossier.pk)
        check_transition(dossier=locked, user=officer, action=Action.PAY)
        _check_reception(dossier=locked, officer=officer)
        now = timezone.now()
        payment = Payment.objects.create(
            dossier=locked,
            amount=locked.fee,
            provider=CounterProvider.name,
            reference=new_reference(now),
            recorded_by=officer,
            method_detail=CounterMethod(method).label,
        )
        return settle_paid(payment=payment, dossier=locked, paid_at=now)


def payment_record_counter_refund(*, payment: Payment, officer) -> Payment:
    """`officer` has handed the money of a refund owed at the desk back to the payer."""
    with transaction.atomic():
        dossier, locked = lock_dossier_and_payment(payment)
        _check_reception(dossier=dossier, officer=officer)
        if locked.provider != CounterProvider.name or locked.status != PaymentStatus.REFUND_PENDING:
            raise TransitionNotAllowed(_("Khoản này không chờ hoàn trả tại quầy."), ErrorCode.NOT_IN_STATUS)
        locked.status = PaymentStatus.REFUNDED
        locked.refunded_at = timezone.now()
        locked.save(update_fields=["status", "refunded_at", "updated_at"])
        dossier_services.dossier_record_refund(
            dossier=dossier,
            recorded_by=officer,
            amount=locked.amount,
            reference=locked.reference,
            method=method_label(locked),
            whole_fee=locked.applied,
        )
    return locked
