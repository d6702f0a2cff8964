from .views import citizen, officer, public

app_name = "dossiers"

urlpatterns = [*citizen.urlpatterns, *officer.urlpatterns, *public.urlpatterns]
