"""What the public lookup shows of a dossier's parcels (a `dossiers.panels.PublicSection`, registered in
PostalConfig.ready): for each parcel, its direction, its status and the carrier's timeline (statuses and times).
Nothing that names or locates anyone: no receiver or sender, address, phone, tracking number or carrier's note."""

from django.template.loader import render_to_string

from dossiers.api.serializers import api_datetime
from dossiers.constants import Channel, DeliveryMethod
from dossiers.panels import PublicSection

from .constants import Direction, ShipmentStatus
from .models import Shipment


def read(*, dossier) -> list[dict] | None:
    """The parcels of a dossier sent or collected by post, oldest first, in one query (each parcel joined with its
    events); None for any other dossier, without a query."""
    if dossier.delivery_method != DeliveryMethod.POSTAL and dossier.channel != Channel.POSTAL:
        return None
    rows = (
        Shipment.objects.filter(dossier_id=dossier.pk)
        .order_by("requested_at", "id", "events__sequence", "events__id")
        .values_list("pk", "direction", "status", "events__status", "events__occurred_at")
    )
    parcels: dict[int, dict] = {}
    for pk, direction, status, event_status, occurred_at in rows:
        parcel = parcels.setdefault(pk, {"direction": direction, "status": status, "events": []})
        if event_status:
            parcel["events"].append({"status": event_status, "at": occurred_at})
    return list(parcels.values()) or None


def _labelled(parcels: list[dict]) -> list[dict]:
    return [
        {
            "direction": parcel["direction"],
            "direction_label": str(Direction(parcel["direction"]).label),
            "status": parcel["status"],
            "status_label": str(ShipmentStatus(parcel["status"]).label),
            "events": [
                {
                    "status": event["status"],
                    "status_label": str(ShipmentStatus(event["status"]).label),
                    "at": event["at"],
                }
                for event in parcel["events"]
            ],
        }
        for parcel in parcels
    ]


def html(parcels: list[dict]) -> str:
    return render_to_string("postal/lookup.html", {"parcels": _labelled(parcels)})


def payload(parcels: list[dict]) -> list[dict]:
    labelled = _labelled(parcels)
    for parcel in labelled:
        for event in parcel["events"]:
            event["at"] = api_datetime(event["at"])
    return labelled


section = PublicSection(name="postal", read=read, html=html, payload=payload)
