from .views import apply, citizen, officer, public, results, wallet

app_name = "dossiers"

urlpatterns = [
    *apply.urlpatterns,
    *citizen.urlpatterns,
    *officer.urlpatterns,
    *public.urlpatterns,
    *results.urlpatterns,
    *wallet.urlpatterns,
]
