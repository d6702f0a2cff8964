"""The carrier's notification endpoint (server to server, signed); the reception officer's hand-over and
send-again buttons and envelope slip (the officer dossier page's postal panel links here), and its list of parcels
waiting for reception; the applicant's pickup orders (ask the post to collect a paper dossier, follow, cancel)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from dossiers.views.refusals import refusals_as_messages
from portal.constants import Role
from procedures.models import Procedure

from . import pickups, selectors, services
from .carriers import UnknownCarrier, registry
from .constants import MessageOutcome
from .forms import PickupOrderForm
from .label import label_pdf


@login_required
@require_GET
def awaiting_reception(request):
    """The parcels of the officer's agency that wait for reception (returned, or not accepted by the carrier)."""
    user = request.user
    if user.agency_id is None or not user.has_role(Role.RECEPTION_OFFICER):
        raise PermissionDenied
    return render(
        request,
        "postal/awaiting_reception.html",
        {"agency": user.agency, "shipments": list(selectors.shipments_awaiting_reception(agency_id=user.agency_id))},
    )


@csrf_exempt
@require_POST
def carrier_notification(request, carrier_name: str):
    try:
        carrier = registry.get(carrier_name)
    except UnknownCarrier:
        return JsonResponse({"Code": "404"}, status=404)
    notification = carrier.read_notification(body=request.body, headers=request.headers)
    outcome = services.shipment_apply_notification(carrier_name=carrier.name, notification=notification)
    if outcome == MessageOutcome.REJECTED:
        return JsonResponse({"Code": "97", "Message": "rejected"}, status=400)
    return JsonResponse({"Code": "00", "Message": outcome})


def _back(dossier):
    return redirect("dossiers:officer-dossier", pk=dossier.pk)


@login_required
@require_POST
def hand_over(request, pk: int):
    dossier = selectors.dossier_get_for_reception(user=request.user, pk=pk)
    try:
        services.shipment_hand_over(dossier=dossier, officer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã giao kết quả cho bưu điện; số hiệu bưu gửi sẽ hiện khi bưu điện xác nhận."))
    return _back(dossier)


@login_required
@require_GET
def label(request, pk: int):
    shipment = selectors.shipment_get_for_reception(user=request.user, pk=pk)
    response = HttpResponse(label_pdf(shipment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="phieu-gui-{shipment.dossier.code}.pdf"'
    return response


@login_required
@require_POST
def resend(request, pk: int):
    shipment = selectors.shipment_get_for_reception(user=request.user, pk=pk)
    try:
        services.shipment_resend(shipment=shipment, officer=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã gửi lại bưu gửi."))
    return _back(shipment.dossier)


# --- the applicant's pickup orders --------------------------------------------------------------------


def _citizen(request):
    if not request.user.has_role(Role.CITIZEN):
        raise PermissionDenied


@login_required
@require_GET
def pickup_list(request):
    _citizen(request)
    return render(
        request, "postal/pickups/list.html", {"pickups": pickups.pickups_for_applicant(applicant=request.user)}
    )


@login_required
def pickup_new(request, code: str):
    """Ask the post to collect a paper dossier of a procedure that takes dossiers by post."""
    _citizen(request)
    procedure = get_object_or_404(Procedure.objects.active().select_related("agency"), code=code, accepts_postal=True)
    user = request.user
    if request.method == "POST":
        form = PickupOrderForm(request.POST)
        if form.is_valid():
            try:
                pickup = pickups.pickup_order(
                    applicant=user,
                    procedure=procedure,
                    commune_id=form.cleaned_data.pop("commune"),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã gửi yêu cầu thu gom hồ sơ; bưu điện sẽ liên hệ trước khi đến nhận."))
                return redirect("postal:pickup", pk=pickup.pk)
    else:
        form = PickupOrderForm(initial={"receiver_name": user.full_name, "receiver_phone": user.phone})
    status = 400 if form.errors else 200
    return render(request, "postal/pickups/new.html", {"procedure": procedure, "form": form}, status=status)


@login_required
@require_GET
def pickup_detail(request, pk: int):
    pickup = pickups.pickup_get_for_applicant(applicant=request.user, pk=pk)
    return render(
        request,
        "postal/pickups/detail.html",
        {
            "pickup": pickup,
            "events": list(pickup.shipment.events.all()),
            "carrier": registry.label(pickup.shipment.carrier),
        },
    )


@login_required
@require_POST
def pickup_cancel(request, pk: int):
    pickup = pickups.pickup_get_for_applicant(applicant=request.user, pk=pk)
    with refusals_as_messages(request):
        if pickups.pickup_cancel(pickup=pickup, applicant=request.user):
            messages.success(request, _("Đã huỷ yêu cầu thu gom hồ sơ."))
        else:
            messages.warning(
                request,
                _(
                    "Yêu cầu thu gom chưa được huỷ: đơn vừa thay đổi (bưu điện đã thu gom hồ sơ, hoặc bộ phận một "
                    "cửa đã tiếp nhận hồ sơ). Hãy xem trạng thái của đơn bên dưới."
                ),
            )
    return redirect("postal:pickup", pk=pickup.pk)


@login_required
@require_POST
def pickup_link(request, pk: int):
    """Reception links a dossier it received by post to the pickup order the post collected it with, when that was
    not chosen at intake (the officer page's postal panel). 404 for another agency's dossier or order."""
    dossier = selectors.dossier_get_for_reception(user=request.user, pk=pk)
    pickup = pickups.pickup_get_for_intake(
        officer=request.user, pk=request.POST.get("pickup"), code=request.POST.get("pickup_code", "")
    )
    with refusals_as_messages(request):
        pickups.intake_link(dossier=dossier, officer=request.user, value=pickup)
        messages.success(
            request, _("Đã gắn hồ sơ với đơn thu gom %(code)s.") % {"code": pickup.shipment.tracking_number}
        )
    return _back(dossier)
