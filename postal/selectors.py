from .models import Shipment


def shipments_for_dossier(*, dossier) -> list[Shipment]:
    """The dossier's shipments, newest first, each with its carrier events (the timeline) in order."""
    return list(Shipment.objects.filter(dossier=dossier).prefetch_related("events"))
