"""The user guide at /huong-dan/ (the `guide` namespace): open to everyone."""

from django.urls import path

from .views import guide_index, guide_page

app_name = "guide"

urlpatterns = [
    path("", guide_index, name="index"),
    path("<slug:slug>/", guide_page, name="page"),
]
