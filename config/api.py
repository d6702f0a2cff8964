"""Version 1 of the REST API, mounted at /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from dossiers.api import DossierLookupView, DossierViewSet, ResultByCodeView, ResultVerifyView
from payments.api import PaymentViewSet
from portal.api_auth import ApiTokenDetailView, ApiTokenListView, TokenView
from procedures.api import ProcedureViewSet
from reporting.api import StatisticsView

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("payments", PaymentViewSet, basename="payment")

app_name = "v1"
urlpatterns = [
    path("lookup/", DossierLookupView.as_view(), name="dossier-lookup"),
    path("statistics/", StatisticsView.as_view(), name="statistics"),
    path("results/verify/", ResultVerifyView.as_view(), name="result-verify"),
    path("results/<uuid:code>/", ResultByCodeView.as_view(), name="result-by-code"),
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", ApiTokenListView.as_view(), name="auth-token-list"),
    path("auth/tokens/<int:pk>/", ApiTokenDetailView.as_view(), name="auth-token-detail"),
    *router.urls,
]
