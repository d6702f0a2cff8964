"""Dossiers collected by post (pickup orders): a signed-in applicant asks the post to collect a paper dossier at an
address and carry it to the one-stop desk of the procedure's agency; the reception officer who records the paper
dossier at intake links it to the order. The carrier's side is a shipment of direction `dossier_pickup`, ordered,
retried and followed exactly as a result's (postal/services.py: one idempotency key, the task and the job, verified
notifications), so the carrier down never loses an order and never makes two. Writes under the shipment's row lock;
carrier calls with no lock held."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.constants import Channel
from dossiers.error_codes import ErrorCode
from dossiers.intake_links import IntakeChoice, IntakeLink
from dossiers.locks import dossier_lock
from dossiers.lookup.cache import forget_on_commit
from dossiers.workflow import TransitionNotAllowed
from portal.constants import Role
from portal.models import User
from procedures.addresses import postal_address_clean

from .carriers import CarrierUnavailable, registry
from .constants import Direction, MessageKind, MessageOutcome, ShipmentStatus
from .models import PickupOrder, Shipment
from .services import log_carrier_message, log_carrier_unavailable, send_on_commit

# Until the post has collected it, the applicant may cancel (REQUESTED: not before the carrier has it).
CANCELLABLE = (ShipmentStatus.ACCEPTED, ShipmentStatus.FAILED_ATTEMPT)
# What reception may link: the carrier has the order (a tracking number), not cancelled, no dossier yet.
LINKABLE = (
    ShipmentStatus.ACCEPTED,
    ShipmentStatus.PICKED_UP,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.FAILED_ATTEMPT,
)


def _desk(agency) -> dict:
    """The receiver of a collected dossier: the agency's one-stop desk."""
    return {
        "receiver_name": _("Bộ phận Một cửa - %(agency)s") % {"agency": agency.name},
        "receiver_phone": agency.phone[:20],
        "receiver_address": (agency.address or (agency.commune.full_name if agency.commune_id else ""))[:255],
    }


def pickup_order(
    *, applicant, procedure, commune_id, street: str, receiver_name: str, receiver_phone: str, note: str = ""
) -> PickupOrder:
    """A signed-in citizen asks the post to collect a paper dossier for `procedure` (one that takes dossiers by post)
    at the address given (`postal_address_clean`: the contact the postal worker calls). Written now, ordered from
    the carrier after the commit and again until it answers. One open order per applicant and procedure (the
    applicant's row lock makes a double submission one order)."""
    if not applicant.is_authenticated or not applicant.has_role(Role.CITIZEN):
        raise PermissionDenied
    if not (procedure.is_active and procedure.accepts_postal):
        raise ValidationError(_("Thủ tục này không nhận hồ sơ qua bưu chính."))
    carrier = registry.default()
    if carrier is None:
        raise ValidationError(_("Chưa cấu hình đơn vị bưu chính."))
    address = postal_address_clean(
        commune_id=commune_id, street=street, receiver_name=receiver_name, receiver_phone=receiver_phone
    )
    note = note.strip()
    if len(note) > PickupOrder._meta.get_field("note").max_length:
        raise ValidationError({"note": _("Ghi chú dài quá 255 ký tự.")})
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=applicant.pk).first()
        if pickups_open(applicant=applicant).filter(procedure=procedure).exists():
            raise ValidationError(_("Bạn đã có một đơn thu gom hồ sơ của thủ tục này đang chờ bưu điện."))
        address.save()
        shipment = Shipment.objects.create(
            direction=Direction.DOSSIER_PICKUP,
            carrier=carrier.name,
            requested_by=applicant,
            **_desk(procedure.agency),
        )
        pickup = PickupOrder.objects.create(
            shipment=shipment, applicant=applicant, procedure=procedure, address=address, note=note
        )
        send_on_commit(shipment)
    return pickup


def pickup_cancel(*, pickup: PickupOrder, applicant) -> bool:
    """The applicant cancels a pickup the post has not collected and reception has not linked to a dossier: at the
    carrier first, then here under the shipment's lock (re-checked: a collection notified or a link made meanwhile
    wins). True when the order is cancelled now; False when the carrier did not cancel it or it changed meanwhile
    (`pickup.shipment` then shows where it is)."""
    if pickup.applicant_id != applicant.pk:
        raise PermissionDenied
    shipment = pickup.shipment
    if shipment.dossier_id is not None:
        raise ValidationError(_("Bộ phận một cửa đã tiếp nhận hồ sơ của đơn thu gom này nên không huỷ được."))
    if shipment.status == ShipmentStatus.REQUESTED:
        raise ValidationError(_("Đơn đang được gửi đến bưu điện; hãy huỷ lại sau ít phút."))
    if shipment.status not in CANCELLABLE:
        raise ValidationError(_("Bưu điện đã thu gom hồ sơ (hoặc đơn đã huỷ) nên không huỷ được."))
    carrier = registry.get(shipment.carrier)
    try:
        answer = carrier.cancel_pickup(pickup=pickup)
    except CarrierUnavailable as error:
        log_carrier_unavailable(shipment=shipment, carrier=carrier.name, kind=MessageKind.CANCEL, error=error)
        raise ValidationError(
            _("Bưu điện chưa huỷ được đơn (không phản hồi, hoặc đã thu gom hồ sơ). Hãy thử lại sau.")
        ) from error
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        log_carrier_message(
            shipment=shipment,
            carrier=carrier.name,
            kind=MessageKind.CANCEL,
            outcome=MessageOutcome.ANSWERED,
            parameters=answer.parameters,
        )
        cancelled = (
            answer.status == ShipmentStatus.CANCELLED and shipment.status in CANCELLABLE and shipment.dossier_id is None
        )
        if cancelled:
            shipment.status = ShipmentStatus.CANCELLED
            shipment.status_changed_at = timezone.now()
            shipment.save(update_fields=["status", "status_changed_at"])
    pickup.shipment = shipment
    return cancelled


def pickup_link(*, pickup: PickupOrder, dossier, officer) -> PickupOrder:
    """Reception links the paper dossier it recorded to the pickup the post brought it with, once. Refused with
    PermissionDenied unless the pickup, the dossier and the officer are of one agency (the officer a reception
    officer); with TransitionNotAllowed (409) when the pickup or the dossier is linked already (two officers at
    once included, on one order or on one dossier: the second waits for the locks, then is told). Locks the
    shipment, then the dossier: the order shipment_send takes them in."""
    agency_id = officer.agency_id
    if (
        not officer.has_role(Role.RECEPTION_OFFICER)
        or agency_id is None
        or dossier.agency_id != agency_id
        or pickup.procedure.agency_id != agency_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=pickup.shipment_id)
        dossier_lock(dossier.pk)
        if shipment.dossier_id is not None:
            raise TransitionNotAllowed(
                _("Đơn thu gom %(code)s đã được gắn với một hồ sơ khác.") % {"code": shipment.tracking_number},
                ErrorCode.ONCE_ONLY,
            )
        if shipment.status not in LINKABLE:
            raise ValidationError(_("Đơn thu gom này chưa được bưu điện nhận hoặc đã huỷ."))
        if Shipment.objects.filter(dossier=dossier, direction=Direction.DOSSIER_PICKUP).exists():
            raise TransitionNotAllowed(_("Hồ sơ này đã được gắn với một đơn thu gom."), ErrorCode.ONCE_ONLY)
        shipment.dossier = dossier
        shipment.save(update_fields=["dossier"])
        PickupOrder.objects.filter(pk=pickup.pk).update(linked_by=officer, linked_at=timezone.now())
        forget_on_commit(dossier.code)  # the public lookup shows the pickup from now on
    pickup.refresh_from_db()
    return pickup


# --- reads ------------------------------------------------------------------------------------------


def pickups_open(*, applicant):
    """The applicant's orders neither cancelled nor linked to a dossier yet."""
    return PickupOrder.objects.filter(applicant=applicant, shipment__dossier__isnull=True).exclude(
        shipment__status=ShipmentStatus.CANCELLED
    )


def pickups_for_applicant(*, applicant) -> list[PickupOrder]:
    """The applicant's orders, newest first, with their procedure, address, dossier and the carrier's events."""
    return list(
        PickupOrder.objects.filter(applicant=applicant)
        .select_related("procedure__agency", "shipment__dossier", "address__commune__province")
        .prefetch_related("shipment__events")
    )


def pickup_get_for_applicant(*, applicant, pk) -> PickupOrder:
    """One of the applicant's own orders; 404 for a missing one and another applicant's alike."""
    try:
        return (
            PickupOrder.objects.select_related("procedure__agency", "shipment__dossier", "address__commune__province")
            .prefetch_related("shipment__events")
            .get(pk=pk, applicant=applicant)
        )
    except (PickupOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def pickups_awaiting_intake(*, agency_id: int):
    """The agency's orders the carrier has accepted and no dossier is linked to yet, oldest first: what reception
    may link a paper dossier to."""
    return (
        PickupOrder.objects.filter(
            procedure__agency_id=agency_id, shipment__dossier__isnull=True, shipment__status__in=LINKABLE
        )
        .select_related("procedure", "shipment", "address__commune")
        .order_by("created_at", "id")
    )


def pickup_get_for_intake(*, officer, pk=None, code: str = "") -> PickupOrder:
    """The order reception names, by id (the list) or by the code on the parcel (the carrier's tracking number),
    of the officer's agency; 404 for a missing one and another agency's alike."""
    orders = PickupOrder.objects.filter(procedure__agency_id=officer.agency_id).select_related("shipment", "procedure")
    try:
        if pk:
            return orders.get(pk=int(pk))
        if code.strip():
            return orders.get(
                shipment__tracking_number=code.strip().upper(), shipment__direction=Direction.DOSSIER_PICKUP
            )
    except (PickupOrder.DoesNotExist, ValueError, TypeError):
        pass
    raise Http404


# --- reception's intake (registered with dossiers.intake_links in PostalConfig.ready) -------------------------


def intake_field(*, request, officer, data) -> str:
    """The choice of the agency's pickup orders waiting for reception, and a box for the code on the parcel; nothing
    while none waits."""
    waiting = list(pickups_awaiting_intake(agency_id=officer.agency_id))
    if not waiting:
        return ""
    return render_to_string(
        "postal/pickups/intake_field.html",
        {
            "pickups": waiting,
            "chosen": (data or {}).get("pickup", ""),
            "code": (data or {}).get("pickup_code", ""),
        },
        request=request,
    )


def intake_clean(*, officer, data) -> IntakeChoice | None:
    pk, code = data.get("pickup", ""), data.get("pickup_code", "")
    if not pk and not code.strip():
        return None
    try:
        pickup = pickup_get_for_intake(officer=officer, pk=pk, code=code)
    except Http404:
        raise ValidationError(_("Không có đơn thu gom này trong các đơn gửi đến cơ quan.")) from None
    return IntakeChoice(value=pickup, tracking_number=pickup.shipment.tracking_number)


def intake_link(*, dossier, officer, value: PickupOrder) -> None:
    if dossier.channel != Channel.POSTAL:
        raise ValidationError(_("Hồ sơ do bưu điện thu gom là hồ sơ nộp qua bưu chính: hãy chọn hình thức đó."))
    pickup_link(pickup=value, dossier=dossier, officer=officer)


intake = IntakeLink(field=intake_field, clean=intake_clean, link=intake_link)
