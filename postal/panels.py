"""The postal panels of the dossier pages (registered with dossiers.panels in PostalConfig.ready): the parcels of a
dossier whose applicant chose the post, each with the carrier's timeline; on the officer's page also the hand-over
button while the result waits at reception, and "send again" for a parcel the carrier returned."""

from django.template.loader import render_to_string

from dossiers.constants import Action, Actor, DeliveryMethod
from dossiers.workflow import actor_roles, allowed_actions

from .carriers import registry
from .constants import ShipmentStatus
from .selectors import shipments_for_dossier


def _rows(shipments) -> list[dict]:
    return [{"shipment": s, "carrier": registry.label(s.carrier), "events": list(s.events.all())} for s in shipments]


def applicant_panel(*, request, dossier) -> str:
    if dossier.delivery_method != DeliveryMethod.POSTAL:
        return ""
    shipments = shipments_for_dossier(dossier=dossier)
    if not shipments:
        return ""
    return render_to_string("postal/panels/applicant.html", {"rows": _rows(shipments)}, request=request)


def officer_panel(*, request, dossier) -> str:
    if dossier.delivery_method != DeliveryMethod.POSTAL:
        return ""
    shipments = shipments_for_dossier(dossier=dossier)
    reception = Actor.RECEPTION in actor_roles(dossier=dossier, user=request.user)
    open_shipment = any(not s.is_final or s.status == ShipmentStatus.DELIVERED for s in shipments)
    can_hand_over = (
        reception
        and not open_shipment
        and registry.default() is not None
        and Action.DELIVER in allowed_actions(dossier=dossier, user=request.user)
    )
    # Only the newest parcel may be sent again, once it came back.
    can_resend = reception and bool(shipments) and shipments[0].status == ShipmentStatus.RETURNED_TO_SENDER
    if not shipments and not can_hand_over:
        return ""
    return render_to_string(
        "postal/panels/officer.html",
        {
            "dossier": dossier,
            "rows": _rows(shipments),
            "reception": reception,
            "can_hand_over": can_hand_over,
            "can_resend": can_resend,
        },
        request=request,
    )
