"""The dossier REST API (/api/v1/dossiers/, /api/v1/lookup/, /api/v1/results/): views, serializers and filters."""

from .lookup import DossierLookupView
from .results import ResultByCodeView, ResultVerifyView
from .views import DossierViewSet

__all__ = ["DossierLookupView", "DossierViewSet", "ResultByCodeView", "ResultVerifyView"]
