"""The postal services: hand a result to the post, send the order to the carrier (retried until it answers, with
one idempotency key per shipment so a retry never makes a second parcel), apply the carrier's verified
notifications, and send again a parcel that came back. Every change is made under the shipment's (or the dossier's)
row lock and re-checked there; carrier calls are made with no lock held."""

import logging
import uuid
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dossiers.constants import Action, Actor, DeliveryMethod, DossierStatus, PostagePayment, PostageStatus
from dossiers.lookup.cache import forget_on_commit
from dossiers.models import Dossier
from dossiers.postage import PostageQuote, PostageUnavailable
from dossiers.services import dossier_deliver
from dossiers.services.core import notify_applicant
from dossiers.workflow import TransitionNotAllowed, actor_roles, allowed_actions
from procedures.models import Commune

from .carriers import CarrierUnavailable, Notification, registry
from .constants import (
    CARRIER_STATUSES,
    RESULT_WEIGHT_GRAMS,
    ZONES,
    Direction,
    MessageKind,
    MessageOutcome,
    ShipmentStatus,
)
from .models import CarrierMessage, Shipment, ShipmentEvent

logger = logging.getLogger(__name__)
# A shipment the carrier has not accepted is sent again by the job once this old (the task retries sooner).
RESEND_AFTER = timedelta(minutes=2)


def log_carrier_message(*, shipment, carrier: str, kind: str, outcome: str, parameters: dict, detail: str = "") -> None:
    """One exchange with the carrier, appended to the log (postal/pickups.py logs its own calls here too)."""
    CarrierMessage.objects.create(
        shipment=shipment, carrier=carrier, kind=kind, outcome=outcome, parameters=parameters, detail=detail[:255]
    )


def log_carrier_unavailable(*, shipment, carrier: str, kind: str, error: CarrierUnavailable) -> None:
    log_carrier_message(
        shipment=shipment,
        carrier=carrier,
        kind=kind,
        outcome=MessageOutcome.UNAVAILABLE,
        parameters=error.parameters,
        detail=error.detail,
    )


def send_on_commit(shipment: Shipment) -> None:
    """Order the shipment (a result or a pickup) once the transaction that wrote it commits."""
    transaction.on_commit(lambda: _queue_send(shipment.pk))


def _queue_send(shipment_id: int) -> None:
    """Ask a worker to order the shipment now: one try, so a broker that is down never fails the officer's request;
    the shipment is written, and the job (shipments_send_pending) orders it later."""
    from .tasks import send_shipment

    try:
        send_shipment.apply_async(args=[shipment_id], retry_policy={"max_retries": 0})
    except Exception:  # noqa: BLE001 - any broker failure: the job sends it
        logger.warning("Could not queue shipment %s; the periodic job will send it.", shipment_id, exc_info=True)


def postage_quote(*, agency, address) -> PostageQuote:
    """The postage of a result from `agency`'s desk to `address` (a procedures.PostalAddress), from the carrier new
    hand-overs go through (dossiers.postage calls this). PostageUnavailable, in the applicant's words, when there is
    no carrier, no sender commune, or no answer. A price changes nothing and belongs to no parcel: it goes to the
    application log, not CarrierMessage (the asking request's transaction may roll back)."""
    carrier = registry.default()
    if carrier is None:
        raise PostageUnavailable(_("Chưa có đơn vị bưu chính nào được cấu hình để tính cước."))
    if agency.commune_id is None:
        raise PostageUnavailable(_("Cơ quan giải quyết chưa khai báo nơi gửi bưu gửi nên chưa tính được cước."))
    try:
        answer = carrier.quote(
            sender_commune=Commune.objects.select_related("province").get(pk=agency.commune_id),
            receiver_commune=address.commune,
            weight_grams=RESULT_WEIGHT_GRAMS,
        )
    except CarrierUnavailable as error:
        logger.warning("Carrier %s could not quote postage: %s", carrier.name, error.detail)
        raise PostageUnavailable(
            _(
                "Chưa tính được cước bưu chính: dịch vụ của bưu điện đang gián đoạn. Bạn có thể thử lại sau ít phút, "
                "hoặc chọn nhận kết quả tại Bộ phận một cửa."
            )
        ) from error
    logger.info(
        "Carrier %s quoted %s đồng (%s) to commune %s", carrier.name, answer.amount, answer.zone, address.commune.code
    )
    return PostageQuote(
        amount=answer.amount,
        carrier=str(carrier.label),
        zone=str(ZONES.get(answer.zone, answer.zone)),
        weight=_("bưu gửi tài liệu đến %(grams)s g") % {"grams": answer.weight_grams},
    )


def _receiver(dossier: Dossier) -> dict:
    """Who the parcel goes to: the structured address the applicant gave, or (a dossier from before structured
    addresses) the applicant and the one line of address."""
    address = dossier.postal_address
    if address is None:
        return {
            "receiver_name": dossier.applicant_name,
            "receiver_phone": dossier.applicant_phone,
            "receiver_address": dossier.delivery_address,
        }
    return {
        "receiver_name": address.receiver_name,
        "receiver_phone": address.receiver_phone,
        "receiver_address": address.one_line[:255],
    }


def result_with_post(*, dossier: Dossier) -> bool:
    """A parcel of the dossier's result is queued for or held by the carrier (not returned, not cancelled); the
    desk's hand-back asks through dossiers.parcels (registered in PostalConfig.ready)."""
    return (
        Shipment.objects.filter(dossier=dossier, direction=Direction.RESULT)
        .exclude(status__in=[ShipmentStatus.RETURNED_TO_SENDER, ShipmentStatus.CANCELLED])
        .exists()
    )


def shipment_hand_over(*, dossier: Dossier, officer) -> Shipment:
    """The reception officer hands a ready result to the post: the shipment is written now and ordered from the
    carrier after the commit (and again until the carrier answers). Refused unless the applicant chose the post,
    the officer may hand the result back now, and no parcel for it is on its way."""
    carrier = registry.default()
    if carrier is None:
        raise ValidationError(_("Chưa cấu hình đơn vị bưu chính."))
    with transaction.atomic():
        d = Dossier.objects.select_for_update().get(pk=dossier.pk)
        if d.delivery_method != DeliveryMethod.POSTAL:
            raise ValidationError(_("Người nộp không chọn nhận kết quả qua bưu chính."))
        if Action.DELIVER not in allowed_actions(dossier=d, user=officer):
            raise ValidationError(_("Hồ sơ chưa thể trả kết quả lúc này."))
        if d.postage_status == PostageStatus.UNPAID:
            raise ValidationError(_("Người nộp chưa trả cước bưu chính trực tuyến nên chưa giao bưu điện được."))
        if result_with_post(dossier=d):
            raise ValidationError(_("Kết quả của hồ sơ này đã được giao cho bưu điện."))
        shipment = Shipment.objects.create(
            dossier=d,
            direction=Direction.RESULT,
            carrier=carrier.name,
            **_receiver(d),
            cod_amount=d.postage if d.postage_payment == PostagePayment.COD else 0,
            requested_by=officer,
        )
        send_on_commit(shipment)
    return shipment


def shipment_resend(*, shipment: Shipment, officer) -> Shipment:
    """A parcel the carrier returned is sent again (a new shipment, a new parcel), by a reception officer."""
    with transaction.atomic():
        old = Shipment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=shipment.pk)
        if Actor.RECEPTION not in actor_roles(dossier=old.dossier, user=officer):
            raise PermissionDenied
        if old.status != ShipmentStatus.RETURNED_TO_SENDER:
            raise ValidationError(_("Chỉ gửi lại được bưu gửi đã chuyển hoàn."))
        if (
            Shipment.objects.filter(dossier=old.dossier, direction=old.direction)
            .exclude(pk=old.pk)
            .filter(requested_at__gt=old.requested_at)
            .exists()
        ):
            raise ValidationError(_("Bưu gửi này đã được gửi lại."))
        new = Shipment.objects.create(
            dossier=old.dossier,
            direction=old.direction,
            carrier=old.carrier,
            receiver_name=old.receiver_name,
            receiver_phone=old.receiver_phone,
            receiver_address=old.dossier.delivery_address or old.receiver_address,
            cod_amount=old.cod_amount,
            requested_by=officer,
        )
        send_on_commit(new)
    return new


def shipment_send(*, shipment: Shipment) -> Shipment:
    """Order a requested shipment from its carrier. The same idempotency key every time: a call the carrier
    received but whose answer was lost gets the same parcel back. Raises CarrierUnavailable (logged, counted) when
    the carrier cannot be reached: the task and the job try again. On the carrier's answer the shipment takes its
    tracking number and, for a result still waiting at reception, the dossier is handed back with it."""
    shipment = Shipment.objects.select_related("dossier").get(pk=shipment.pk)
    if shipment.status != ShipmentStatus.REQUESTED:
        return shipment
    carrier = registry.get(shipment.carrier)
    try:
        answer = _order(carrier, shipment)
    except CarrierUnavailable as error:
        with transaction.atomic():
            # Counted in the database: two runs failing at once count two attempts.
            Shipment.objects.filter(pk=shipment.pk).update(
                send_attempts=F("send_attempts") + 1, last_error=error.detail[:255]
            )
            log_carrier_unavailable(shipment=shipment, carrier=carrier.name, kind=MessageKind.CREATE, error=error)
        raise
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=shipment.pk)
        log_carrier_message(
            shipment=shipment,
            carrier=carrier.name,
            kind=MessageKind.CREATE,
            outcome=MessageOutcome.ANSWERED,
            parameters=answer.parameters,
        )
        if shipment.status != ShipmentStatus.REQUESTED:  # another run recorded the answer first
            return shipment
        now = timezone.now()
        shipment.tracking_number = answer.tracking_number
        shipment.status = ShipmentStatus.ACCEPTED
        shipment.accepted_at = shipment.status_changed_at = now
        shipment.send_attempts += 1
        shipment.last_error = ""
        shipment.save()
        dossier = shipment.dossier
        if dossier is None:  # a pickup: its applicant follows it on the pickup's page (postal/pickups.py)
            return shipment
        forget_on_commit(dossier.code)  # the public lookup shows the parcel's status
        if shipment.direction == Direction.RESULT and dossier.status == DossierStatus.RESULT_READY:
            try:
                with transaction.atomic():
                    dossier_deliver(
                        dossier=dossier, officer=shipment.requested_by, postal_tracking_number=answer.tracking_number
                    )
            except (ValidationError, TransitionNotAllowed) as error:
                # The parcel exists at the carrier: keep it; the officer hands the result back by hand.
                shipment.last_error = f"deliver refused: {error}"[:255]
                shipment.save(update_fields=["last_error"])
        notify_applicant(
            dossier,
            subject=gettext_lazy("Kết quả hồ sơ %(code)s đã được gửi qua bưu điện"),
            body=gettext_lazy("Số hiệu bưu gửi: %(tracking)s."),
            params={"tracking": answer.tracking_number},
        )
    return shipment


def _order(carrier, shipment: Shipment):
    """A result is a parcel the desk sends; a pickup, a paper dossier the post collects at the applicant's."""
    if shipment.direction == Direction.DOSSIER_PICKUP:
        return carrier.create_pickup(pickup=shipment.pickup)
    return carrier.create(shipment=shipment)


def shipments_send_pending(*, now: datetime) -> dict[str, int]:
    """The job: order again the shipments the carrier has not accepted yet (the carrier was down)."""
    counts = {"sent": 0, "unreachable": 0}
    pending = Shipment.objects.filter(status=ShipmentStatus.REQUESTED, requested_at__lte=now - RESEND_AFTER)
    for shipment in pending.order_by("requested_at")[:200]:
        try:
            shipment_send(shipment=shipment)
        except CarrierUnavailable:
            counts["unreachable"] += 1
        else:
            counts["sent"] += 1
    return counts


def shipment_apply_notification(*, carrier_name: str, notification: Notification) -> str:
    """Apply a carrier's status notification; returns the MessageOutcome. Refused (and logged, nothing changed)
    unless signed with the carrier's secret, sent as our customer, and naming one shipment by both its order code
    and its tracking number. An event already recorded is a duplicate; one numbered below the last applied is
    put on the timeline but changes nothing (it arrived late); a final status is never left."""
    shipment = Shipment.objects.filter(
        carrier=carrier_name, idempotency_key=_uuid_or_none(notification.reference)
    ).first()
    refused = ""
    if not notification.verified:
        refused = "signature or sender invalid"
    elif (
        shipment is None or not notification.tracking_number or shipment.tracking_number != notification.tracking_number
    ):
        refused = "unknown reference or tracking number"
    elif notification.status not in CARRIER_STATUSES or not notification.event_id or notification.occurred_at is None:
        refused = "malformed event"
    if refused:
        log_carrier_message(
            shipment=shipment if notification.verified else None,
            carrier=carrier_name,
            kind=MessageKind.NOTIFICATION,
            outcome=MessageOutcome.REJECTED,
            parameters=notification.parameters,
            detail=refused,
        )
        return MessageOutcome.REJECTED
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update(of=("self",)).select_related("dossier").get(pk=shipment.pk)
        outcome = _apply_event(shipment=shipment, notification=notification)
        if outcome != MessageOutcome.DUPLICATE and shipment.dossier is not None:
            forget_on_commit(shipment.dossier.code)  # the public lookup shows the parcel's timeline
        log_carrier_message(
            shipment=shipment,
            carrier=carrier_name,
            kind=MessageKind.NOTIFICATION,
            outcome=outcome,
            parameters=notification.parameters,
        )
    return outcome


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None


def _apply_event(*, shipment: Shipment, notification: Notification) -> str:
    if ShipmentEvent.objects.filter(shipment=shipment, event_id=notification.event_id).exists():
        return MessageOutcome.DUPLICATE
    ShipmentEvent.objects.create(
        shipment=shipment,
        event_id=notification.event_id,
        sequence=notification.sequence,
        status=notification.status,
        occurred_at=notification.occurred_at,
        note=notification.note,
    )
    if notification.sequence <= shipment.last_event_sequence or shipment.is_final:
        return MessageOutcome.STALE
    shipment.status = notification.status
    shipment.last_event_sequence = notification.sequence
    shipment.status_changed_at = notification.occurred_at
    if notification.status == ShipmentStatus.DELIVERED:
        shipment.delivered_at = notification.occurred_at
    # A result's applicant is told; a pickup's follows it on its page.
    if notification.status == ShipmentStatus.DELIVERED and shipment.direction == Direction.RESULT:
        notify_applicant(
            shipment.dossier,
            subject=gettext_lazy("Kết quả hồ sơ %(code)s đã được giao"),
            body=gettext_lazy("Bưu gửi %(tracking)s đã được giao."),
            params={"tracking": shipment.tracking_number},
        )
    elif notification.status == ShipmentStatus.RETURNED_TO_SENDER and shipment.direction == Direction.RESULT:
        # The work goes back to reception (the officer page's postal panel: send again, or hand it at the desk).
        shipment.returned_at = notification.occurred_at
        notify_applicant(
            shipment.dossier,
            subject=gettext_lazy("Bưu gửi kết quả hồ sơ %(code)s không giao được"),
            body=gettext_lazy(
                "Bưu gửi %(tracking)s đã được chuyển hoàn về cơ quan. Bộ phận Một cửa sẽ liên hệ để gửi lại "
                "hoặc hẹn nhận tại quầy."
            ),
            params={"tracking": shipment.tracking_number},
        )
    shipment.save()
    return MessageOutcome.APPLIED
