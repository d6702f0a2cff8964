"""The dossier REST API (/api/v1/dossiers/, /api/v1/lookup/): views, serializers and filters."""

from .lookup import DossierLookupView
from .views import DossierViewSet

__all__ = ["DossierLookupView", "DossierViewSet"]
