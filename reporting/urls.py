from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("thong-ke/", views.public_statistics, name="public"),
    path("thong-ke/co-quan/", views.agency_dashboard, name="agency"),
    path("thong-ke/toan-tinh/", views.province_dashboard, name="province"),
    path("thong-ke/chi-so-phuc-vu/", views.agency_scorecard, name="scorecard"),
]
