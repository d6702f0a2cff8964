from django.urls import path

from . import rating_views, views

app_name = "reporting"
urlpatterns = [
    path("thong-ke/", views.public_statistics, name="public"),
    path("thong-ke/co-quan/", views.agency_dashboard, name="agency"),
    path("thong-ke/toan-tinh/", views.province_dashboard, name="province"),
    path("thong-ke/chi-so-phuc-vu/", views.agency_scorecard, name="scorecard"),
    path("ho-so-cua-toi/<int:pk>/danh-gia/", rating_views.rate_my_dossier, name="rate-my-dossier"),
    path("danh-gia/", rating_views.kiosk_rating, name="kiosk-rating"),
]
