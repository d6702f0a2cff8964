"""Paying online: start an attempt, read the browser's return, apply a provider's notification, and ask the
provider about a payment (reconciliation). Only a verified notification or query moves money: the return only
tells the payer's browser where it stands."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Action
from dossiers.error_codes import ErrorCode
from dossiers.locks import dossier_lock
from dossiers.models import Dossier
from dossiers.workflow import TransitionNotAllowed, check_transition

from ..constants import (
    UNPAID_STATUSES,
    Direction,
    MessageKind,
    NotificationOutcome,
    PaymentPurpose,
    PaymentStatus,
)
from ..models import Payment
from ..providers import OnlineProvider, ProviderUnavailable, ReportedState, UnknownProvider, registry
from .core import (
    alert_agency,
    apply_report,
    close_unpaid,
    lock_dossier_and_payment,
    log_incoming,
    log_message,
    log_outgoing,
    new_reference,
)

logger = logging.getLogger(__name__)

# An open attempt is offered again to a second click only while the provider still has this long to take it.
REUSE_MARGIN = timedelta(minutes=2)
# After its expiry, a payment the provider still calls unfinished (or never saw) is given this long before it
# expires here: a payer on the bank's last page may still finish.
EXPIRY_GRACE = timedelta(minutes=5)


def online_provider(name: str) -> OnlineProvider:
    provider = registry.get(name)
    if not isinstance(provider, OnlineProvider):
        raise UnknownProvider(name)
    return provider


# What each purpose pays: the workflow's action that allows it now, and the dossier's amount.
PURPOSE_ACTIONS = {PaymentPurpose.FEE: Action.PAY, PaymentPurpose.POSTAGE: Action.PAY_POSTAGE}


def purpose_amount(dossier: Dossier, purpose: str) -> int:
    return dossier.postage if purpose == PaymentPurpose.POSTAGE else dossier.fee


def payment_start(
    *,
    dossier: Dossier,
    payer,
    provider_name: str,
    return_url: str,
    client_ip: str,
    purpose: str = PaymentPurpose.FEE,
) -> Payment:
    """An online attempt to pay the dossier's fee (or, `purpose` postage, the postage quoted for a result by post)
    through `provider_name`, with the provider's page to send the payer to (`redirect_url`). A click on "Thanh toán"
    while an attempt of the same provider and purpose is open gives that attempt again (the same page, never a
    second charge); once it has expired at the provider, a new one."""
    provider = online_provider(provider_name)
    with transaction.atomic():
        locked = dossier_lock(dossier.pk)
        check_transition(dossier=locked, user=payer, action=PURPOSE_ACTIONS[purpose])
        if locked.applicant_id != payer.pk:
            # The office records what it takes at the desk; online, only the applicant pays.
            raise TransitionNotAllowed(_("Chỉ người nộp hồ sơ thanh toán trực tuyến."), ErrorCode.NOT_PERMITTED)
        now = timezone.now()
        open_attempt = (
            locked.payments.filter(
                provider=provider_name,
                purpose=purpose,
                status=PaymentStatus.PENDING,
                expires_at__gt=now + REUSE_MARGIN,
            )
            .order_by("-created_at")
            .first()
        )
        if open_attempt is not None:
            return open_attempt
        payment = Payment.objects.create(
            dossier=locked,
            purpose=purpose,
            amount=purpose_amount(locked, purpose),
            provider=provider_name,
            reference=new_reference(now),
            payer=payer,
            expires_at=now + timedelta(minutes=settings.PAYMENT_ATTEMPT_MINUTES),
        )
        redirect = provider.start(payment=payment, return_url=return_url, client_ip=client_ip)
        payment.redirect_url = redirect.url
        payment.save(update_fields=["redirect_url", "updated_at"])
        log_outgoing(payment=payment, kind=MessageKind.START, parameters=redirect.parameters, outcome="started")
    return payment


def payment_read_return(*, provider_name: str, parameters) -> Payment | None:
    """The payer's browser is back from the provider: log what it brings; the payment it names when the
    signature holds (None otherwise). Nothing changes: the page says "confirming" until a notification or a
    query confirms."""
    provider = online_provider(provider_name)
    report = provider.read_return(parameters)
    payment = None
    if report.verified:
        payment = Payment.objects.filter(provider=provider_name, reference=report.reference).first()
    outcome = "shown" if payment else ("not_found" if report.verified else "invalid_signature")
    log_incoming(provider=provider_name, kind=MessageKind.RETURN, report=report, payment=payment, outcome=outcome)
    return payment


def payment_handle_notification(*, provider_name: str, parameters) -> NotificationOutcome:
    """A provider's server-to-server notification. It changes a payment only when the signature, the merchant,
    the reference and the amount all match; the same notification again changes nothing and says so. Every
    notification is logged with the outcome answered."""
    provider = online_provider(provider_name)
    report = provider.read_notification(parameters)
    payment = None
    if not report.signature_valid:
        outcome = NotificationOutcome.INVALID_SIGNATURE
    elif not report.merchant_valid:
        outcome = NotificationOutcome.WRONG_MERCHANT
    else:
        payment = Payment.objects.filter(provider=provider_name, reference=report.reference).first()
        if payment is None:
            outcome = NotificationOutcome.NOT_FOUND
        elif report.amount != payment.amount:
            outcome = NotificationOutcome.INVALID_AMOUNT
            _alert_amount(payment=payment, reported=report.amount)
        else:
            try:
                changed = apply_report(payment=payment, report=report)
            except Exception:
                # Answered 99, so the provider tries again; the error goes to the log with its traceback.
                logger.exception("Payment %s: the notification could not be applied", payment.reference)
                outcome = NotificationOutcome.ERROR
            else:
                outcome = NotificationOutcome.CONFIRMED if changed else NotificationOutcome.ALREADY_CONFIRMED
    log_incoming(provider=provider_name, kind=MessageKind.NOTIFICATION, report=report, payment=payment, outcome=outcome)
    return outcome


def _alert_amount(*, payment: Payment, reported: int | None) -> None:
    alert_agency(
        payment=payment,
        kind="amount",
        subject=_("Cổng thanh toán báo số tiền khác khoản cần thu"),
        body=_("Số tiền cổng thanh toán báo: %(reported)s đồng; số tiền cần thu: %(amount)s đồng. Hãy đối soát.")
        % {"reported": reported if reported is not None else "?", "amount": payment.amount},
    )


def payment_reconcile(*, payment: Payment, now: datetime | None = None, client_ip: str = "") -> Payment:
    """Ask the provider about an unsettled payment and act on a verified answer: settle it paid, close it failed
    or cancelled, or expire it once the provider has let it lapse. ProviderUnavailable (logged) when the provider
    cannot be asked: nothing changes, the next run asks again."""
    now = now or timezone.now()
    provider = online_provider(payment.provider)
    Payment.objects.filter(pk=payment.pk).update(last_queried_at=now)
    try:
        report = provider.query(payment=payment, client_ip=client_ip)
    except ProviderUnavailable as error:
        log_message(
            provider=payment.provider,
            direction=Direction.OUTGOING,
            kind=MessageKind.QUERY,
            parameters=error.parameters,
            payment=payment,
            outcome="unreachable",
            detail=error.detail,
        )
        raise
    log_outgoing(
        payment=payment,
        kind=MessageKind.QUERY,
        parameters=report.parameters,
        outcome=report.state if report.verified else "unverified",
        detail=report.response_code,
        signed=report.signature_valid,
    )
    if not report.verified or report.reference != payment.reference:
        return _current(payment)
    if report.state in (ReportedState.PAID, ReportedState.FAILED, ReportedState.CANCELLED):
        if report.state == ReportedState.PAID and report.amount != payment.amount:
            _alert_amount(payment=payment, reported=report.amount)
            return _current(payment)
        was_closed = _current(payment).status in UNPAID_STATUSES - {PaymentStatus.PENDING}
        if apply_report(payment=payment, report=report) and report.state == ReportedState.PAID and was_closed:
            alert_agency(
                payment=payment,
                kind="paid-after-close",
                subject=_("Khoản thanh toán đã đóng được cổng thanh toán xác nhận là đã thu tiền"),
                body=_(
                    "Đối soát cho thấy người nộp đã bị trừ tiền; khoản này đã được ghi nhận (hoặc hoàn trả nếu phí "
                    "đã được nộp bằng khoản khác)."
                ),
            )
    elif payment.expires_at and now > payment.expires_at + EXPIRY_GRACE:
        with transaction.atomic():
            _dossier, locked = lock_dossier_and_payment(payment)
            if locked.status == PaymentStatus.PENDING:
                close_unpaid(payment=locked, state="expired", response_code=report.response_code)
    return _current(payment)


def _current(payment: Payment) -> Payment:
    return Payment.objects.get(pk=payment.pk)
