from .views import apply, citizen, officer, postage, public, results, wallet

app_name = "dossiers"

urlpatterns = [
    # First: the public lookup is the most requested page, and Django tries the patterns in order (none of the
    # others matches its addresses).
    *public.urlpatterns,
    *apply.urlpatterns,
    *citizen.urlpatterns,
    *officer.urlpatterns,
    *postage.urlpatterns,
    *results.urlpatterns,
    *wallet.urlpatterns,
]
