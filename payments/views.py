"""The payment pages: start a payment (from the dossier page, or submitting and paying from the review page), the
browser's return from the provider, the provider's server-to-server notification, a payment's page ("confirming"
until the provider confirms), the receipt PDF, and the officer's counter payment and counter refund.

The views stay thin: reads through `payments.selectors` (and `dossiers.selectors` for the dossier), writes through
`payments.services`; a refusal comes back as a message, never a 500."""

import logging
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe

from dossiers import selectors as dossier_selectors
from dossiers import services as dossier_services
from dossiers.views.officer import officer_required
from dossiers.views.refusals import refusals_as_messages
from portal.constants import Role
from portal.ratelimit import client_address

from . import selectors, services
from .constants import PaymentPurpose, PaymentStatus
from .forms import CounterPaymentForm, SettlementForm
from .pdf import receipt_pdf
from .providers import ProviderUnavailable, UnknownProvider, registry
from .settlement import settlement_csv, settlement_entries, settlement_totals, settlement_xlsx

logger = logging.getLogger(__name__)

# A payer's "check again" asks the provider at most this often for one payment.
CHECK_INTERVAL = timedelta(seconds=30)
# The "confirming" page reloads itself this often until the provider has confirmed.
REFRESH_SECONDS = 5


def _online_provider_name(request) -> str:
    names = [provider.name for provider in registry.online()]
    chosen = request.POST.get("provider") or (names[0] if names else "")
    if chosen not in names:
        raise Http404
    return chosen


def _start(request, dossier):
    provider_name = _online_provider_name(request)
    purpose = request.POST.get("purpose") or PaymentPurpose.FEE
    if purpose not in PaymentPurpose.values:
        raise Http404
    payment = services.payment_start(
        dossier=dossier,
        payer=request.user,
        provider_name=provider_name,
        purpose=purpose,
        return_url=request.build_absolute_uri(reverse("payments:return", args=[provider_name])),
        client_ip=client_address(request),
    )
    return redirect(payment.redirect_url)


@login_required
@require_POST
def start(request, pk: int):
    """ "Thanh toán" on the applicant's dossier page (the fee, or `purpose` postage): off to the provider's page."""
    dossier = dossier_selectors.dossier_get_for_applicant(user=request.user, pk=pk)
    with refusals_as_messages(request):
        return _start(request, dossier)
    return redirect("dossiers:my-dossier", pk=dossier.pk)


@login_required
@require_POST
def submit_and_pay(request, pk: int):
    """ "Nộp hồ sơ và thanh toán" on the review page of a dossier whose fee is paid with the application."""
    dossier = dossier_selectors.dossier_get_for_applicant(user=request.user, pk=pk)
    with refusals_as_messages(request):
        dossier = dossier_services.dossier_submit(dossier=dossier, applicant=request.user)
        messages.success(
            request, _("Đã nộp hồ sơ. Mã hồ sơ %(code)s — hãy ghi lại để tra cứu.") % {"code": dossier.code}
        )
        return _start(request, dossier)
    if dossier.is_draft:
        return redirect("dossiers:apply-review", code=dossier.procedure.code, pk=dossier.pk)
    return redirect("dossiers:my-dossier", pk=dossier.pk)


@require_GET
def provider_return(request, provider: str):
    """The payer's browser back from the provider: to the payment's page, which shows where it stands."""
    try:
        payment = services.payment_read_return(provider_name=provider, parameters=request.GET)
    except UnknownProvider:
        raise Http404 from None
    if payment is None:
        return render(request, "payments/return_invalid.html", status=400)
    return redirect("payments:payment", reference=payment.reference)


@csrf_exempt  # a server-to-server call, authenticated by its signature
@require_GET
def notification(request, provider: str):
    """The provider's notification (VNPay's IPN: a GET with the signed result), answered in its own terms."""
    try:
        outcome = services.payment_handle_notification(provider_name=provider, parameters=request.GET)
        return registry.get(provider).notification_response(outcome)
    except UnknownProvider:
        raise Http404 from None


@login_required
@require_safe
def payment_detail(request, reference: str):
    payment = selectors.payment_get_for_user(user=request.user, reference=reference)
    pending = payment.status == PaymentStatus.PENDING
    return render(
        request,
        "payments/payment.html",
        {
            "payment": payment,
            "dossier": payment.dossier,
            "provider_label": registry.label(payment.provider),
            "pending": pending,
            "refresh_seconds": REFRESH_SECONDS if pending else None,
            "is_payer": payment.dossier.applicant_id == request.user.pk,
            "receipt": getattr(payment, "receipt", None),
        },
    )


@login_required
@require_POST
def payment_check(request, reference: str):
    """ "Kiểm tra lại": ask the provider about a payment still pending (at most every CHECK_INTERVAL)."""
    payment = selectors.payment_get_for_user(user=request.user, reference=reference)
    recently = payment.last_queried_at and timezone.now() - payment.last_queried_at < CHECK_INTERVAL
    if payment.status == PaymentStatus.PENDING and not recently:
        try:
            services.payment_reconcile(payment=payment, client_ip=client_address(request))
        except ProviderUnavailable:
            messages.warning(request, _("Chưa liên lạc được với cổng thanh toán. Vui lòng kiểm tra lại sau ít phút."))
        except UnknownProvider:
            raise Http404 from None
    return redirect("payments:payment", reference=payment.reference)


@login_required
@require_safe
def receipt_download(request, reference: str):
    receipt = selectors.receipt_get_for_user(user=request.user, reference=reference)
    response = HttpResponse(receipt_pdf(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bien-lai-{receipt.series}-{receipt.number_text}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the one-stop desk -----------------------------------------------------------------------------------------


@officer_required
@require_POST
def counter_payment(request, pk: int):
    dossier = dossier_selectors.dossier_get_for_workbench(user=request.user, pk=pk)
    form = CounterPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
    else:
        with refusals_as_messages(request):
            payment = services.payment_record_counter(
                dossier=dossier, officer=request.user, method=form.cleaned_data["method"]
            )
            messages.success(
                request,
                _("Đã ghi nhận thu phí, lệ phí hồ sơ %(code)s: biên lai số %(number)s.")
                % {"code": dossier.code, "number": payment.receipt.number_text},
            )
    return redirect("dossiers:officer-dossier", pk=dossier.pk)


@officer_required
@require_POST
def counter_refund(request, reference: str):
    payment = selectors.payment_get_for_user(user=request.user, reference=reference)
    dossier = dossier_selectors.dossier_get_for_workbench(user=request.user, pk=payment.dossier_id)
    with refusals_as_messages(request):
        services.payment_record_counter_refund(payment=payment, officer=request.user)
        messages.success(
            request, _("Đã ghi nhận hoàn trả phí, lệ phí tại quầy cho hồ sơ %(code)s.") % {"code": dossier.code}
        )
    return redirect("dossiers:officer-dossier", pk=dossier.pk)


# Who reads the agency's settlement: the desk that takes the money, and the leaders.
SETTLEMENT_ROLES = (Role.RECEPTION_OFFICER, Role.APPROVER)


@officer_required
@require_safe
def settlement(request):
    """The agency's daily settlement report: on the page, or as CSV or XLSX."""
    officer = request.user
    if not any(officer.has_role(role) for role in SETTLEMENT_ROLES):
        raise PermissionDenied(_("Bảng kê đối soát dành cho cán bộ tiếp nhận và lãnh đạo cơ quan."))
    form = SettlementForm(request.GET or {"ngay": timezone.localdate().isoformat()})
    entries = []
    if form.is_valid():
        day = form.cleaned_data["ngay"]
        entries = settlement_entries(agency_id=officer.agency_id, day=day)
        name = f"doi-soat-{officer.agency.code}-{day:%Y%m%d}"
        if form.cleaned_data["dinh_dang"] == "csv":
            response = HttpResponse(settlement_csv(entries), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if form.cleaned_data["dinh_dang"] == "xlsx":
            response = HttpResponse(
                settlement_xlsx(entries, sheet_name=f"{day:%d-%m-%Y}"),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
    return render(
        request,
        "payments/settlement.html",
        {"form": form, "entries": entries, "totals": settlement_totals(entries), "agency": officer.agency},
    )
