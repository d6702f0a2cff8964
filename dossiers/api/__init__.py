"""The dossier REST API (/api/v1/dossiers/, /api/v1/lookup/): views, serializers and filters."""

from .views import DossierLookupView, DossierViewSet

__all__ = ["DossierLookupView", "DossierViewSet"]
