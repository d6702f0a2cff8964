"""Mounted at /sandbox/buu-dien/ by config/urls.py when settings.SANDBOXES_MOUNTED (local and test settings)."""

from django.urls import path

from . import views
from .models import Parcel

app_name = "sandbox_carrier"

urlpatterns = [
    path("api/prices", views.price, name="prices"),
    path("api/orders", views.create_order, name="orders"),
    path("api/orders/<str:order_code>", views.order, name="order"),
    path("api/orders/<str:order_code>/cancel", views.cancel_order, name="cancel"),
    path("api/pickups", views.create_pickup, name="pickups"),
    path("api/pickups/<str:order_code>/cancel", views.cancel_order, {"kind": Parcel.PICKUP}, name="cancel-pickup"),
    path("dieu-khien/", views.control, name="control"),
    path("buu-gui/<str:item_code>/phat-thong-bao-giu/", views.release, name="release"),
    path("buu-gui/<str:item_code>/<slug:step>/", views.move, name="move"),
    path("buu-gui/<str:item_code>.json", views.parcel_json, name="parcel"),
]
