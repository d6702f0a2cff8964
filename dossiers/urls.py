from .views import apply, citizen, officer, public

app_name = "dossiers"

urlpatterns = [*apply.urlpatterns, *citizen.urlpatterns, *officer.urlpatterns, *public.urlpatterns]
