from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("ho-so/<int:pk>/", views.start, name="start"),
    path("ho-so/<int:pk>/nop-va-thanh-toan/", views.submit_and_pay, name="submit-and-pay"),
    path("quay-ve/<slug:provider>/", views.provider_return, name="return"),
    path("<slug:provider>/ipn/", views.notification, name="notification"),
    path("giao-dich/<str:reference>/", views.payment_detail, name="payment"),
    path("giao-dich/<str:reference>/kiem-tra/", views.payment_check, name="check"),
    path("giao-dich/<str:reference>/bien-lai.pdf", views.receipt_download, name="receipt"),
    path("can-bo/ho-so/<int:pk>/thu-tai-quay/", views.counter_payment, name="counter-payment"),
    path("can-bo/giao-dich/<str:reference>/hoan-tai-quay/", views.counter_refund, name="counter-refund"),
    path("can-bo/doi-soat/", views.settlement, name="settlement"),
]
