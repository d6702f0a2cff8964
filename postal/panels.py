"""The postal panels of the dossier pages (registered with dossiers.panels in PostalConfig.ready): the parcels of a
dossier whose applicant chose the post or that the post collected (a pickup order), each with the carrier's
timeline; on the officer's page also the hand-over button while the result waits at reception, and "send again" for
a result's parcel the carrier returned."""

from django.template.loader import render_to_string

from dossiers.constants import Action, Actor, Channel, DeliveryMethod
from dossiers.workflow import actor_roles, allowed_actions

from .carriers import registry
from .constants import Direction, ShipmentStatus
from .pickups import intake_field
from .selectors import shipments_for_dossier


def _rows(shipments) -> list[dict]:
    return [{"shipment": s, "carrier": registry.label(s.carrier), "events": list(s.events.all())} for s in shipments]


def _by_post(dossier) -> bool:
    return dossier.delivery_method == DeliveryMethod.POSTAL or dossier.channel == Channel.POSTAL


def applicant_panel(*, request, dossier) -> str:
    if not _by_post(dossier):
        return ""
    shipments = shipments_for_dossier(dossier=dossier)
    if not shipments:
        return ""
    return render_to_string("postal/panels/applicant.html", {"rows": _rows(shipments)}, request=request)


def officer_panel(*, request, dossier) -> str:
    if not _by_post(dossier):
        return ""
    shipments = shipments_for_dossier(dossier=dossier)
    results = [s for s in shipments if s.direction == Direction.RESULT]
    reception = Actor.RECEPTION in actor_roles(dossier=dossier, user=request.user)
    open_shipment = any(not s.is_final or s.status == ShipmentStatus.DELIVERED for s in results)
    can_hand_over = (
        reception
        and dossier.delivery_method == DeliveryMethod.POSTAL
        and not open_shipment
        and registry.default() is not None
        and Action.DELIVER in allowed_actions(dossier=dossier, user=request.user)
    )
    # Only the newest parcel may be sent again, once it came back.
    can_resend = reception and bool(results) and results[0].status == ShipmentStatus.RETURNED_TO_SENDER
    # A dossier received by post whose pickup order was not chosen at intake.
    link_pickup = (
        reception
        and dossier.channel == Channel.POSTAL
        and not any(s.direction == Direction.DOSSIER_PICKUP for s in shipments)
    )
    pickup_field = intake_field(request=request, officer=request.user, data=None) if link_pickup else ""
    if not shipments and not can_hand_over and not pickup_field:
        return ""
    return render_to_string(
        "postal/panels/officer.html",
        {
            "dossier": dossier,
            "rows": _rows(shipments),
            "reception": reception,
            "can_hand_over": can_hand_over,
            "can_resend": can_resend,
            "returned": results[0] if can_resend else None,
            "pickup_field": pickup_field,
        },
        request=request,
    )
