from .views import apply, citizen, officer, postage, public, results, wallet

app_name = "dossiers"

urlpatterns = [
    *apply.urlpatterns,
    *citizen.urlpatterns,
    *officer.urlpatterns,
    *postage.urlpatterns,
    *public.urlpatterns,
    *results.urlpatterns,
    *wallet.urlpatterns,
]
