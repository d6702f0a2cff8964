"""Version 1 of the REST API, mounted at /api/v1/."""

from rest_framework.routers import DefaultRouter

from procedures.api import ProcedureViewSet

router = DefaultRouter()
router.register("procedures", ProcedureViewSet, basename="procedure")

app_name = "v1"
urlpatterns = router.urls
