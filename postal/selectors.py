from django.db.models import Exists, OuterRef, Q

from .constants import ShipmentStatus
from .models import Shipment


def shipments_for_dossier(*, dossier) -> list[Shipment]:
    """The dossier's shipments, newest first, each with its carrier events (the timeline) in order."""
    return list(Shipment.objects.filter(dossier=dossier).prefetch_related("events"))


def shipments_awaiting_reception(*, agency_id: int):
    """The agency's parcels that wait for reception: returned by the carrier and not sent again yet, and those the
    carrier has not accepted after a failed attempt (it is down: the job keeps trying; the desk may tell the
    applicant). Oldest first."""
    sent_again = Shipment.objects.filter(
        dossier=OuterRef("dossier"), direction=OuterRef("direction"), requested_at__gt=OuterRef("requested_at")
    )
    return (
        Shipment.objects.filter(dossier__agency_id=agency_id)
        .filter(
            Q(status=ShipmentStatus.RETURNED_TO_SENDER, returned_at__isnull=False)
            | Q(status=ShipmentStatus.REQUESTED, send_attempts__gt=0)
        )
        .exclude(Exists(sent_again))
        .select_related("dossier")
        .order_by("status_changed_at", "requested_at", "id")
    )
