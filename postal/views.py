"""The carrier's notification endpoint (server to server, signed); the reception officer's hand-over and
send-again buttons and envelope slip (the officer dossier page's postal panel links here), and its list of parcels
waiting for reception."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.constants import Role

from . import selectors, services
from .carriers import UnknownCarrier, registry
from .constants import MessageOutcome
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
