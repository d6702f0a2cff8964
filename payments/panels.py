"""The fee's panels on the dossier pages (registered with dossiers.panels in PaymentsConfig.ready): on the review
page, "submit and pay" when the fee is paid with the application; on the applicant's dossier page, "Thanh toán"
while the fee is due, with the payments and their receipts, and the postage of a result by post with its own
button; on the officer's dossier page, the payments and the counter payment and refund forms. A free dossier shows
none (and costs no query)."""

from django.template.loader import render_to_string

from dossiers.constants import Action, Actor, FeeStatus, FeeTiming
from dossiers.workflow import actor_roles, allowed_actions

from . import selectors
from .constants import PaymentPurpose, PaymentStatus
from .forms import CounterPaymentForm
from .providers import registry
from .providers.counter import CounterProvider


def _rows(dossier, purpose: str = PaymentPurpose.FEE) -> list[dict]:
    return [
        {"payment": payment, "label": registry.label(payment.provider), "receipt": getattr(payment, "receipt", None)}
        for payment in selectors.payments_for_dossier(dossier=dossier, purpose=purpose)
    ]


def review_panel(*, request, dossier) -> str:
    procedure = dossier.procedure
    if not dossier.is_draft or not procedure.fee:
        return ""
    return render_to_string(
        "payments/panels/review.html",
        {
            "dossier": dossier,
            "procedure": procedure,
            "at_submission": procedure.fee_timing == FeeTiming.SUBMISSION,
            "timing": procedure.get_fee_timing_display(),
            "online": registry.online(),
        },
        request=request,
    )


def applicant_panel(*, request, dossier) -> str:
    if not dossier.fee_status:
        return ""
    online = registry.online()
    can_pay = bool(online) and Action.PAY in allowed_actions(dossier=dossier, user=request.user)
    rows = _rows(dossier)
    return render_to_string(
        "payments/panels/applicant.html",
        {
            "dossier": dossier,
            "rows": rows,
            "can_pay": can_pay,
            "online": online,
            "open_attempt": next((r["payment"] for r in rows if r["payment"].status == PaymentStatus.PENDING), None),
            "at_desk": dossier.fee_status == FeeStatus.UNPAID and not can_pay,
        },
        request=request,
    )


def postage_panel(*, request, dossier) -> str:
    """The postage of a result sent by post: its amount, how it is paid, "Thanh toán cước" while it is owed online."""
    if not dossier.postage_payment:
        return ""
    online = registry.online()
    rows = _rows(dossier, PaymentPurpose.POSTAGE)
    return render_to_string(
        "payments/panels/postage.html",
        {
            "dossier": dossier,
            "rows": rows,
            "can_pay": bool(online) and Action.PAY_POSTAGE in allowed_actions(dossier=dossier, user=request.user),
            "online": online,
            "open_attempt": next((r["payment"] for r in rows if r["payment"].status == PaymentStatus.PENDING), None),
            "purpose": PaymentPurpose.POSTAGE,
        },
        request=request,
    )


def officer_panel(*, request, dossier) -> str:
    if not dossier.fee_status:
        return ""
    reception = Actor.RECEPTION in actor_roles(dossier=dossier, user=request.user)
    return render_to_string(
        "payments/panels/officer.html",
        {
            "dossier": dossier,
            "rows": _rows(dossier),
            "can_record": reception and Action.PAY in allowed_actions(dossier=dossier, user=request.user),
            "can_refund_at_desk": reception,
            "counter": CounterProvider.name,
            "form": CounterPaymentForm(),
        },
        request=request,
    )
