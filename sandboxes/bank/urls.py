"""Mounted at /sandbox/ngan-hang/ by config/urls.py when settings.SANDBOXES_MOUNTED (local and test settings)."""

from django.urls import path

from . import views

app_name = "sandbox_bank"

urlpatterns = [
    path("paymentv2/vpcpay.html", views.payment_page, name="pay"),
    path("paymentv2/giao-dich/<int:pk>/", views.decide, name="decide"),
    path("merchant_webapi/api/transaction", views.merchant_api, name="merchant-api"),
    path("dieu-khien/", views.control, name="control"),
    path("giao-dich/<str:merchant_code>/<str:txn_ref>.json", views.transaction_json, name="transaction"),
]
