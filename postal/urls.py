from django.urls import path

from . import views

app_name = "postal"

urlpatterns = [
    path("can-bo/cho-xu-ly/", views.awaiting_reception, name="awaiting-reception"),
    path("thong-bao/<str:carrier_name>/", views.carrier_notification, name="notification"),
    path("ho-so/<int:pk>/giao-buu-dien/", views.hand_over, name="hand-over"),
    path("buu-gui/<int:pk>/gui-lai/", views.resend, name="resend"),
    path("buu-gui/<int:pk>/phieu-gui.pdf", views.label, name="label"),
    path("thu-gom/", views.pickup_list, name="pickups"),
    path("thu-gom/yeu-cau/<str:code>/", views.pickup_new, name="pickup-new"),
    path("thu-gom/<int:pk>/", views.pickup_detail, name="pickup"),
    path("thu-gom/<int:pk>/huy/", views.pickup_cancel, name="pickup-cancel"),
    path("ho-so/<int:pk>/gan-don-thu-gom/", views.pickup_link, name="pickup-link"),
]
