from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from dossiers import selectors as dossier_selectors
from dossiers.constants import Actor
from dossiers.models import Dossier
from dossiers.workflow import actor_roles

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


def dossier_get_for_reception(*, user, pk) -> Dossier:
    """A dossier of the user's agency that the user may hand to the post as its reception officer; the same 404
    as a missing one for anyone else (the dossiers' own access rule, then the reception role)."""
    dossier = dossier_selectors.dossier_get_for_workbench(user=user, pk=pk)
    if Actor.RECEPTION not in actor_roles(dossier=dossier, user=user):
        raise Http404
    return dossier


def shipment_get_for_reception(*, user, pk) -> Shipment:
    """A shipment of a dossier `dossier_get_for_reception` gives the user; 404 otherwise."""
    try:
        shipment = Shipment.objects.select_related("dossier__agency__parent", "dossier__procedure").get(pk=pk)
    except (Shipment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    dossier_get_for_reception(user=user, pk=shipment.dossier_id)
    return shipment
